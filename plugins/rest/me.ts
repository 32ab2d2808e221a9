// GET /api/v1/me: who the bearer token of the request is, and which roles it acts as, so that a
// client (the console) offers only what the token may do. Any hub token may ask about itself.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ROLES, roleAllows } from '../../core/auth/roles.ts'
import { AuthErrors } from '../../core/auth/errors.ts'
import { adminErrors } from '../schemas/common.ts'
import { Me } from '../schemas/tokens.ts'

const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/me',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['tokens'],
        operationId: 'getMe',
        summary: 'The token of this request: its name, its role and every role it acts as',
        response: { 200: Me, ...adminErrors },
      },
    },
    async (request) => {
      const principal = request.principal
      // the auth hook lets no request through without one; a route must not answer for nobody
      if (!principal) throw new AuthErrors.REQUIRED('no token was presented')
      return {
        tokenId: principal.tokenId,
        name: principal.name,
        role: principal.role,
        roles: ROLES.filter((role) => roleAllows(principal.role, role)),
      }
    },
  )
}

export default meRoutes

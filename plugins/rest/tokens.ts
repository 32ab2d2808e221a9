// Bearer tokens over REST (admin only): create (the token is in that answer and nowhere else),
// list, revoke.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorRef, IdParams, RefTo, adminErrors } from '../schemas/common.ts'
import { AuthErrors } from '../../core/auth/errors.ts'
import { Token, TokenCreate, TokenCreated, TokenList, TokenListQuery } from '../schemas/tokens.ts'

const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Token)
  const TokenRef = RefTo(Token)

  app.post(
    '/tokens',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tokens'],
        operationId: 'createToken',
        summary: 'Create a bearer token; the answer is the only place the token is ever shown',
        body: TokenCreate,
        response: { 201: TokenCreated, ...adminErrors },
      },
    },
    async (request, reply) => {
      const principal = request.principal
      const created = await app.auth.tokens.create({
        name: request.body.name,
        role: request.body.role,
        createdBy: principal ? { tokenId: principal.tokenId, name: principal.name } : 'unknown',
      })
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .header('location', `/api/v1/tokens/${created.record.id}`)
        .send(created)
    },
  )

  app.get(
    '/tokens',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tokens'],
        operationId: 'listTokens',
        summary: 'List tokens (never the tokens themselves)',
        querystring: TokenListQuery,
        response: { 200: TokenList, ...adminErrors },
      },
    },
    async (request) => {
      const items = await app.auth.tokens.list({ includeRevoked: request.query.includeRevoked })
      return { items, total: items.length }
    },
  )

  app.get(
    '/tokens/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tokens'],
        operationId: 'getToken',
        summary: 'One token (never the token itself)',
        params: IdParams,
        response: { 200: TokenRef, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request) => {
      const record = await app.auth.tokens.get(request.params.id)
      if (!record) throw new AuthErrors.TOKEN_NOT_FOUND(request.params.id)
      return record
    },
  )

  app.delete(
    '/tokens/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['tokens'],
        operationId: 'revokeToken',
        summary: 'Revoke a token; it stops working at once. The last active admin token cannot be revoked',
        params: IdParams,
        response: { 200: TokenRef, 404: ErrorRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request) => app.auth.revoke(request.params.id),
  )
}

export default tokenRoutes

// POST /oauth/token, client credentials, the way SailPoint tooling sends them: multipart form
// (TypeScript SDK), urlencoded form (Python SDK, sailpoint-cli) or query string (docs, CLI).
// Answers like IdentityNow's token endpoint; errors in OAuth 2.0's shape (RFC 6749 §5.2).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AuthErrors } from '../../../core/auth/errors.ts'
import { IdnErrors } from '../errors.ts'
import { RequestErrors } from '../../../core/answer/errors.ts'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import type { ApiClientRepository } from './clients.ts'
import type { TokenIssuer } from './jwt.ts'

export interface TokenRouteOptions {
  clients: ApiClientRepository
  issuer: TokenIssuer
  /** failed attempts per client id (the hub's rate-limit plugin); a locked-out client id is refused */
  lockout?: {
    lockedFor(request: FastifyRequest, clientId: string): Promise<number>
    failed(request: FastifyRequest, clientId: string): Promise<void>
  }
}

function field(source: unknown, name: string): string | undefined {
  if (source === null || typeof source !== 'object') return undefined
  const value = (source as Record<string, unknown>)[name]
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : undefined
}

export default async function tokenRoute(scope: FastifyInstance, options: TokenRouteOptions): Promise<void> {
  await scope.register(formbody)
  await scope.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 0, files: 0, fields: 20 } })

  scope.post(
    '/oauth/token',
    {
      config: { public: true, rateLimitBucket: 'credentials' },
      schema: { hide: true },
    },
    async (request, reply) => {
      const read = (name: string) => field(request.body, name) ?? field(request.query, name)
      let clientId = read('client_id')
      let clientSecret = read('client_secret')
      const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '')
      if (basic?.[1] && (!clientId || !clientSecret)) {
        const [id, ...secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':')
        try {
          clientId = decodeURIComponent(id ?? '')
          clientSecret = decodeURIComponent(secret.join(':'))
        } catch {
          // RFC 6749 §2.3.1: both parts are form-urlencoded; a malformed escape is a bad request
          return reply
            .code(400)
            .header('cache-control', 'no-store')
            .header('x-crosswalk-error-code', new RequestErrors.BAD_REQUEST('').code)
            .send({
              error: 'invalid_request',
              error_description: 'the Basic credentials are not form-urlencoded client_id:client_secret',
            })
        }
      }
      const grantType = read('grant_type')
      void reply.header('cache-control', 'no-store')
      if (grantType !== 'client_credentials') {
        void reply.header('x-crosswalk-error-code', new IdnErrors.OAUTH_UNSUPPORTED_GRANT('').code)
        return reply.code(400).send({
          error: 'unsupported_grant_type',
          error_description: `grant_type must be client_credentials, got ${JSON.stringify(grantType ?? null)}`,
        })
      }
      // OAuth 2.0's error shape (RFC 6749 §5.2) carries no code of ours: the header does
      const invalidClient = new IdnErrors.OAUTH_INVALID_CLIENT().code
      if (!clientId || !clientSecret) {
        void reply.header('x-crosswalk-error-code', invalidClient)
        return reply
          .code(401)
          .send({ error: 'invalid_client', error_description: 'client_id and client_secret are required' })
      }
      const lockedFor = (await options.lockout?.lockedFor(request, clientId)) ?? 0
      if (lockedFor > 0) {
        // refused before the secret is even compared: guessing on stops teaching anything
        const locked = new AuthErrors.LOCKED_OUT(lockedFor)
        void reply.header('retry-after', String(lockedFor)).header('x-crosswalk-error-code', locked.code)
        return reply.code(locked.statusCode).send({ error: 'invalid_client', error_description: locked.message })
      }
      const client = await options.clients.authenticate(clientId, clientSecret)
      if (!client) {
        await options.lockout?.failed(request, clientId)
        void reply.header('x-crosswalk-error-code', invalidClient)
        return reply.code(401).send({ error: 'invalid_client', error_description: 'Bad credentials' })
      }
      return options.issuer.issue({ clientId, name: client.name, role: client.role })
    },
  )
}

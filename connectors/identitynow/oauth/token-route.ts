// POST /oauth/token, client credentials, the way SailPoint tooling sends them: multipart form
// (TypeScript SDK), urlencoded form (Python SDK, sailpoint-cli) or HTTP Basic. Credentials in the
// query string are refused: a URL ends up in access logs, proxies and browser history (the hub's
// own request log redacts query values anyway). grant_type may stay in the query, where
// sailpoint-cli puts it. Answers like IdentityNow's token endpoint; errors in OAuth 2.0's shape
// (RFC 6749 §5.2, https://www.rfc-editor.org/rfc/rfc6749#section-5.2).
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuthErrors } from '../../../core/auth/errors.ts'
import { IdnErrors } from '../errors.ts'
import { RequestErrors } from '../../../core/answer/errors.ts'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import type { ApiClientRepository } from './clients.ts'
import { IssuedTokenSchema, type TokenIssuer } from './jwt.ts'
import { TOKEN_OPERATION } from './token-operation.ts'
import { OAuthErrorSchema, useOAuthErrors } from './error-shape.ts'

export interface TokenRouteOptions {
  clients: ApiClientRepository
  issuer: TokenIssuer
  /** failed attempts per client id (the hub's rate-limit plugin); a locked-out client id is refused */
  lockout?: {
    lockedFor(request: FastifyRequest, clientId: string): Promise<number>
    failed(request: FastifyRequest, clientId: string): Promise<void>
  }
}

/** Credentials a client may not put in the URL. */
const SECRET_PARAMETERS = ['client_id', 'client_secret', 'refresh_token'] as const

function field(source: unknown, name: string): string | undefined {
  if (source === null || typeof source !== 'object' || !Object.hasOwn(source, name)) return undefined
  const value: unknown = Reflect.get(source, name)
  const first: unknown = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : undefined
}

/** client_id and client_secret of an HTTP Basic header (RFC 6749 §2.3.1: form-encoded, then base64); undefined when unreadable. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
  if (!encoded) return undefined
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) }
  } catch {
    return undefined
  }
}

const tokenRoute: FastifyPluginAsyncTypebox<TokenRouteOptions> = async (scope, options) => {
  useOAuthErrors(scope)
  await scope.register(formbody)
  await scope.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 0, files: 0, fields: 20 } })

  scope.post(
    '/oauth/token',
    {
      config: { public: true, rateLimitBucket: 'credentials', openapiDocument: 'identitynow' },
      schema: {
        ...TOKEN_OPERATION,
        response: {
          200: IssuedTokenSchema,
          400: OAuthErrorSchema,
          401: OAuthErrorSchema,
          413: OAuthErrorSchema,
          415: OAuthErrorSchema,
          429: OAuthErrorSchema,
          500: OAuthErrorSchema,
        },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store')
      const inQuery = SECRET_PARAMETERS.filter((name) => field(request.query, name) !== undefined)
      if (inQuery.length > 0) {
        void reply.header('x-crosswalk-error-code', new RequestErrors.BAD_REQUEST('').code)
        return reply.code(400).send({
          error: 'invalid_request',
          error_description: `${inQuery.join(', ')} must not be sent in the query string; send them in a form body (application/x-www-form-urlencoded or multipart/form-data) or as HTTP Basic`,
        })
      }
      const grantType = field(request.body, 'grant_type') ?? field(request.query, 'grant_type')
      if (grantType !== 'client_credentials') {
        void reply.header('x-crosswalk-error-code', new IdnErrors.OAUTH_UNSUPPORTED_GRANT('').code)
        return reply.code(400).send({
          error: 'unsupported_grant_type',
          error_description: `grant_type must be client_credentials, got ${JSON.stringify(grantType ?? null)}`,
        })
      }
      let clientId = field(request.body, 'client_id')
      let clientSecret = field(request.body, 'client_secret')
      if (!clientId || !clientSecret) {
        const header = request.headers.authorization
        const basic = basicCredentials(header)
        if (header !== undefined && /^Basic\s/i.test(header) && !basic) {
          void reply.header('x-crosswalk-error-code', new RequestErrors.BAD_REQUEST('').code)
          return reply.code(400).send({
            error: 'invalid_request',
            error_description: 'the Basic credentials are not form-urlencoded client_id:client_secret, base64-encoded',
          })
        }
        clientId = basic?.id
        clientSecret = basic?.secret
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
        return reply.code(429).send({ error: 'invalid_client', error_description: locked.message })
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

export default tokenRoute

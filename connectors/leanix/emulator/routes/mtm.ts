// POST /services/mtm/v1/oauth2/token (reference §1, §11): HTTP Basic `apitoken:<token>` or
// client_id/client_secret in the form body; grant_type=client_credentials in the form body or
// the query string (leanix-sdk-java and @leanix/reporting-cli send it in the query).
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { EmulatorRuntime } from '../runtime.ts'

function basicCredentials(header: string | undefined): { user: string; secret: string } | null {
  if (header === undefined || !/^basic /i.test(header)) return null
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return null
  return { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) }
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).send({ error, error_description: description })
}

export function mtmRoutes(app: FastifyInstance, runtime: EmulatorRuntime): void {
  app.post('/services/mtm/v1/oauth2/token', async (request, reply) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
      string,
      unknown
    >
    const query = request.query as Record<string, unknown>
    const grantType = body.grant_type ?? query.grant_type
    if (grantType === undefined) return oauthError(reply, 400, 'invalid_request', 'Missing grant type')
    if (grantType !== 'client_credentials') {
      return oauthError(reply, 400, 'unsupported_grant_type', `Unsupported grant type: ${String(grantType)}`)
    }
    const basic = basicCredentials(request.headers.authorization)
    const clientId = basic?.user ?? body.client_id
    const secret = basic?.secret ?? body.client_secret
    if (clientId !== 'apitoken' || typeof secret !== 'string' || secret === '') {
      return oauthError(reply, 401, 'unauthorized', 'Full authentication is required to access this resource')
    }
    const token = runtime.tokens.exchange(secret)
    if (token === null) return oauthError(reply, 401, 'invalid_client', 'Bad credentials')
    return reply.header('cache-control', 'no-store').send(token)
  })

  // The signing keys, for clients that verify the JWT instead of only decoding it.
  app.get('/services/mtm/v1/oauth2/jwks', async () => runtime.tokens.jwks())

  // Workspace users, the lookup LeanIX documents for subscription filters (MTM getUsers).
  app.get('/services/mtm/v1/workspaces/:id/users', async (request, reply) => {
    const { id } = request.params as { id: string }
    const auth = request.headers.authorization
    const verified = auth?.startsWith('Bearer ') ? runtime.tokens.verifyAccessToken(auth.slice(7)) : null
    if (verified === null || !verified.ok)
      return oauthError(reply, 401, 'invalid_token', 'Access token is missing or invalid')
    if (id !== runtime.store.identity.id)
      return reply.code(404).send({ status: 'ERROR', message: `Workspace ${id} not found` })
    const data = [...runtime.store.users.values()].map((u) => ({
      id: u.id,
      userName: u.userName,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      technicalUser: u.technicalUser,
      role: u.role,
      status: u.status,
    }))
    return { status: 'OK', type: 'User', total: data.length, data }
  })
}

// POST /services/mtm/v1/oauth2/token (docs/reference/leanix.md §1, §11): HTTP Basic `apitoken:<token>` or
// client_id/client_secret in the form body; grant_type=client_credentials in the form body or
// the query string (leanix-sdk-java and @leanix/reporting-cli send it in the query).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { EmulatorRuntime } from '../runtime.ts'
import type { UserRecord } from '../workspace/records.ts'

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
  const exchange = async (request: FastifyRequest, reply: FastifyReply) => {
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
  }
  // with and without a trailing slash, as LeanIX answers both (issue 17 point 3)
  app.post('/services/mtm/v1/oauth2/token', exchange)
  app.post('/services/mtm/v1/oauth2/token/', exchange)

  // The signing keys, for clients that verify the JWT instead of only decoding it.
  app.get('/services/mtm/v1/oauth2/jwks', async () => runtime.tokens.jwks())

  // MTM's workspace resources (duhast/leanix_mtm-ruby docs/WorkspacesApi.md, generated from
  // LeanIX's MTM OpenAPI): the workspace, its permissions, its users. Models as documented there:
  // Workspace {id, name, status, type, contract, active, url, links}, Permission {id, user,
  // workspaceId, role, status, active, links}, User {id, account, userName, email, ..., links}.
  const mtm = '/services/mtm/v1'
  const bearer = async (request: FastifyRequest, reply: FastifyReply) => {
    const auth = request.headers.authorization
    const verified =
      auth !== undefined && /^bearer /i.test(auth) ? runtime.tokens.verifyAccessToken(auth.slice(7).trim()) : null
    if (verified === null || !verified.ok) {
      await oauthError(reply, 401, 'invalid_token', 'Access token is missing or invalid')
      return false
    }
    const { id } = request.params as { id: string }
    if (id !== runtime.store.identity.id) {
      await reply.code(404).send({ status: 'ERROR', message: `Workspace ${id} not found` })
      return false
    }
    return true
  }
  const link = (rel: string, path: string) => ({ rel, href: `${runtime.baseUrl()}${mtm}${path}` })
  const { identity } = runtime.store
  const account = () => ({
    id: identity.accountId,
    name: identity.accountName,
    links: [link('self', `/accounts/${identity.accountId}`)],
  })
  const workspaceView = () => ({
    id: identity.id,
    name: identity.name,
    status: 'ACTIVE',
    type: 'LIVE',
    active: true,
    contract: { type: 'REGULAR', status: 'ACTIVE', account: account() },
    url: `${runtime.baseUrl()}/${identity.name}`,
    links: [link('self', `/workspaces/${identity.id}`)],
  })
  const userView = (u: UserRecord) => ({
    id: u.id,
    account: account(),
    userName: u.userName,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    displayName: [u.firstName, u.lastName].filter(Boolean).join(' ') || u.userName,
    technicalUser: u.technicalUser,
    role: 'ACCOUNTUSER',
    status: u.status,
    active: u.status === 'ACTIVE',
    links: [link('self', `/users/${u.id}`)],
  })
  const permissionView = (u: UserRecord) => ({
    id: `${u.id.slice(0, 8)}-perm`,
    user: userView(u),
    workspaceId: identity.id,
    role: u.role,
    status: u.status,
    active: u.status === 'ACTIVE',
    links: [link('self', `/workspaces/${identity.id}/permissions/${u.id.slice(0, 8)}-perm`)],
  })
  const users = () => [...runtime.store.users.values()]

  app.get(`${mtm}/workspaces/:id`, async (request, reply) => {
    if (!(await bearer(request, reply))) return reply
    return { status: 'OK', type: 'Workspace', errors: [], data: workspaceView() }
  })

  app.get(`${mtm}/workspaces/:id/permissions`, async (request, reply) => {
    if (!(await bearer(request, reply))) return reply
    const data = users().map(permissionView)
    return { status: 'OK', type: 'Permission', errors: [], total: data.length, data }
  })

  // Workspace users, the lookup LeanIX documents for subscription filters (MTM getUsers).
  app.get(`${mtm}/workspaces/:id/users`, async (request, reply) => {
    if (!(await bearer(request, reply))) return reply
    const data = users().map((u) => ({ ...userView(u), permission: { role: u.role, status: u.status } }))
    return { status: 'OK', type: 'User', errors: [], total: data.length, data }
  })
}

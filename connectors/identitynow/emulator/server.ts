// The HTTP face of the emulated tenant: the token endpoint (client credentials as multipart,
// urlencoded or query string; HS256 JWTs shaped like IdentityNow's), v3 sources and
// identities (read), account activities, v2024 POST /access-requests/close, where the hub
// reports completed tickets, and the v3 Work Items API over manual work items (list with
// offset/limit/count/ownerId, count, get, complete, reject an approval item). Injected faults
// (tenant.faults) answer the next requests with 429 (Retry-After) or 5xx.
import Fastify, { type FastifyInstance } from 'fastify'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import { randomBytes } from 'node:crypto'
import { TokenIssuer } from '../oauth/jwt.ts'
import type { EmulatedTenant, EmulatedWorkItem } from './tenant.ts'

export interface TenantClient {
  clientId: string
  clientSecret: string
  /** the identity the client acts as ("the current user" of the Work Items API) */
  identityId?: string
}

// SailPoint's ErrorResponseDto
const errorBody = (detailCode: string, text: string) => ({
  detailCode,
  trackingId: randomBytes(16).toString('hex'),
  messages: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text }],
  causes: [],
})

/** the public WorkItems shape (the emulator's bookkeeping fields left out) */
function publicWorkItem(item: EmulatedWorkItem): Omit<EmulatedWorkItem, 'activityId' | 'sourceId'> {
  const { activityId: _activity, sourceId: _source, ...shape } = item
  return { ...shape, approvalItems: shape.approvalItems.map((a) => ({ ...a })) }
}

const integerParam = (value: unknown, fallback: number): number | undefined => {
  if (value === undefined) return fallback
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined
}

const field = (source: unknown, name: string): string | undefined => {
  const value = source && typeof source === 'object' ? (source as Record<string, unknown>)[name] : undefined
  return typeof value === 'string' ? value : undefined
}

export async function buildTenantServer(tenant: EmulatedTenant, clients: TenantClient[]): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  await app.register(formbody)
  await app.register(multipart, { attachFieldsToBody: 'keyValues' })
  const issuer = new TokenIssuer(randomBytes(32), { org: 'emulated-tenant' })

  app.post('/oauth/token', async (request, reply) => {
    const read = (name: string) => field(request.body, name) ?? field(request.query, name)
    if (read('grant_type') !== 'client_credentials') return reply.code(400).send({ error: 'unsupported_grant_type' })
    const client = clients.find((c) => c.clientId === read('client_id') && c.clientSecret === read('client_secret'))
    if (!client) return reply.code(401).send({ error: 'unauthorized', error_description: 'Bad credentials' })
    return issuer.issue({ clientId: client.clientId, name: client.clientId, role: 'admin' })
  })

  const callers = new WeakMap<object, string>()
  app.addHook('onRequest', async (request, reply) => {
    const fault = tenant.faults.shift()
    if (fault !== undefined) {
      if (fault === 429) return reply.code(429).header('retry-after', '1').send({ message: ' Rate Limit Exceeded ' })
      return reply.code(fault).send(errorBody(`${fault} Internal Fault`, 'injected fault'))
    }
    if (request.url.startsWith('/oauth/token')) return
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]
    const subject = token ? await issuer.verify(token).catch(() => undefined) : undefined
    if (!subject) return reply.code(401).send({ error: 'JWT validation failed: JWT is missing or invalid' })
    const client = clients.find((c) => c.clientId === subject.clientId)
    callers.set(request, client?.identityId ?? tenant.adminIdentityId)
  })

  app.get('/v3/sources', async () =>
    [...tenant.sources.values()].map((s) => ({ id: s.id, name: s.name, type: 'DelimitedFile' })),
  )
  app.get<{ Params: { id: string } }>('/v3/sources/:id', async (request, reply) => {
    const source = tenant.sources.get(request.params.id)
    if (!source) return reply.code(404).send(errorBody('404 Not found', `source ${request.params.id} not found`))
    return {
      id: source.id,
      name: source.name,
      type: source.manual ? 'DelimitedFile' : 'Active Directory - Direct',
      features: source.manual ? ['NO_PERMISSIONS_PROVISIONING'] : ['PROVISIONING'],
      owner: { type: 'IDENTITY', id: source.ownerId },
    }
  })

  // Work Items: "belonging to either the specified user (admin required), or the current user"
  const pendingOf = (ownerId: string) =>
    [...tenant.workItems.values()].filter((w) => w.state === 'Pending' && w.ownerId === ownerId)
  app.get<{ Querystring: Record<string, string | undefined> }>('/v3/work-items', async (request, reply) => {
    const limit = integerParam(request.query.limit, 250)
    const offset = integerParam(request.query.offset, 0)
    if (limit === undefined || limit < 1 || limit > 250)
      return reply.code(400).send(errorBody('400.1 Bad Request Content', 'limit must be an integer from 1 to 250'))
    if (offset === undefined)
      return reply.code(400).send(errorBody('400.1 Bad Request Content', 'offset must be a non-negative integer'))
    const all = pendingOf(request.query.ownerId ?? callers.get(request) ?? tenant.adminIdentityId)
    if (request.query.count === 'true') reply.header('x-total-count', String(all.length))
    return all.slice(offset, offset + limit).map(publicWorkItem)
  })
  app.get<{ Querystring: { ownerId?: string } }>('/v3/work-items/count', async (request) => ({
    count: pendingOf(request.query.ownerId ?? callers.get(request) ?? tenant.adminIdentityId).length,
  }))
  app.get<{ Params: { id: string } }>('/v3/work-items/:id', async (request, reply) => {
    const item = tenant.workItems.get(request.params.id)
    if (!item) return reply.code(404).send(errorBody('404 Not found', `work item ${request.params.id} not found`))
    return publicWorkItem(item)
  })
  // the body is optional: a JSON string (or null), as SailPoint's SDKs send it
  app.post<{ Params: { id: string } }>('/v3/work-items/:id', async (request, reply) => {
    const item = tenant.workItems.get(request.params.id)
    if (!item) return reply.code(404).send(errorBody('404 Not found', `work item ${request.params.id} not found`))
    if (item.state !== 'Pending')
      return reply.code(400).send(errorBody('400.1 Bad Request Content', `work item is ${item.state}, not Pending`))
    return publicWorkItem(tenant.completeWorkItem(item.id, request.body ?? null))
  })
  app.post<{ Params: { id: string; approvalItemId: string } }>(
    '/v3/work-items/:id/reject/:approvalItemId',
    async (request, reply) => {
      const item = tenant.workItems.get(request.params.id)
      const approval = item?.approvalItems.find((a) => a.id === request.params.approvalItemId)
      if (!item || !approval)
        return reply.code(404).send(errorBody('404 Not found', 'work item or approval item not found'))
      if (item.state !== 'Pending')
        return reply.code(400).send(errorBody('400.1 Bad Request Content', `work item is ${item.state}, not Pending`))
      approval.state = 'Rejected'
      item.modified = new Date().toISOString()
      return publicWorkItem(item)
    },
  )

  app.get('/v3/public-identities', async () =>
    [...tenant.identities.values()].map((i) => ({
      id: i.id,
      name: i.name,
      lifecycleState: { stateName: i.lifecycleState },
    })),
  )
  app.get('/v3/account-activities', async () =>
    [...tenant.activities.values()].map((a) => ({
      id: a.id,
      type: a.type,
      completionStatus: a.completionStatus,
      items: a.items.map((i) => ({ ...i, result: { ticketId: i.ticketId } })),
    })),
  )

  app.post('/v2024/access-requests/close', async (request, reply) => {
    const body = (request.body ?? {}) as { accessRequestIds?: unknown; completionStatus?: unknown }
    if (!Array.isArray(body.accessRequestIds) || body.accessRequestIds.length === 0) {
      return reply
        .code(400)
        .send({ detailCode: '400.1 Bad Request Content', messages: [{ text: 'accessRequestIds is required' }] })
    }
    tenant.closeRequests.push(body as Record<string, unknown>)
    const message =
      typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : ''
    for (const id of body.accessRequestIds) {
      const activity = tenant.activities.get(String(id))
      if (!activity) continue
      // the hub names the ticket in the message; without it the whole request closes
      const named = activity.items.filter((i) => i.ticketId && message.includes(i.ticketId))
      for (const item of named.length > 0 ? named : activity.items.filter((i) => i.provisioningStatus === 'PENDING')) {
        item.provisioningStatus = body.completionStatus === 'Success' ? 'COMMITED' : 'FAILED'
      }
      if (activity.items.every((i) => i.provisioningStatus !== 'PENDING')) {
        activity.completionStatus = activity.items.every((i) => i.provisioningStatus === 'COMMITED')
          ? 'SUCCESS'
          : 'FAILURE'
      }
    }
    return reply.code(202).send({})
  })
  return app
}

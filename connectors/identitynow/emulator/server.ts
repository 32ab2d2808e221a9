// The HTTP face of the emulated tenant: the token endpoint (client credentials as multipart,
// urlencoded or query string; HS256 JWTs shaped like IdentityNow's), v3 sources and
// identities (read), account activities, and v2024 POST /access-requests/close, where the hub
// reports completed tickets.
import Fastify, { type FastifyInstance } from 'fastify'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import { randomBytes } from 'node:crypto'
import { TokenIssuer } from '../oauth/jwt.ts'
import type { EmulatedTenant } from './tenant.ts'

export interface TenantClient {
  clientId: string
  clientSecret: string
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

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/oauth/token')) return
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]
    const subject = token ? await issuer.verify(token).catch(() => undefined) : undefined
    if (!subject) return reply.code(401).send({ error: 'JWT validation failed: JWT is missing or invalid' })
  })

  app.get('/v3/sources', async () =>
    [...tenant.sources.values()].map((s) => ({ id: s.id, name: s.name, type: 'DelimitedFile' })),
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

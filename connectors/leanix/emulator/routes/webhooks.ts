// /services/webhooks/v1 (docs/reference/leanix.md §5, S7 SubscriptionsApi): subscriptions CRUD, deliveries,
// PULL events and cursor. Answers are wrapped as {status, type, message?, errors, total?, data}.
// Managing webhooks is an admin task: technical users below ADMIN get 403.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { EmulatorRuntime } from '../runtime.ts'
import {
  ConcurrentPullError,
  deliveryBody,
  type PayloadMode,
  type WebhookService,
  type WebhookSubscription,
} from '../webhooks/webhook-service.ts'
import { authenticatedUser, bearerAuth } from './bearer-auth.ts'

const BASE = '/services/webhooks/v1'

function fail(reply: FastifyReply, status: number, message: string, value?: string) {
  return reply.code(status).send({
    status: 'ERROR',
    type: 'Subscription',
    message,
    errors: value === undefined ? [] : [{ value, messages: [message] }],
  })
}

type SubscriptionInput = Omit<
  WebhookSubscription,
  'id' | 'createdAt' | 'lastDeliveryStatus' | 'errorCount' | 'firstTimeDeliveryFailed'
>

/** Validates a subscription body; returns the problem as text, or the normalized input. */
function readSubscription(
  body: unknown,
  defaults: { workspaceId: string; userId: string },
  previous?: WebhookSubscription,
): SubscriptionInput | string {
  if (typeof body !== 'object' || body === null) return 'the body must be a subscription object'
  const b = { ...previous, ...(body as Record<string, unknown>) } as Record<string, unknown>
  const deliveryType = b.deliveryType ?? 'PUSH'
  if (deliveryType !== 'PUSH' && deliveryType !== 'PULL') return 'deliveryType must be PUSH or PULL'
  const tagSets = b.tagSets ?? []
  if (
    !Array.isArray(tagSets) ||
    !tagSets.every((set) => Array.isArray(set) && set.every((t) => typeof t === 'string'))
  ) {
    return 'tagSets must be a list of lists of tags, e.g. [["pathfinder","FACT_SHEET_UPDATED"]]'
  }
  const targetUrl = typeof b.targetUrl === 'string' ? b.targetUrl : null
  if (deliveryType === 'PUSH') {
    if (targetUrl === null || !/^https?:\/\//.test(targetUrl))
      return 'targetUrl (http or https) is required for PUSH subscriptions'
  }
  const targetMethod = b.targetMethod ?? 'POST'
  if (targetMethod !== 'POST' && targetMethod !== 'PUT') return 'targetMethod must be POST or PUT'
  const payloadMode = b.payloadMode ?? 'DEFAULT'
  if (!['DEFAULT', 'WRAPPED_EVENT', 'NO_PAYLOAD'].includes(payloadMode as string))
    return 'payloadMode must be DEFAULT, WRAPPED_EVENT or NO_PAYLOAD'
  const workspaceConstraint = b.workspaceConstraint ?? 'WORKSPACE'
  if (!['WORKSPACE', 'NO_WORKSPACE', 'ANY'].includes(workspaceConstraint as string))
    return 'workspaceConstraint must be WORKSPACE, NO_WORKSPACE or ANY'
  const maxBatchSize = b.maxBatchSize ?? 512
  if (!Number.isInteger(maxBatchSize) || (maxBatchSize as number) < 1)
    return 'maxBatchSize must be a positive integer (KiB)'
  return {
    identifier: typeof b.identifier === 'string' ? b.identifier : null,
    deliveryType,
    tagSets: tagSets as string[][],
    workspaceId: typeof b.workspaceId === 'string' ? b.workspaceId : defaults.workspaceId,
    userId: typeof b.userId === 'string' ? b.userId : defaults.userId,
    targetUrl,
    targetMethod,
    authorizationHeader:
      typeof b.authorizationHeader === 'string' && b.authorizationHeader !== '' ? b.authorizationHeader : null,
    callback: typeof b.callback === 'string' ? b.callback : null,
    ignoreError: b.ignoreError === true,
    maxBatchSize: maxBatchSize as number,
    workspaceConstraint: workspaceConstraint as SubscriptionInput['workspaceConstraint'],
    payloadMode: payloadMode as PayloadMode,
    active: b.active !== false,
  }
}

/** The authorization header is write-only, like a secret should be. */
function view(subscription: WebhookSubscription) {
  return { ...subscription, authorizationHeader: subscription.authorizationHeader === null ? null : '***' }
}

export async function webhookRoutes(
  app: FastifyInstance,
  runtime: EmulatorRuntime,
  webhooks: WebhookService,
): Promise<void> {
  app.addHook('onRequest', bearerAuth(runtime))
  app.addHook('preHandler', async (request, reply) => {
    const user = authenticatedUser(request)
    if (user.role !== 'ADMIN')
      return fail(reply, 403, `Access denied: managing webhooks needs the ADMIN role, not ${user.role}`)
  })

  app.get(`${BASE}/subscriptions`, async (request) => {
    const q = request.query as { identifier?: string; workspaceId?: string }
    const data = webhooks.list({
      ...(q.identifier === undefined ? {} : { identifier: q.identifier }),
      ...(q.workspaceId === undefined ? {} : { workspaceId: q.workspaceId }),
    })
    return { status: 'OK', type: 'Subscription', errors: [], total: data.length, data: data.map(view) }
  })

  app.post(`${BASE}/subscriptions`, async (request, reply) => {
    const user = authenticatedUser(request)
    const input = readSubscription(request.body, { workspaceId: runtime.store.identity.id, userId: user.id })
    if (typeof input === 'string') return fail(reply, 400, input, 'subscription')
    if (input.identifier !== null && webhooks.list({ identifier: input.identifier }).length > 0) {
      return fail(reply, 409, `A subscription with identifier '${input.identifier}' already exists`, 'identifier')
    }
    return reply.code(201).send({ status: 'OK', type: 'Subscription', errors: [], data: view(webhooks.create(input)) })
  })

  app.get(`${BASE}/subscriptions/:id`, async (request, reply) => {
    const subscription = webhooks.get((request.params as { id: string }).id)
    if (subscription === undefined) return fail(reply, 404, 'Subscription not found')
    return { status: 'OK', type: 'Subscription', errors: [], data: view(subscription) }
  })

  app.put(`${BASE}/subscriptions/:id`, async (request, reply) => {
    const { id } = request.params as { id: string }
    const current = webhooks.get(id)
    if (current === undefined) return fail(reply, 404, 'Subscription not found')
    const user = authenticatedUser(request)
    // A PUT without the write-only header keeps the one stored.
    const body = { ...(request.body as Record<string, unknown>) }
    if (body.authorizationHeader === '***' || body.authorizationHeader === undefined)
      body.authorizationHeader = current.authorizationHeader
    const input = readSubscription(body, { workspaceId: runtime.store.identity.id, userId: user.id }, current)
    if (typeof input === 'string') return fail(reply, 400, input, 'subscription')
    const updated = webhooks.update(id, input)
    return { status: 'OK', type: 'Subscription', errors: [], data: updated === undefined ? null : view(updated) }
  })

  app.delete(`${BASE}/subscriptions/:id`, async (request, reply) => {
    const deleted = webhooks.delete((request.params as { id: string }).id)
    if (deleted === undefined) return fail(reply, 404, 'Subscription not found')
    return { status: 'OK', type: 'Subscription', errors: [], data: view(deleted) }
  })

  app.get(`${BASE}/subscriptions/:id/deliveries`, async (request, reply) => {
    const list = webhooks.deliveries((request.params as { id: string }).id)
    if (list === undefined) return fail(reply, 404, 'Subscription not found')
    const q = request.query as { page?: string; size?: string; sort?: string }
    const size = Math.min(100, Math.max(1, Number(q.size ?? 30) || 30))
    const page = Math.max(1, Number(q.page ?? 1) || 1)
    const ordered = /createdAt-asc/i.test(q.sort ?? '') ? [...list].reverse() : list
    return {
      status: 'OK',
      type: 'Delivery',
      errors: [],
      total: list.length,
      data: ordered.slice((page - 1) * size, page * size),
    }
  })

  app.get(`${BASE}/subscriptions/:id/events`, async (request, reply) => {
    const { id } = request.params as { id: string }
    const subscription = webhooks.get(id)
    if (subscription === undefined) return fail(reply, 404, 'Subscription not found')
    if (subscription.deliveryType !== 'PULL') return fail(reply, 400, 'Subscription must be of type PULL')
    const q = request.query as { autoCommit?: string; timeout?: string }
    try {
      const result = await webhooks.pull(id, {
        autoCommit: q.autoCommit === 'true',
        timeoutSeconds: Number(q.timeout ?? 10) || 0,
      })
      if (result === undefined) return fail(reply, 404, 'Subscription not found')
      return {
        status: 'OK',
        type: 'PullResult',
        errors: [],
        total: result.events.length,
        data: {
          events: result.events.map((event) => ({
            cursor: { offset: event.offset },
            event: deliveryBody(subscription, event),
          })),
          nextCursor: { offset: result.nextOffset },
        },
      }
    } catch (error) {
      if (error instanceof ConcurrentPullError)
        return fail(reply, 409, 'Concurrent pulls on one subscription are not allowed')
      throw error
    }
  })

  app.put(`${BASE}/subscriptions/:id/cursor`, async (request, reply) => {
    const { id } = request.params as { id: string }
    const offset = (request.body as { offset?: unknown } | null)?.offset
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0)
      return fail(reply, 400, 'offset must be a non-negative integer', 'offset')
    if (!webhooks.commitCursor(id, offset)) return fail(reply, 404, 'Subscription not found')
    return { status: 'OK', type: 'Cursor', errors: [], data: { offset } }
  })
}

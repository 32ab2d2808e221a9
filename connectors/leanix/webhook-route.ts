// The hub route LeanIX PUSH webhooks post to: POST <prefix>/:connectionId. The lead mounts it
// with the shared inbox and a way to look up each connection's webhook secret.
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { receiveDelivery, type DeliveryDeps } from './webhooks/delivery.ts'

export interface LeanixWebhookRouteOptions extends DeliveryDeps {
  /** path prefix; the default is /webhooks/leanix */
  prefix?: string
}

/** where the route is mounted unless told otherwise */
export const LEANIX_WEBHOOK_PREFIX = '/webhooks/leanix'

const Params = Type.Object({ connectionId: Type.String({ minLength: 1 }) })
const Accepted = Type.Object({ accepted: Type.Integer() })

const route: FastifyPluginAsync<LeanixWebhookRouteOptions> = async (fastify, options) => {
  const prefix = options.prefix ?? LEANIX_WEBHOOK_PREFIX
  fastify.post<{ Params: { connectionId: string } }>(
    `${prefix}/:connectionId`,
    {
      // a delivery carries events, not documents: a few MB is plenty, and bounds what one costs
      bodyLimit: 4 * 1024 * 1024,
      // LeanIX cannot hold a hub bearer token: deliveries are authenticated by the connection's
      // webhook secret instead (checked in receiveDelivery)
      config: { public: true, rateLimitBucket: 'webhooks' },
      schema: {
        operationId: 'receiveLeanixWebhook',
        summary: 'Receive a LeanIX webhook (PUSH) delivery',
        tags: ['webhooks'],
        params: Params,
        response: { 202: Accepted, 503: Accepted },
      },
    },
    async (request, reply) => {
      const outcome = await receiveDelivery(
        { connectionId: request.params.connectionId, headers: request.headers, body: request.body },
        options,
      )
      return reply.code(outcome.status).send({ accepted: outcome.accepted })
    },
  )
}

export const leanixWebhookRoute = route
export default leanixWebhookRoute

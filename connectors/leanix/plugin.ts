// Fastify plugin that installs the LeanIX connector into the hub's connector registry, and,
// when given a way to look up webhook secrets, the PUSH webhook route fed into the same inbox.
import fp from 'fastify-plugin'
import type { FastifyPluginAsync } from 'fastify'
import type { ConnectorRegistry } from '../../core/connector/registry.ts'
import { egressPolicyOf } from '../../core/http/egress.ts'
import { createLeanixConnector, type LeanixConnectorOptions } from './connector.ts'
import { leanixWebhookRoute, type LeanixWebhookRouteOptions } from './webhook-route.ts'

declare module 'fastify' {
  interface FastifyInstance {
    connectors: ConnectorRegistry
  }
}

export interface LeanixPluginOptions extends LeanixConnectorOptions {
  /** mount POST <prefix>/:connectionId for PUSH deliveries */
  webhooks?: Omit<LeanixWebhookRouteOptions, 'inbox'>
}

const plugin: FastifyPluginAsync<LeanixPluginOptions> = async (fastify, options) => {
  const { webhooks, ...connectorOptions } = options
  const connector = createLeanixConnector({
    log: fastify.log,
    ...(fastify.hasDecorator('config') ? { egress: egressPolicyOf(fastify.config) } : {}),
    ...connectorOptions,
  })
  fastify.connectors.register(connector)
  if (webhooks) await fastify.register(leanixWebhookRoute, { ...webhooks, inbox: connector.inbox })
  fastify.addHook('onClose', async () => {
    await connector.close()
  })
}

export const leanixConnectorPlugin = fp(plugin, { name: 'crosswalk-connector-leanix', fastify: '5.x' })
export default leanixConnectorPlugin

// Fastify plugin that installs the Example connector into the hub's connector registry and
// closes its clients with the hub. Registered by app.ts through scaffolded-connectors.ts.
import fp from 'fastify-plugin'
import type { FastifyPluginAsync } from 'fastify'
import type { ConnectorRegistry } from '../../core/connector/registry.ts'
import { egressPolicyOf } from '../../core/http/egress.ts'
import { createExampleConnector, type ExampleConnectorOptions } from './connector.ts'

declare module 'fastify' {
  interface FastifyInstance {
    connectors: ConnectorRegistry
  }
}

const plugin: FastifyPluginAsync<ExampleConnectorOptions> = async (fastify, options) => {
  const connector = createExampleConnector({
    log: fastify.log,
    ...(fastify.hasDecorator('config') ? { egress: egressPolicyOf(fastify.config) } : {}),
    ...options,
  })
  fastify.connectors.register(connector)
  fastify.addHook('onClose', async () => {
    await connector.close()
  })
}

export const exampleConnectorPlugin = fp(plugin, { name: 'crosswalk-connector-example', fastify: '5.x' })
export default exampleConnectorPlugin

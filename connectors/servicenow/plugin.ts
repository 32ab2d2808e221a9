// Fastify plugin that installs the ServiceNow connector into the hub's connector registry.
import fp from 'fastify-plugin'
import type { FastifyPluginAsync } from 'fastify'
import type { ConnectorRegistry } from '../../core/connector/registry.ts'
import { egressPolicyOf } from '../../core/http/egress.ts'
import { createServiceNowConnector } from './connector.ts'
import type { ServiceNowConnectorOptions } from './connector.ts'

declare module 'fastify' {
  interface FastifyInstance {
    connectors: ConnectorRegistry
  }
}

export type ServiceNowPluginOptions = ServiceNowConnectorOptions

const plugin: FastifyPluginAsync<ServiceNowPluginOptions> = async (fastify, options) => {
  const connector = createServiceNowConnector({
    log: fastify.log,
    ...(fastify.hasDecorator('config') ? { egress: egressPolicyOf(fastify.config) } : {}),
    ...options,
  })
  fastify.connectors.register(connector)
  fastify.addHook('onClose', async () => {
    await connector.close()
  })
}

export const serviceNowConnectorPlugin = fp(plugin, { name: 'crosswalk-connector-servicenow', fastify: '5.x' })
export default serviceNowConnectorPlugin

// Fastify plugin that installs the LeanIX connector into the hub's connector registry.
import fp from 'fastify-plugin'
import type { FastifyPluginAsync } from 'fastify'
import type { ConnectorRegistry } from '../../core/connector/registry.ts'
import type { Connector } from '../../core/connector/contract.ts'
import { createLeanixConnector, type LeanixConnector, type LeanixConnectorOptions } from './connector.ts'

declare module 'fastify' {
  interface FastifyInstance {
    connectors: ConnectorRegistry
  }
}

export type LeanixPluginOptions = LeanixConnectorOptions

const plugin: FastifyPluginAsync<LeanixPluginOptions> = async (fastify, options) => {
  const connector: LeanixConnector = createLeanixConnector(options)
  fastify.connectors.register(connector as unknown as Connector)
  fastify.addHook('onClose', async () => {
    await connector.close()
  })
}

export const leanixConnectorPlugin = fp(plugin, { name: 'crosswalk-connector-leanix', fastify: '5.x' })
export default leanixConnectorPlugin

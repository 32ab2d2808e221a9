// Custom connectors as a plugin: `app.customConnectors`, registered before the sync plugin, which
// lays them over the connections its mappings and runs resolve (core/custom-connectors/).
import fp from 'fastify-plugin'
import { CustomConnectorService } from '../core/custom-connectors/service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    customConnectors: CustomConnectorService
  }
}

/** How long registering may keep the system busy (a discovery and one read). */
const SYSTEM_TIMEOUT_MS = 30_000

export default fp(
  async function customConnectors(app) {
    const logger = app.log.child({ component: 'custom-connectors' })
    app.decorate(
      'customConnectors',
      new CustomConnectorService({
        db: app.db,
        registry: app.connectors,
        async connection(id) {
          const record = await app.connections.get(id)
          return {
            connector: app.connectors.get(record.connector),
            context: await app.connections.resolve(id, logger, AbortSignal.timeout(SYSTEM_TIMEOUT_MS)),
          }
        },
      }),
    )
  },
  {
    name: 'crosswalk-custom-connectors',
    dependencies: ['crosswalk-store', 'crosswalk-kernel', 'crosswalk-connections'],
  },
)

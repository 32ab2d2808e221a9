// The kernel objects every other plugin uses: the event bus and the connector registry.
// Connector plugins depend on this one and register themselves into `app.connectors`.
import fp from 'fastify-plugin'
import { EventBus } from '../core/bus/event-bus.ts'
import { ConnectorRegistry } from '../core/connector/registry.ts'

declare module 'fastify' {
  interface FastifyInstance {
    bus: EventBus
    connectors: ConnectorRegistry
  }
}

export default fp(
  async function kernel(app) {
    app.decorate('bus', new EventBus((event, error) => app.log.error({ err: error, event }, 'event listener failed')))
    app.decorate('connectors', new ConnectorRegistry())
  },
  { name: 'crosswalk-kernel' },
)

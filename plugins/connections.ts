// The connection repository as a plugin: `app.connections`.
import fp from 'fastify-plugin'
import { ConnectionRepository } from '../core/connections/repository.ts'
import { settingsSecretRule } from '../core/connections/settings.ts'

declare module 'fastify' {
  interface FastifyInstance {
    connections: ConnectionRepository
  }
}

export default fp(
  async function connections(app) {
    const publish = (connectionId: string, action: 'created' | 'updated' | 'deleted') =>
      app.bus.publish('connection.changed', { connectionId, action, at: new Date().toISOString() })
    app.decorate('connections', new ConnectionRepository(app.db, app.connectors, app.vault, publish))
    // audit summaries hide what any connector's schema marks secret, wherever settings appear
    app.audit.addSecretRule(settingsSecretRule(() => app.connectors.list()))
  },
  {
    name: 'crosswalk-connections',
    dependencies: ['crosswalk-store', 'crosswalk-kernel', 'crosswalk-vault', 'crosswalk-audit'],
  },
)

// The connection repository as a plugin: `app.connections`, and the periodic checks that keep
// each connection's health (connections.checkIntervalMinutes).
import fp from 'fastify-plugin'
import { ConnectionRepository } from '../core/connections/repository.ts'
import { PeriodicChecks } from '../core/connections/periodic-checks.ts'
import { settingsSecretRule } from '../core/connections/settings.ts'

declare module 'fastify' {
  interface FastifyInstance {
    connections: ConnectionRepository
    connectionChecks: PeriodicChecks
  }
}

export default fp(
  async function connections(app) {
    const publish = (connectionId: string, action: 'created' | 'updated' | 'deleted') =>
      app.bus.publish('connection.changed', { connectionId, action, at: new Date().toISOString() })
    const checked = (connectionId: string, ok: boolean) =>
      app.bus.publish('connection.checked', { connectionId, ok, at: new Date().toISOString() })
    const repository = new ConnectionRepository(app.db, app.connectors, app.vault, publish, checked)
    app.decorate('connections', repository)
    // audit summaries hide what any connector's schema marks secret, wherever settings appear
    app.audit.addSecretRule(settingsSecretRule(() => app.connectors.list()))

    const checks = new PeriodicChecks({
      queue: app.queue,
      connections: repository,
      logger: app.log.child({ component: 'connection-checks' }),
    })
    app.decorate('connectionChecks', checks)
    const interval = app.config.connections.checkIntervalMinutes
    // once every connector is registered (a pass may come as soon as the worker starts)
    app.addHook('onReady', async () => checks.start(interval === 'off' ? 0 : interval))
  },
  {
    name: 'crosswalk-connections',
    dependencies: ['crosswalk-store', 'crosswalk-kernel', 'crosswalk-queue', 'crosswalk-vault', 'crosswalk-audit'],
  },
)

// GET /api/v1/status: is the integration healthy? Each connection with its last check, each
// mapping with its last finished run, and the IdentityNow SIM's ticket backlog, from the shared
// status snapshot (plugins/status-snapshot.ts: a fixed number of queries, at most once a second).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { adminErrors } from '../schemas/common.ts'
import { ConnectionHealth, IntegrationStatus } from '../schemas/status.ts'
import { toRunAnswer } from './run-answers.ts'

const statusRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(ConnectionHealth)

  app.get(
    '/status',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['status'],
        operationId: 'getIntegrationStatus',
        summary: 'Whether the integration is healthy: connections, mappings and the SIM backlog',
        description:
          "Each connection with its last check (by hand or periodic: connections.checkIntervalMinutes), each mapping with its last finished run (dry runs left out), and the IdentityNow SIM's tickets by state with the age of the oldest open one. The same over GraphQL: integrationStatus. The answer is shared by every caller for a second, or two while the next one is read (generatedAt says when it was read); a change made through this hub instance shows at once, one made through another instance sharing the store within two seconds.",
        response: { 200: IntegrationStatus, ...adminErrors },
      },
    },
    async () => {
      const snapshot = await app.status.current()
      return {
        generatedAt: snapshot.generatedAt.toISOString(),
        connections: snapshot.connections.map((connection) => {
          const health = app.status.healthOf(connection)
          return {
            id: connection.id,
            name: connection.name,
            connector: connection.connector,
            health: health
              ? {
                  checkedAt: health.checkedAt,
                  ok: health.ok,
                  code: health.code,
                  message: health.message,
                  latencyMs: health.latencyMs,
                  trigger: health.trigger,
                  lastOkAt: health.lastOkAt,
                }
              : null,
          }
        }),
        mappings: snapshot.mappings.map((m) => {
          const run = app.status.lastFinishedRunOf(m)
          return { id: m.id, name: m.name, enabled: m.enabled, lastRun: run ? toRunAnswer(run) : null }
        }),
        sim: snapshot.sim,
      }
    },
  )
}

export default statusRoutes

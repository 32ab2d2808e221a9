// GET /api/v1/status: is the integration healthy? Each connection with its last check, each
// mapping with its last finished run, and the IdentityNow SIM's ticket backlog, in a fixed
// number of queries whatever the number of records (no query per connection or mapping).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { adminErrors } from '../schemas/common.ts'
import { ConnectionHealth, IntegrationStatus } from '../schemas/status.ts'
import { toRunAnswer } from './run-answers.ts'
import { allMappings, simBacklog } from './status-answers.ts'

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
          "Each connection with its last check (by hand or periodic: connections.checkIntervalMinutes), each mapping with its last finished run (dry runs left out), and the IdentityNow SIM's tickets by state with the age of the oldest open one. The same over GraphQL: integrationStatus.",
        response: { 200: IntegrationStatus, ...adminErrors },
      },
    },
    async () => {
      const generatedAt = new Date()
      const [connections, mappings, sim] = await Promise.all([
        app.connections.health.summary(),
        allMappings(app),
        simBacklog(app, generatedAt.getTime()),
      ])
      const lastRuns = await app.runs.lastFinishedByMappings(mappings.map((m) => m.id))
      return {
        generatedAt: generatedAt.toISOString(),
        connections: connections.map(({ id, name, connector, health }) => ({
          id,
          name,
          connector,
          health: health && {
            checkedAt: health.checkedAt,
            ok: health.ok,
            code: health.code,
            message: health.message,
            latencyMs: health.latencyMs,
            trigger: health.trigger,
            lastOkAt: health.lastOkAt,
          },
        })),
        mappings: mappings.map((m) => {
          const run = lastRuns.get(m.id)
          return { id: m.id, name: m.name, enabled: m.enabled, lastRun: run ? toRunAnswer(run) : null }
        }),
        sim,
      }
    },
  )
}

export default statusRoutes

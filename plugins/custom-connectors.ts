// Custom connectors as a plugin: `app.customConnectors`, registered before the sync plugin, which
// lays them over the connections its mappings and runs resolve (core/custom-connectors/).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { AuditStep } from '../core/audit/audit-log.ts'
import { CustomConnectorService, type CustomConnectorChange } from '../core/custom-connectors/service.ts'
import { flagDrift } from '../core/custom-connectors/drift.ts'

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

/** Re-discovers a custom connector's table and flags the mappings it breaks (REST and GraphQL). */
export async function rediscoverAndFlag(app: FastifyInstance, idOrName: string, audit: AuditStep) {
  const { record, changes } = await app.customConnectors.rediscover(idOrName, audit)
  const drifted = await flagDrift(app.db, { env: app.sync.env, mappings: app.mappings }, record, changes)
  return { connector: record, changes, drifted }
}

/** Cancels the runs of the mappings that wait or run; their ids. */
async function cancelRunsOf(app: FastifyInstance, mappingIds: readonly string[]): Promise<string[]> {
  const cancelled: string[] = []
  for (const mappingId of mappingIds)
    for (const status of ['QUEUED', 'RUNNING'] as const)
      for (const run of (await app.runs.list({ mappingId, status, limit: 100 })).items) {
        await app.sync.runService.cancel(run.id)
        cancelled.push(run.id)
      }
  return cancelled
}

/** Removes a custom connector: the runs of its mappings are cancelled, new ones refused, links kept. */
export async function removeCustomConnector(app: FastifyInstance, idOrName: string, audit: AuditStep) {
  const { record, mappings, cancelledRuns } = await app.customConnectors.remove(
    idOrName,
    (mappingIds) => cancelRunsOf(app, mappingIds),
    audit,
  )
  return { connector: record, mappings, cancelledRuns }
}

/**
 * Changes a custom connector in place (REST and GraphQL): written and the mappings it breaks
 * flagged in one transaction, then the runs of its table's mappings, made with what it was, are
 * cancelled, and those mappings are checked against the new schema as a re-discovery checks them.
 */
export async function changeCustomConnector(
  app: FastifyInstance,
  idOrName: string,
  change: CustomConnectorChange,
  audit: AuditStep,
  readAt?: string,
) {
  const { record, changes, mappings } = await app.customConnectors.update(idOrName, change, audit, readAt)
  const cancelledRuns = await cancelRunsOf(
    app,
    mappings.map((m) => m.id),
  )
  const drifted = await flagDrift(app.db, { env: app.sync.env, mappings: app.mappings }, record, changes)
  return { connector: record, changes, drifted, cancelledRuns }
}

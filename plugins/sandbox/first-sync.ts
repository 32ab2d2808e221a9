// The sandbox's first sync: with nothing mapped between its two connections yet, the CSDM default
// mappings are created (as POST /api/v1/mappings/defaults does) and run one after the other,
// capabilities before the applications that point at them. Nothing is created twice: once any
// mapping joins the two connections, a restart leaves them as they are. Events are taken at once
// in the sandbox (events.shortBuffering), so that a change made in the LeanIX emulator shows in
// ServiceNow within seconds rather than after the defaults' 15-minute batch.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { MappingRecord } from '../../core/mapping/repository.ts'

export const SANDBOX_ACTOR = 'sandbox'

/** The mappings joining the two connections, oldest first. */
async function mappingsBetween(app: FastifyInstance, a: string, b: string): Promise<MappingRecord[]> {
  const { items } = await app.mappings.list({ connectionId: a, limit: 500 })
  return items
    .filter((m) => [m.sourceConnectionId, m.targetConnectionId].includes(b))
    .sort((x, y) => x.createdAt.localeCompare(y.createdAt))
}

/** Logs the runs of the sandbox's mappings: started, progress (at most every 2 s), finished. */
function logRuns(app: FastifyInstance, mappings: MappingRecord[], log: FastifyBaseLogger): () => void {
  const names = new Map(mappings.map((m) => [m.id, m.name]))
  const lastProgress = new Map<string, number>()
  const stops = [
    app.bus.subscribe('run.started', (e) => {
      const mapping = names.get(e.mappingId)
      if (mapping) log.info({ runId: e.runId, mapping, trigger: e.trigger, dryRun: e.dryRun }, 'sandbox: run started')
    }),
    app.bus.subscribe('run.progress', (e) => {
      const mapping = names.get(e.mappingId)
      const now = Date.now()
      if (!mapping || now - (lastProgress.get(e.runId) ?? 0) < 2000) return
      lastProgress.set(e.runId, now)
      const { runId, mappingId: _, ...counts } = e
      log.info({ runId, mapping, ...counts }, 'sandbox: run progress')
    }),
    app.bus.subscribe('run.finished', (e) => {
      const mapping = names.get(e.mappingId)
      if (!mapping) return
      lastProgress.delete(e.runId)
      const { runId, mappingId: _, at: __, ...rest } = e
      log.info({ runId, mapping, ...rest }, `sandbox: run finished ${e.status}`)
    }),
  ]
  return () => {
    for (const stop of stops) stop()
  }
}

/** Runs each mapping once, in order, each after the one before it finished. */
async function runInOrder(app: FastifyInstance, mappings: MappingRecord[], log: FastifyBaseLogger): Promise<void> {
  const [first, ...rest] = mappings
  if (!first) return
  const run = await app.sync.runService.start(first.id, { trigger: 'manual' })
  log.info(
    { runId: run.id, mapping: first.name },
    `sandbox: first sync of ${first.name} queued; GET /api/v1/runs/${run.id} follows it`,
  )
  if (rest.length === 0) return
  const stop = app.bus.subscribe('run.finished', (e) => {
    if (e.runId !== run.id) return
    stop()
    runInOrder(app, rest, log).catch((err: unknown) =>
      log.error({ err }, 'sandbox: the first sync could not go on to the next mapping'),
    )
  })
}

/** Creates the defaults and starts their first sync, or finds them there; returns what stops its run log. */
export async function startFirstSync(
  app: FastifyInstance,
  connections: { leanix: string; servicenow: string },
  log: FastifyBaseLogger,
): Promise<() => void> {
  const existing = await mappingsBetween(app, connections.leanix, connections.servicenow)
  if (existing.length > 0) {
    log.info(
      { mappings: existing.map((m) => m.name) },
      'sandbox: mappings between the sandbox connections exist already; no defaults created, no first sync started',
    )
    return logRuns(app, existing, log)
  }
  const defaults = await app.sync.mappingService.createDefaults(
    { leanixConnectionId: connections.leanix, servicenowConnectionId: connections.servicenow },
    SANDBOX_ACTOR,
  )
  const created: MappingRecord[] = []
  for (const mapping of defaults) {
    created.push(
      await app.sync.mappingService.patch(
        mapping.id,
        { events: { ...mapping.definition.events, shortBuffering: true } },
        SANDBOX_ACTOR,
      ),
    )
  }
  const stopLogging = logRuns(app, created, log)
  log.info(
    { mappings: created.map((m) => ({ id: m.id, name: m.name })) },
    'sandbox: CSDM default mappings created between sandbox-leanix and sandbox-servicenow (events run at once)',
  )
  await runInOrder(app, created, log)
  return stopLogging
}

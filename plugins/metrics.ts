// Prometheus metrics at GET /metrics: process defaults, HTTP requests by method, route pattern and
// status, job queue depth, connection health and runs by mapping and status (read from the store
// on each scrape, so every instance shows the same), run counts and durations and failed jobs
// (from the bus). Modules add their own to `app.metrics` (IdentityNow: SIM tickets by state).
// Each app has its own registry, so several apps in one process (tests) never clash.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { ConnectionHealthRepository, type ConnectionHealthSummary } from '../core/connections/health.ts'
import { RunRepository } from '../core/sync/runs-repository.ts'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry
  }
}

/** Runs started on this instance whose end is not seen yet; bounded, as a run may end elsewhere. */
const MAX_OPEN_RUNS = 10_000

const RUN_OUTCOMES = ['created', 'updated', 'deleted', 'unchanged', 'failed'] as const

/**
 * One read of the store shared by the gauges of a scrape: prom-client collects every metric at
 * once, so the gauges that ask while a read is in flight get that read. A failed read is logged
 * once and leaves those gauges empty; the scrape still answers with everything else.
 */
export function sharedPerScrape<T>(
  read: () => Promise<T>,
  onError: (err: unknown) => void,
): () => Promise<T | undefined> {
  let inFlight: Promise<T | undefined> | undefined
  return () =>
    (inFlight ??= read()
      .catch((err: unknown) => {
        onError(err)
        return undefined
      })
      .finally(() => {
        inFlight = undefined
      }))
}

export default fp(
  async function metrics(app: FastifyInstance) {
    const registry = new Registry()
    collectDefaultMetrics({ register: registry })

    const httpRequests = new Counter({
      name: 'crosswalk_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers: [registry],
    })
    const httpDuration = new Histogram({
      name: 'crosswalk_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    })
    app.addHook('onResponse', async (request, reply) => {
      // the pattern, never the raw URL: ids in paths would make one series per record
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? '(unmatched)',
        status_code: String(reply.statusCode),
      }
      httpRequests.inc(labels)
      httpDuration.observe(labels, reply.elapsedTime / 1000)
    })

    new Gauge({
      name: 'crosswalk_queue_jobs',
      help: 'Jobs in the job queue by queue and state (queued includes retries waiting out their delay).',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        this.reset()
        try {
          for (const depth of await app.queue.depth()) {
            this.set({ queue: depth.queue, state: 'queued' }, depth.queued)
            this.set({ queue: depth.queue, state: 'active' }, depth.active)
          }
        } catch (err) {
          // a scrape still answers with everything else when the store does not
          app.log.warn({ err }, 'queue depth unavailable for /metrics')
        }
      },
    })

    // connection health, from the last check of each (by hand or periodic, on any instance)
    const connectionLabels = ['connection_id', 'connection', 'connector'] as const
    const healthRepository = new ConnectionHealthRepository(app.db)
    const readHealth = sharedPerScrape(
      () => healthRepository.summary(),
      (err) => app.log.warn({ err }, 'connection health unavailable for /metrics'),
    )
    const connectionGauge = (
      name: string,
      help: string,
      value: (health: NonNullable<ConnectionHealthSummary['health']>) => number | undefined,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: connectionLabels,
        registers: [registry],
        async collect() {
          this.reset()
          for (const c of (await readHealth()) ?? []) {
            const v = c.health ? value(c.health) : undefined
            if (v !== undefined) this.set({ connection_id: c.id, connection: c.name, connector: c.connector }, v)
          }
        },
      })
    const seconds = (iso: string) => Date.parse(iso) / 1000
    connectionGauge(
      'crosswalk_connection_up',
      'Whether the last check of each connection passed (1) or not (0).',
      (h) => (h.ok ? 1 : 0),
    )
    connectionGauge(
      'crosswalk_connection_last_check_timestamp_seconds',
      'When each connection was last checked (by hand or periodic), in Unix seconds.',
      (h) => seconds(h.checkedAt),
    )
    connectionGauge(
      'crosswalk_connection_last_ok_timestamp_seconds',
      'When a check of each connection last passed, in Unix seconds (absent until one has).',
      (h) => (h.lastOkAt ? seconds(h.lastOkAt) : undefined),
    )
    connectionGauge(
      'crosswalk_connection_check_latency_seconds',
      'How long the last check of each connection took.',
      (h) => h.latencyMs / 1000,
    )

    const runRepository = new RunRepository(app.db)
    new Gauge({
      name: 'crosswalk_mapping_runs',
      help: 'Sync runs kept in the store (sync.runRetentionDays) by mapping and status, dry runs left out.',
      labelNames: ['mapping_id', 'mapping', 'status'] as const,
      registers: [registry],
      async collect() {
        this.reset()
        try {
          for (const r of await runRepository.countsByMapping()) {
            this.set({ mapping_id: r.mappingId, mapping: r.mapping, status: r.status }, r.runs)
          }
        } catch (err) {
          app.log.warn({ err }, 'runs by mapping unavailable for /metrics')
        }
      },
    })

    const jobsFailed = new Counter({
      name: 'crosswalk_jobs_failed_total',
      help: 'Jobs that failed for good (no retry left), by queue.',
      labelNames: ['queue'] as const,
      registers: [registry],
    })
    const runsFinished = new Counter({
      name: 'crosswalk_runs_total',
      help: 'Sync runs finished, by status.',
      labelNames: ['status'] as const,
      registers: [registry],
    })
    const runDuration = new Histogram({
      name: 'crosswalk_run_duration_seconds',
      help: 'Duration of sync runs started and finished on this instance, by status.',
      labelNames: ['status'] as const,
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
      registers: [registry],
    })
    const runRecords = new Counter({
      name: 'crosswalk_run_records_total',
      help: 'Records handled by finished sync runs, by outcome.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    })

    const runStarts = new Map<string, number>()
    const unsubscribe = [
      app.bus.subscribe('job.failed', (event) => jobsFailed.inc({ queue: event.queue })),
      app.bus.subscribe('run.started', (event) => {
        if (runStarts.size >= MAX_OPEN_RUNS) {
          const oldest = runStarts.keys().next()
          if (!oldest.done) runStarts.delete(oldest.value)
        }
        runStarts.set(event.runId, Date.parse(event.at))
      }),
      app.bus.subscribe('run.finished', (event) => {
        runsFinished.inc({ status: event.status })
        for (const outcome of RUN_OUTCOMES) if (event[outcome] > 0) runRecords.inc({ outcome }, event[outcome])
        const started = runStarts.get(event.runId)
        runStarts.delete(event.runId)
        const ended = Date.parse(event.at)
        if (started !== undefined && Number.isFinite(started) && ended >= started) {
          runDuration.observe({ status: event.status }, (ended - started) / 1000)
        }
      }),
    ]
    app.addHook('onClose', async () => {
      for (const off of unsubscribe) off()
    })

    app.decorate('metrics', registry)

    app.get(
      '/metrics',
      {
        config: { public: app.config.publicMetrics, role: 'viewer', rateLimitBucket: 'probes' },
        schema: {
          tags: ['metrics'],
          operationId: 'getMetrics',
          summary: 'Prometheus metrics of this instance',
          description:
            'Process, HTTP, job queue, connection health, sync run and SIM ticket metrics in the Prometheus text ' +
            'format. Queue depth, connection health (crosswalk_connection_*), runs by mapping and status ' +
            '(crosswalk_mapping_runs) and SIM tickets (crosswalk_sim_*) are read from the store on each scrape and ' +
            'are the same on every instance; the other metrics are per instance.',
          produces: ['text/plain'],
          response: {
            200: {
              description: 'Prometheus text exposition format 0.0.4',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      async (_request, reply) => {
        const body = await registry.metrics()
        return reply.type(registry.contentType).send(body)
      },
    )
  },
  { name: 'crosswalk-metrics', dependencies: ['crosswalk-config', 'crosswalk-kernel', 'crosswalk-queue'] },
)

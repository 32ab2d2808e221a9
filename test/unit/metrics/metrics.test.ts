// GET /metrics: Prometheus text with HTTP, queue depth, run and failed-job metrics, one registry
// per app, and a route documented for OpenAPI.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { testStore } from '../../helpers/store.ts'
import { buildQueueApp } from '../../helpers/queue-app.ts'

const db = await testStore(t)

async function appWithRoute(config: Record<string, unknown> = {}): Promise<FastifyInstance> {
  const app = await buildQueueApp({ db, config })
  app.get('/things/:id', { config: { public: true } }, async (request, reply) => {
    const { id } = request.params as { id: string }
    if (id === 'missing') return reply.code(404).send({ message: 'no such thing' })
    return { id }
  })
  t.teardown(() => app.close())
  await app.ready()
  return app
}

/** The value of one sample line, e.g. `name{label="x"} 3`. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

t.test('HTTP requests are counted and timed by method, route pattern and status', async (t) => {
  const app = await appWithRoute()
  await app.inject('/things/1')
  await app.inject('/things/2')
  await app.inject('/things/missing')
  await app.inject('/no/such/route/123')
  const res = await app.inject('/metrics')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const body = res.body
  t.equal(sample(body, 'crosswalk_http_requests_total{method="GET",route="/things/:id",status_code="200"}'), 2)
  t.equal(sample(body, 'crosswalk_http_requests_total{method="GET",route="/things/:id",status_code="404"}'), 1)
  t.equal(sample(body, 'crosswalk_http_requests_total{method="GET",route="(unmatched)",status_code="404"}'), 1)
  t.equal(
    sample(body, 'crosswalk_http_request_duration_seconds_count{method="GET",route="/things/:id",status_code="200"}'),
    2,
  )
  t.notMatch(body, /route="\/things\/1"/, 'raw URLs never become labels')
  t.ok(sample(body, 'process_cpu_user_seconds_total') !== undefined, 'default process metrics are there')
})

t.test('queue depth is read per queue on each scrape', async (t) => {
  const app = await appWithRoute()
  await app.queue.define({ name: 'metrics-depth' })
  await app.queue.send('metrics-depth', { n: 1 })
  await app.queue.send('metrics-depth', { n: 2 })
  let body = (await app.inject('/metrics')).body
  t.equal(sample(body, 'crosswalk_queue_jobs{queue="metrics-depth",state="queued"}'), 2)
  t.equal(sample(body, 'crosswalk_queue_jobs{queue="metrics-depth",state="active"}'), 0)
  await app.queue.send('metrics-depth', { n: 3 })
  body = (await app.inject('/metrics')).body
  t.equal(sample(body, 'crosswalk_queue_jobs{queue="metrics-depth",state="queued"}'), 3)
})

t.test('runs and failed jobs are counted from bus events', async (t) => {
  const app = await appWithRoute()
  const progress = { mappingId: 'm1', phase: 'done', read: 10, unchanged: 4 }
  app.bus.publish('run.started', {
    runId: 'r1',
    mappingId: 'm1',
    dryRun: false,
    trigger: 'manual',
    at: '2026-01-01T00:00:00.000Z',
  })
  app.bus.publish('run.finished', {
    ...progress,
    runId: 'r1',
    created: 3,
    updated: 2,
    deleted: 1,
    failed: 0,
    status: 'succeeded',
    at: '2026-01-01T00:00:02.500Z',
  })
  // a run started on another instance is counted, but has no duration here
  app.bus.publish('run.finished', {
    ...progress,
    runId: 'r2',
    created: 0,
    updated: 0,
    deleted: 0,
    failed: 5,
    status: 'failed',
    at: '2026-01-01T00:00:03.000Z',
  })
  app.bus.publish('job.failed', { queue: 'sim-tickets', jobId: 'j1', error: 'no', at: '2026-01-01T00:00:00.000Z' })
  const body = (await app.inject('/metrics')).body
  t.equal(sample(body, 'crosswalk_runs_total{status="succeeded"}'), 1)
  t.equal(sample(body, 'crosswalk_runs_total{status="failed"}'), 1)
  t.equal(sample(body, 'crosswalk_run_duration_seconds_sum{status="succeeded"}'), 2.5)
  t.equal(sample(body, 'crosswalk_run_duration_seconds_count{status="succeeded"}'), 1)
  t.equal(sample(body, 'crosswalk_run_duration_seconds_count{status="failed"}'), undefined)
  t.equal(sample(body, 'crosswalk_run_records_total{outcome="created"}'), 3)
  t.equal(sample(body, 'crosswalk_run_records_total{outcome="unchanged"}'), 8)
  t.equal(sample(body, 'crosswalk_run_records_total{outcome="failed"}'), 5)
  t.equal(sample(body, 'crosswalk_jobs_failed_total{queue="sim-tickets"}'), 1)
})

t.test('every app has its own registry', async (t) => {
  const first = await appWithRoute()
  const second = await appWithRoute()
  t.not(first.metrics, second.metrics)
  await first.inject('/things/a')
  const series = 'crosswalk_http_requests_total{method="GET",route="/things/:id",status_code="200"}'
  t.equal(sample((await first.inject('/metrics')).body, series), 1)
  t.equal(sample((await second.inject('/metrics')).body, series), undefined)
})

t.test('the route is documented for OpenAPI and declares its access', async (t) => {
  const app = await buildQueueApp({ db, config: { publicMetrics: false } })
  let seenConfig: unknown
  app.addHook('onRequest', async (request) => {
    seenConfig = request.routeOptions.config
  })
  t.teardown(() => app.close())
  await app.ready()
  const doc = app.swagger() as { paths: Record<string, { get?: { responses?: Record<string, unknown> } }> }
  t.match(doc.paths['/metrics']?.get?.responses?.['200'], {
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  await app.inject('/metrics')
  t.match(seenConfig, { public: false, role: 'viewer' }, 'follows publicMetrics; viewers may read it')
})

// GET /metrics: Prometheus text with HTTP, queue depth, run and failed-job metrics, one registry
// per app, and a route documented for OpenAPI.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { testStore } from '../../helpers/store.ts'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { zeroCounts } from '../../../core/sync/counts.ts'

const db = await testStore(t)
// one vault key for every hub on this store, as for hub instances sharing a database
const masterKey = randomBytes(32).toString('base64')

/** The hub as production builds it, on this file's store, with one public test route. */
function hubWithRoute(
  tt: { teardown(fn: () => unknown): void },
  config: Record<string, unknown> = {},
): Promise<TestApp> {
  return buildTestApp(tt, {
    db,
    config: { masterKey, queue: { pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 1 }, ...config },
    setup: (app) => {
      app.get('/things/:id', { config: { public: true } }, async (request, reply) => {
        const { id } = request.params as { id: string }
        if (id === 'missing') return reply.code(404).send({ message: 'no such thing' })
        return { id }
      })
    },
  })
}

/** The value of one sample line, e.g. `name{label="x"} 3`. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

t.test('HTTP requests are counted and timed by method, route pattern and status', async (t) => {
  const hub = await hubWithRoute(t)
  await hub.inject('/things/1', null)
  await hub.inject('/things/2', null)
  await hub.inject('/things/missing', null)
  await hub.inject('/no/such/route/123')
  const res = await hub.inject('/metrics', null)
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
  const hub = await hubWithRoute(t)
  const { queue } = hub.hub
  await queue.define({ name: 'metrics-depth' })
  await queue.send('metrics-depth', { n: 1 })
  await queue.send('metrics-depth', { n: 2 })
  let body = (await hub.inject('/metrics')).body
  t.equal(sample(body, 'crosswalk_queue_jobs{queue="metrics-depth",state="queued"}'), 2)
  t.equal(sample(body, 'crosswalk_queue_jobs{queue="metrics-depth",state="active"}'), 0)
  await queue.send('metrics-depth', { n: 3 })
  body = (await hub.inject('/metrics')).body
  t.equal(sample(body, 'crosswalk_queue_jobs{queue="metrics-depth",state="queued"}'), 3)
})

t.test('runs and failed jobs are counted from bus events', async (t) => {
  const hub = await hubWithRoute(t)
  const { bus } = hub.hub
  const progress = { ...zeroCounts(), mappingId: 'm1', phase: 'done', read: 10, unchanged: 4 }
  bus.publish('run.started', {
    runId: 'r1',
    mappingId: 'm1',
    dryRun: false,
    trigger: 'manual',
    at: '2026-01-01T00:00:00.000Z',
  })
  bus.publish('run.finished', {
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
  bus.publish('run.finished', {
    ...progress,
    runId: 'r2',
    created: 0,
    updated: 0,
    deleted: 0,
    failed: 5,
    status: 'failed',
    at: '2026-01-01T00:00:03.000Z',
  })
  bus.publish('job.failed', { queue: 'sim-tickets', jobId: 'j1', error: 'no', at: '2026-01-01T00:00:00.000Z' })
  const body = (await hub.inject('/metrics')).body
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
  const first = await hubWithRoute(t)
  const second = await hubWithRoute(t)
  t.not(first.hub.metrics, second.hub.metrics)
  await first.inject('/things/a', null)
  const series = 'crosswalk_http_requests_total{method="GET",route="/things/:id",status_code="200"}'
  t.equal(sample((await first.inject('/metrics')).body, series), 1)
  t.equal(sample((await second.inject('/metrics')).body, series), undefined)
})

t.test('the route is documented for OpenAPI; viewers may read it, anyone when publicMetrics', async (t) => {
  const closed = await hubWithRoute(t, { publicMetrics: false })
  const doc = closed.hub.swagger() as { paths: Record<string, { get?: { responses?: Record<string, unknown> } }> }
  t.match(doc.paths['/metrics']?.get?.responses?.['200'], {
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  t.equal((await closed.inject('/metrics', null)).statusCode, 401)
  t.equal((await closed.inject('/metrics', await closed.token('viewer'))).statusCode, 200)
  const open = await hubWithRoute(t)
  t.equal((await open.inject('/metrics', null)).statusCode, 200)
})

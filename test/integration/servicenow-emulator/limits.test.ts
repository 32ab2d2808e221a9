// Limits (docs/reference/servicenow.md §1.7): rate-limit rules with their headers and 429 + Retry-After, no headers
// without a rule, the API_INT semaphore answering 429 without Retry-After, the payload cap.
import { test } from 'tap'
import { basic, emulator, get } from './helpers.ts'

test('no rule, no rate-limit headers', async (t) => {
  const { url } = await emulator(t)
  const r = await get(url, '/api/now/table/incident')
  t.equal(r.headers.get('x-ratelimit-limit'), null)
  t.equal(r.headers.get('retry-after'), null)
})

test('a per-user rule answers 429 with Retry-After and X-RateLimit-* past its limit', async (t) => {
  const now = Date.UTC(2026, 5, 1, 10, 15, 0)
  const { url, instance } = await emulator(t, {
    now: () => new Date(now),
    users: [{ userName: 'svc', password: 'p', roles: ['itil'] }],
  })
  const ruleId = instance.rateLimits.add({ user: 'svc', limit: 2, resource: 'Table API', pathPrefix: '/api/now/table' })
  const auth = basic('svc', 'p')
  const first = await get(url, '/api/now/table/incident', { auth })
  t.equal(first.status, 200)
  t.equal(first.headers.get('x-ratelimit-limit'), '2')
  t.equal(first.headers.get('x-ratelimit-rule'), ruleId)
  const reset = Date.UTC(2026, 5, 1, 11, 0, 0) / 1000
  t.equal(first.headers.get('x-ratelimit-reset'), String(reset), 'epoch seconds of the next window')
  t.equal((await get(url, '/api/now/table/incident', { auth })).status, 200)
  const limited = await get(url, '/api/now/table/incident', { auth })
  t.equal(limited.status, 429)
  t.equal(limited.headers.get('retry-after'), String(45 * 60))
  t.same(limited.json, {
    error: { message: 'Rate limit exceeded', detail: 'Rate limit of 2 requests per hour for Table API exceeded' },
    status: 'failure',
  })
  t.equal((await get(url, '/api/now/table/incident')).status, 200, 'other users are not limited')
})

test('rule precedence: a user rule beats role rules; the lowest role limit wins', async (t) => {
  const { url, instance } = await emulator(t, { users: [{ userName: 'svc', password: 'p', roles: ['itil', 'rest'] }] })
  instance.rateLimits.add({ role: 'itil', limit: 5 })
  instance.rateLimits.add({ role: 'rest', limit: 3 })
  instance.rateLimits.add({ allUsers: true, limit: 1 })
  const r = await get(url, '/api/now/table/incident', { auth: basic('svc', 'p') })
  t.equal(r.headers.get('x-ratelimit-limit'), '3')
  instance.rateLimits.add({ user: 'svc', limit: 100 })
  t.equal(
    (await get(url, '/api/now/table/incident', { auth: basic('svc', 'p') })).headers.get('x-ratelimit-limit'),
    '100',
  )
})

test('concurrency: beyond running + queued transactions the instance answers 429 without Retry-After', async (t) => {
  const { url, instance } = await emulator(t, { concurrency: { maxConcurrent: 1, queueDepth: 1 } })
  instance.faults.add({ kind: 'slow-page', delayMs: 1000, pathPrefix: '/api/now/table/incident' })
  const answers = await Promise.all([1, 2, 3].map(() => get(url, '/api/now/table/incident')))
  const statuses = answers.map((a) => a.status).sort()
  t.same(statuses, [200, 200, 429], 'one runs, one waits, one is refused')
  const refused = answers.find((a) => a.status === 429)
  t.equal(refused?.headers.get('retry-after'), null)
  t.equal(instance.concurrency.peak, 1, 'never more than the limit at once')
})

test('a response over the payload cap is cut off (damaged JSON)', async (t) => {
  const { url, instance } = await emulator(t, { responsePayloadCap: 2000 })
  instance.data.bulkLoad(
    'incident',
    Array.from({ length: 50 }, (_, i) => ({ short_description: `incident ${i}` })),
  )
  const r = await get(url, '/api/now/table/incident')
  t.equal(r.status, 200)
  t.equal(Buffer.byteLength(r.text), 2000)
  t.throws(() => JSON.parse(r.text))
  const small = await get(url, '/api/now/table/incident?sysparm_limit=1&sysparm_fields=sys_id')
  t.doesNotThrow(() => JSON.parse(small.text))
})

test('a replayed session cookie serialises requests; past the session queue the answer is an empty 202', async (t) => {
  const { url, instance } = await emulator(t, { sessions: { maxQueued: 1 } })
  const first = await get(url, '/api/now/table/incident')
  const cookie = /JSESSIONID=[^;]+/.exec(first.headers.get('set-cookie') ?? '')?.[0] ?? ''
  t.match(cookie, /^JSESSIONID=[0-9A-F]{32}$/)
  instance.faults.add({ kind: 'slow-page', delayMs: 1000, pathPrefix: '/api/now/table/incident' })
  const withCookie = await Promise.all(
    [1, 2, 3].map(() => get(url, '/api/now/table/incident', { headers: { cookie } })),
  )
  t.same(withCookie.map((a) => a.status).sort(), [200, 200, 202])
  const dropped = withCookie.find((a) => a.status === 202)
  t.equal(dropped?.text, '', '202 has no body')
  const fresh = await Promise.all([1, 2, 3].map(() => get(url, '/api/now/table/incident')))
  t.same(
    fresh.map((a) => a.status),
    [200, 200, 200],
    'without a cookie jar every request is its own session',
  )
})

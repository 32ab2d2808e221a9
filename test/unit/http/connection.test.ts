// The one outbound HTTP layer (core/http/connection.ts) on a scripted server: the pause a server
// asks for holds every request of the instance and user, which requests may be sent again, the
// bounds (attempts, longest wait, deadline), and one credential renewal on a 401. Time is an
// injected clock moved by the injected sleep: nothing here waits for real.
import { test } from 'tap'
import { Pool } from 'undici'
import { HttpConnection } from '../../../core/http/connection.ts'
import type { ConnectionRules, HttpConnectionOptions, RawAnswer, Verdict } from '../../../core/http/connection.ts'
import { PauseBoard } from '../../../core/http/pauses.ts'
import { until } from '../../helpers/until.ts'
import { json, startStub } from '../servicenow-client/stub-server.ts'
import type { StubHandler, Teardown } from '../servicenow-client/stub-server.ts'

class Refused extends Error {
  readonly code: string
  readonly retryable: boolean | undefined
  constructor(message: string, code: string, retryable?: boolean) {
    super(message)
    this.code = code
    this.retryable = retryable
  }
}

const rules: ConnectionRules = {
  transportFailure: (_req, error) => ({
    error: new Refused(String((error as Error).message), 'NET'),
    retryable: true,
    mayHaveReachedServer: true,
  }),
  gaveUp: (_req, last, why) => new Refused(`${why.kind}: ${last.error.message}`, `GAVE_UP_${why.kind}`, true),
}

/** 2xx: the body; 429 and 5xx: retryable (429 never ran); 401: renew; anything else: final */
function read(answer: RawAnswer): Verdict<string> {
  if (answer.status < 300) return { ok: true, value: answer.text }
  const failure = {
    error: new Refused(`HTTP ${answer.status}`, `HTTP_${answer.status}`),
    status: answer.status,
    headers: answer.headers,
    retryable: answer.status === 429 || answer.status >= 500,
    mayHaveReachedServer: answer.status !== 429,
    unauthorized: answer.status === 401,
  }
  return { ok: false, failure }
}

/** a clock that only the injected sleep moves, and a record of every sleep */
function fakeTime(start = 1_700_000_000_000) {
  const time = { now: start, slept: [] as number[], parked: [] as Array<{ ms: number; wake: () => void }> }
  return {
    time,
    clock: () => time.now,
    /** sleeps return at once, moving the clock */
    sleep: async (ms: number) => {
      time.slept.push(ms)
      time.now += ms
    },
    /** sleeps wait until the test wakes them */
    parkingSleep: (ms: number) =>
      new Promise<void>((resolve) => {
        time.slept.push(ms)
        time.parked.push({ ms, wake: resolve })
      }),
    /** moves the clock past every parked sleep and wakes them */
    wakeAll: () => {
      const parked = time.parked.splice(0)
      time.now += Math.max(0, ...parked.map((p) => p.ms))
      for (const p of parked) p.wake()
    },
  }
}

async function setup(t: Teardown, handler: StubHandler, options: Partial<HttpConnectionOptions> = {}) {
  const stub = await startStub(handler)
  const connection = (extra: Partial<HttpConnectionOptions> = {}) => {
    const c = new HttpConnection({
      origin: stub.url,
      dispatcher: new Pool(stub.url),
      pauseKey: `${stub.url} user-a`,
      rules,
      policy: { maxAttempts: 4, baseMs: 100, capMs: 60_000, deadlineMs: 600_000 },
      random: () => 0.5,
      ...options,
      ...extra,
    })
    t.teardown(() => c.close())
    return c
  }
  t.teardown(() => stub.close())
  return { stub, connection }
}

const GET = { method: 'GET', path: '/x', idempotent: true } as const
const POST = { method: 'POST', path: '/x', body: '{}', idempotent: false } as const

test('a Retry-After pauses every request of the instance and user, on every client, until it ends', async (t) => {
  const time = fakeTime()
  const pauses = new PauseBoard()
  let refused = false
  const arrivals: Array<{ path: string; at: number }> = []
  const { connection } = await setup(
    t,
    (req, res) => {
      arrivals.push({ path: req.url.pathname, at: time.time.now })
      if (!refused) {
        refused = true
        return json(res, 429, { error: 'slow down' }, { 'retry-after': '30' })
      }
      json(res, 200, { ok: true })
    },
    { clock: time.clock, sleep: time.parkingSleep, pauses },
  )
  const first = connection()
  const sameUser = connection()
  const otherUser = connection({ pauseKey: 'another user' })
  const pausedAt = time.time.now
  const a = first.send({ ...GET, path: '/a' }, read)
  await until(() => time.time.parked.length === 1, 'the refused request to wait')
  t.same(time.time.slept, [30_000], 'it waits what the server asked')
  const b = first.send({ ...GET, path: '/b' }, read)
  const c = sameUser.send({ ...POST, path: '/c' }, read)
  t.equal(await otherUser.send({ ...GET, path: '/other' }, read), '{"ok":true}', 'another user is not held')
  await until(() => time.time.parked.length === 3, 'the other requests to wait for the pause')
  t.same(
    arrivals.map((r) => r.path),
    ['/a', '/other'],
    'nothing of that user reached the server during the pause',
  )
  time.wakeAll()
  t.same(await Promise.all([a, b, c]), ['{"ok":true}', '{"ok":true}', '{"ok":true}'])
  t.ok(
    arrivals.filter((r) => r.path !== '/other' && r.path !== '/a').every((r) => r.at >= pausedAt + 30_000),
    'the others were sent after the pause',
  )
  t.equal(first.stats.paused, 1)
  t.equal(sameUser.stats.paused, 1)
})

test('Retry-After as an HTTP date, and X-RateLimit-Reset on a 429 only', async (t) => {
  const time = fakeTime(Date.parse('2026-01-01T00:00:00Z'))
  const answers: Array<{ status: number; headers: Record<string, string> }> = [
    { status: 503, headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:12 GMT' } },
    { status: 429, headers: { 'x-ratelimit-reset': String(Date.parse('2026-01-01T00:01:00Z') / 1000) } },
    // on a 500 the reset only says when the window ends: our own backoff applies
    { status: 500, headers: { 'x-ratelimit-reset': String(Date.parse('2026-01-01T01:00:00Z') / 1000) } },
  ]
  const { connection } = await setup(
    t,
    (_req, res) => {
      const next = answers.shift()
      if (!next) return json(res, 200, {})
      json(res, next.status, {}, next.headers)
    },
    { clock: time.clock, sleep: time.sleep, pauses: new PauseBoard() },
  )
  await connection().send(GET, read)
  t.same(time.time.slept, [12_000, 48_000, 200], '12 s to the date, 48 s to the reset, then jitter (0.5 x 100 x 2^2)')
})

test('a request that may have reached the server is not sent again blindly, and says so', async (t) => {
  const { stub, connection } = await setup(t, (_req, res) => json(res, 502, {}), {
    sleep: async () => {},
    pauses: new PauseBoard(),
  })
  const error = await connection()
    .send(POST, read)
    .catch((e: unknown) => e)
  t.match(error, { code: 'GAVE_UP_unsafe-to-resend', retryable: false })
  t.equal(stub.requests.length, 1)
})

test('a request refused before it ran (429) is sent again; one that may have landed is looked up first', async (t) => {
  let posts = 0
  const { stub, connection } = await setup(
    t,
    (req, res) => {
      if (req.method === 'GET') return json(res, 200, { found: 'earlier' })
      posts++
      if (posts === 1) return json(res, 429, {}, { 'retry-after': '0' })
      json(res, 504, {}) // it landed, the answer was lost
    },
    { sleep: async () => {}, pauses: new PauseBoard() },
  )
  const c = connection()
  const beforeResend = () => c.send(GET, read)
  t.equal(await c.send({ ...POST, beforeResend }, read), '{"found":"earlier"}')
  t.same(
    stub.requests.map((r) => r.method),
    ['POST', 'POST', 'GET'],
    'the 429 is re-sent, the 504 is looked up instead',
  )
})

test('a request that may have landed is never reported retryable, even after lookups, whatever ends it', async (t) => {
  // every POST may have run (502); every lookup finds nothing yet: the attempts run out
  const { stub, connection } = await setup(
    t,
    (req, res) => (req.method === 'GET' ? json(res, 200, {}) : json(res, 502, {})),
    { sleep: async () => {}, pauses: new PauseBoard(), policy: { maxAttempts: 3, baseMs: 100, capMs: 60_000 } },
  )
  const c = connection()
  const beforeResend = async () => {
    await c.send(GET, read)
    return undefined
  }
  await t.rejects(c.send({ ...POST, beforeResend }, read), { code: 'GAVE_UP_attempts', retryable: false })
  t.same(
    stub.requests.map((r) => r.method),
    ['POST', 'GET', 'POST', 'GET', 'POST'],
  )
  // the last attempt was refused before it ran (429), the lookup before it cleared the earlier ones: retryable
  let posts = 0
  const cleared = await setup(
    t,
    (req, res) => {
      if (req.method === 'GET') return json(res, 200, {})
      json(res, posts++ === 0 ? 502 : 429, {}, { 'retry-after': '0' })
    },
    { sleep: async () => {}, pauses: new PauseBoard(), policy: { maxAttempts: 3, baseMs: 100, capMs: 60_000 } },
  )
  const d = cleared.connection()
  const lookup = async () => {
    await d.send(GET, read)
    return undefined
  }
  await t.rejects(d.send({ ...POST, beforeResend: lookup }, read), { code: 'GAVE_UP_attempts', retryable: true })
})

test('bounds: attempts, the longest single wait, the deadline', async (t) => {
  const { stub, connection } = await setup(t, (_req, res) => json(res, 503, {}), {
    sleep: async () => {},
    pauses: new PauseBoard(),
  })
  await t.rejects(connection().send(GET, read), { code: 'GAVE_UP_attempts', retryable: true })
  t.equal(stub.requests.length, 4)

  const asksTooMuch = await setup(t, (_req, res) => json(res, 429, {}, { 'retry-after': '3600' }), {
    pauses: new PauseBoard(),
  })
  await t.rejects(asksTooMuch.connection().send(GET, read), { code: 'GAVE_UP_wait-too-long' })
  t.equal(asksTooMuch.stub.requests.length, 1, 'no hour-long sleep')

  const time = fakeTime()
  const slow = await setup(t, (_req, res) => json(res, 429, {}, { 'retry-after': '40' }), {
    clock: time.clock,
    sleep: time.sleep,
    pauses: new PauseBoard(),
    policy: { maxAttempts: 10, baseMs: 100, capMs: 60_000, deadlineMs: 100_000 },
  })
  await t.rejects(slow.connection().send(GET, read), { code: 'GAVE_UP_deadline' })
  t.equal(slow.stub.requests.length, 3, 'two waits of 40 s fit in 100 s, a third does not')
})

test('a 401 renews the credential once; a second 401 is final', async (t) => {
  let issued = 0
  const credentials = {
    authorization: async () => `Bearer t${issued}`,
    renewAfterUnauthorized: async () => {
      issued++
      return true
    },
  }
  const { stub, connection } = await setup(
    t,
    (req, res) => (req.headers.authorization === 'Bearer t1' ? json(res, 200, {}) : json(res, 401, {})),
    { credentials, pauses: new PauseBoard() },
  )
  t.equal(await connection().send(GET, read), '{}')
  t.same(
    stub.requests.map((r) => r.headers.authorization),
    ['Bearer t0', 'Bearer t1'],
  )
  issued = 5
  await t.rejects(connection().send(GET, read), { code: 'HTTP_401' })
  t.equal(issued, 6, 'renewed once, not in a loop')
})

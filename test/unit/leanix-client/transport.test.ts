// Transport rules (docs/reference/leanix.md §8, §10.7): rate limited, timeouts on every call, backoff on 429
// and 5xx honouring Retry-After, mutations re-sent only when the server did not process them.
import { test } from 'tap'
import { LeanixTransport } from '../../../connectors/leanix/client/transport.ts'
import { TokenBucket } from '../../../connectors/leanix/client/rate-limiter.ts'
import { GraphqlClient } from '../../../connectors/leanix/client/graphql.ts'
import { until } from '../../helpers/until.ts'
import { startStub, type StubReply } from './stub-leanix.ts'

const noAuth = { authorization: async () => 'Bearer t', renewAfterUnauthorized: async () => false }

function transport(
  url: string,
  overrides: { timeoutMs?: number; maxAttempts?: number; baseMs?: number; capMs?: number } = {},
) {
  return new LeanixTransport({
    instanceUrl: url,
    timeoutMs: overrides.timeoutMs ?? 5000,
    // a base this long makes any retry that ignores Retry-After hang the test
    backoff: {
      maxAttempts: overrides.maxAttempts ?? 4,
      baseMs: overrides.baseMs ?? 600_000,
      capMs: overrides.capMs ?? 600_000,
    },
    limiter: new TokenBucket({ perMinute: 60_000, burst: 100 }),
    random: () => 0.999,
  })
}

function sequence(...replies: StubReply[]) {
  let i = 0
  return () => replies[Math.min(i++, replies.length - 1)] as StubReply
}

const OK = { body: { data: { ok: true } } }

test('429 with Retry-After is retried after the wait the server asked for', async (t) => {
  const stub = await startStub(
    sequence(
      { status: 429, headers: { 'retry-after': '0' }, body: { message: 'USER_INTERVAL_REQUEST_LIMIT_EXCEEDED' } },
      OK,
    ),
  )
  t.teardown(() => stub.close())
  const tr = transport(stub.url)
  t.teardown(() => tr.close())
  const gql = new GraphqlClient(tr, noAuth)
  t.same(await gql.request('mutation { x }', {}, { mutation: true }), { ok: true })
  t.equal(stub.requests.length, 2, 'a mutation refused with 429 was not processed, so it is re-sent')
  t.equal(tr.stats.retries, 1)
})

test('a Retry-After beyond the backoff cap fails fast instead of sleeping', async (t) => {
  const stub = await startStub(() => ({ status: 429, headers: { 'retry-after': '3600' } }))
  t.teardown(() => stub.close())
  const tr = transport(stub.url, { capMs: 60_000 })
  t.teardown(() => tr.close())
  await t.rejects(new GraphqlClient(tr, noAuth).request('{ x }', {}), {
    code: 'CW_LX_RETRIES_EXHAUSTED',
    message: /longer/,
  })
  t.equal(stub.requests.length, 1)
})

test('5xx on a query is retried with backoff, bounded by maxAttempts', async (t) => {
  const stub = await startStub(() => ({ status: 502, body: 'bad gateway' }))
  t.teardown(() => stub.close())
  const tr = transport(stub.url, { maxAttempts: 3, baseMs: 1, capMs: 5 })
  t.teardown(() => tr.close())
  await t.rejects(new GraphqlClient(tr, noAuth).request('{ x }', {}), {
    code: 'CW_LX_RETRIES_EXHAUSTED',
    message: /3 attempts/,
  })
  t.equal(stub.requests.length, 3)
})

test('5xx on a query recovers when the server does', async (t) => {
  const stub = await startStub(sequence({ status: 503, headers: { 'retry-after': '0' } }, { status: 500 }, OK))
  t.teardown(() => stub.close())
  const tr = transport(stub.url, { baseMs: 1, capMs: 5 })
  t.teardown(() => tr.close())
  t.same(await new GraphqlClient(tr, noAuth).request('{ x }', {}), { ok: true })
  t.equal(stub.requests.length, 3)
})

for (const status of [500, 503]) {
  test(`a mutation answered ${status} is not re-sent, nor reported retryable: its outcome is unknown`, async (t) => {
    const stub = await startStub(sequence({ status, body: 'boom' }, OK))
    t.teardown(() => stub.close())
    const tr = transport(stub.url, { baseMs: 1 })
    t.teardown(() => tr.close())
    await t.rejects(new GraphqlClient(tr, noAuth).request('mutation { x }', {}, { mutation: true }), {
      code: 'CW_LX_HTTP_STATUS',
      retryable: false,
    })
    t.equal(stub.requests.length, 1)
  })
}

test('a 429 holds every call of the technical user, on every client, until the pause ends', async (t) => {
  let now = 0
  const parked: Array<{ ms: number; wake: () => void }> = []
  let refused = false
  const stub = await startStub(() => {
    if (refused) return OK
    refused = true
    return { status: 429, headers: { 'retry-after': '20' } }
  })
  t.teardown(() => stub.close())
  const client = (user: string) => {
    const tr = new LeanixTransport({
      instanceUrl: stub.url,
      timeoutMs: 5000,
      backoff: { maxAttempts: 3, baseMs: 1, capMs: 60_000 },
      limiter: new TokenBucket({ perMinute: 60_000, burst: 100 }),
      user,
      now: () => now,
      sleep: (ms) => new Promise((wake) => parked.push({ ms, wake })),
    })
    t.teardown(() => tr.close())
    return new GraphqlClient(tr, noAuth)
  }
  const first = client('technical user A').request('{ a }', {})
  await until(() => parked.length === 1, 'the refused call to wait')
  const second = client('technical user A').request('{ b }', {})
  await until(() => parked.length === 2, 'the other call of that user to wait')
  t.same(await client('technical user B').request('{ c }', {}), { ok: true }, 'another user goes on')
  t.equal(stub.requests.length, 2, 'nothing of user A reached LeanIX during the pause')
  now += 20_000
  for (const p of parked.splice(0)) p.wake()
  t.same(await Promise.all([first, second]), [{ ok: true }, { ok: true }])
  t.equal(stub.requests.length, 4)
})

test('every call has a timeout; a mutation that times out is reported, not repeated', async (t) => {
  const stub = await startStub(() => ({ ...OK, delayMs: 2000 }))
  t.teardown(() => stub.close())
  const tr = transport(stub.url, { timeoutMs: 150, baseMs: 1 })
  t.teardown(() => tr.close())
  await t.rejects(new GraphqlClient(tr, noAuth).request('mutation { x }', {}, { mutation: true }), {
    code: 'CW_LX_TIMEOUT',
  })
  t.equal(stub.requests.length, 1)
})

test('a query that times out is retried within its bound', async (t) => {
  const stub = await startStub(() => ({ ...OK, delayMs: 2000 }))
  t.teardown(() => stub.close())
  const tr = transport(stub.url, { timeoutMs: 150, maxAttempts: 2, baseMs: 1, capMs: 2 })
  t.teardown(() => tr.close())
  await t.rejects(new GraphqlClient(tr, noAuth).request('{ x }', {}), { code: 'CW_LX_TIMEOUT' })
  t.equal(stub.requests.length, 2)
})

test('errors[] on HTTP 200 are errors, with their errorType', async (t) => {
  const stub = await startStub(() => ({
    body: {
      data: { updateFactSheet: null },
      errors: [
        {
          message: 'DB revision of Fact Sheet has changed: 7 instead of given 6',
          path: ['updateFactSheet'],
          extensions: { errorType: 'REVISION_CLASH' },
        },
      ],
    },
  }))
  t.teardown(() => stub.close())
  const tr = transport(stub.url)
  t.teardown(() => tr.close())
  const gql = new GraphqlClient(tr, noAuth)
  const err = await gql.request('mutation { x }', {}, { mutation: true }).catch((e: unknown) => e)
  t.match(err, { code: 'CW_LX_GRAPHQL', message: /REVISION_CLASH/ })
  t.equal((err as { errors: unknown[] }).errors.length, 1)
  const raw = await gql.raw('mutation { x }', {}, { mutation: true })
  t.equal(raw.errors[0]?.extensions?.errorType, 'REVISION_CLASH')
})

test('the token bucket lets a burst through, then holds calls until tokens refill', async (t) => {
  let now = 0
  const bucket = new TokenBucket({ perMinute: 60_000, burst: 2, now: () => now })
  await bucket.take()
  await bucket.take()
  let third = false
  const pending = bucket.take().then(() => {
    third = true
  })
  await new Promise((resolve) => setTimeout(resolve, 30))
  t.equal(third, false, 'no token while the clock stands still')
  now += 1
  await pending
  t.equal(third, true)
  t.equal(bucket.taken, 3)
})

test('the token bucket is consulted for every request sent', async (t) => {
  const stub = await startStub(sequence({ status: 503, headers: { 'retry-after': '0' } }, OK))
  t.teardown(() => stub.close())
  const limiter = new TokenBucket({ perMinute: 60_000, burst: 10 })
  const tr = new LeanixTransport({
    instanceUrl: stub.url,
    timeoutMs: 1000,
    backoff: { maxAttempts: 3, baseMs: 1, capMs: 5 },
    limiter,
  })
  t.teardown(() => tr.close())
  await new GraphqlClient(tr, noAuth).request('{ x }', {})
  t.equal(limiter.taken, 2)
  t.equal(tr.stats.requests, 2)
})

// Retry contract of the ServiceNow client against scripted stub servers: what is retried, how long
// it waits (recorded through the injected sleep, never timed), and what is never retried.
import type { ServerResponse } from 'node:http'
import { test } from 'tap'
import { ServiceNowClient } from '../../../connectors/servicenow/client/client.ts'
import type { ServiceNowClientOptions } from '../../../connectors/servicenow/client/options.ts'
import { FAST_BACKOFF, json, snError, startStub } from './stub-server.ts'
import type { StubHandler, Teardown } from './stub-server.ts'

const RECORD = { sys_id: 'a'.repeat(32), name: 'x' }

async function setup(t: Teardown, handler: StubHandler, options: Partial<ServiceNowClientOptions> = {}) {
  const stub = await startStub(handler)
  const waits: number[] = []
  const client = new ServiceNowClient({
    instanceUrl: stub.url,
    allowHttp: true,
    auth: { kind: 'basic', username: 'u', password: 'p' },
    backoff: FAST_BACKOFF,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms)
    },
    ...options,
  })
  t.teardown(async () => {
    await client.close()
    await stub.close()
  })
  return { stub, client, waits }
}

/** answers with `failures` in turn, then the record */
function sequence(...failures: StubHandler[]): StubHandler {
  let n = 0
  return (req, res) => {
    const next = failures[n++]
    if (next) return next(req, res)
    json(res, 200, { result: RECORD })
  }
}

test('429 waits what Retry-After says, then succeeds', async (t) => {
  const { client, stub, waits } = await setup(
    t,
    sequence((_q, res) =>
      snError(res, 429, 'Rate limit exceeded', 'Rate limit of 100 requests per hour for Table API exceeded', {
        'retry-after': '2',
      }),
    ),
  )
  const record = await client.getRecord('incident', RECORD.sys_id)
  t.equal(record?.sys_id, RECORD.sys_id)
  t.equal(stub.requests.length, 2)
  t.same(waits, [2000])
})

test('429 without Retry-After waits until X-RateLimit-Reset', async (t) => {
  const reset = Math.floor(Date.now() / 1000) + 3
  const { client, waits } = await setup(
    t,
    sequence((_q, res) => snError(res, 429, 'Rate limit exceeded', null, { 'x-ratelimit-reset': String(reset) })),
  )
  await client.getRecord('incident', RECORD.sys_id)
  t.equal(waits.length, 1)
  t.ok((waits[0] as number) > 1000 && (waits[0] as number) <= 3000, `waited ${waits[0]} ms until the reset`)
})

test('a Retry-After longer than the cap fails fast with CW_SN_RATE_LIMITED', async (t) => {
  const { client, stub } = await setup(t, (_q, res) =>
    snError(res, 429, 'Rate limit exceeded', 'x', { 'retry-after': '3600' }),
  )
  const error = await client.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)
  t.match(error, { code: 'CW_SN_RATE_LIMITED', httpStatus: 429, snMessage: 'Rate limit exceeded', retryable: true })
  t.equal(stub.requests.length, 1)
})

test('5xx is retried with full-jitter exponential backoff', async (t) => {
  const fail = (_q: unknown, res: ServerResponse) => snError(res, 503, 'Service Unavailable', null)
  const { client, stub, waits } = await setup(t, sequence(fail, fail, fail))
  await client.getRecord('incident', RECORD.sys_id)
  t.equal(stub.requests.length, 4)
  // random() = 0.5 -> half of base * 2^retry
  t.same(waits, [0, 1, 2])
})

test('retries end with CW_SN_UNAVAILABLE carrying ServiceNow message and detail', async (t) => {
  const { client, stub } = await setup(t, (_q, res) => snError(res, 500, 'Internal failure', 'NPE in business rule'))
  const error = (await client.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)) as Error &
    Record<string, unknown>
  t.match(error, {
    code: 'CW_SN_UNAVAILABLE',
    httpStatus: 500,
    snMessage: 'Internal failure',
    snDetail: 'NPE in business rule',
  })
  t.equal(stub.requests.length, FAST_BACKOFF.maxAttempts)
  t.match(error.cause, { code: 'CW_SN_UNAVAILABLE' })
})

for (const [status, message, code] of [
  [400, 'Requested URI does not represent any resource', 'CW_SN_REQUEST_REJECTED'],
  [401, 'User Not Authenticated', 'CW_SN_AUTH_FAILED'],
  [403, 'Insufficient rights to query records', 'CW_SN_FORBIDDEN'],
] as const) {
  test(`${status} is not retried`, async (t) => {
    const { client, stub } = await setup(t, (_q, res) => snError(res, status, message, 'detail text'))
    const error = await client.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)
    t.match(error, { code, httpStatus: status, snMessage: message, snDetail: 'detail text' })
    t.equal(stub.requests.length, 1)
  })
}

test('404 on a record read is "no record", not retried', async (t) => {
  const { client, stub } = await setup(t, (_q, res) =>
    snError(res, 404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval"),
  )
  t.equal(await client.getRecord('incident', RECORD.sys_id), undefined)
  t.equal(stub.requests.length, 1)
})

test('unknown table: CW_SN_INVALID_TABLE names the table', async (t) => {
  const { client } = await setup(t, (_q, res) => snError(res, 400, 'Invalid table u_nope', null))
  const error = await client.countRows('u_nope').catch((e: unknown) => e)
  t.match(error, { code: 'CW_SN_INVALID_TABLE', message: /u_nope/ })
})

test('202 without a body (dropped by a busy session) is retried', async (t) => {
  const { client, stub } = await setup(
    t,
    sequence((_q, res) => {
      res.writeHead(202)
      res.end()
    }),
  )
  t.equal((await client.getRecord('incident', RECORD.sys_id))?.sys_id, RECORD.sys_id)
  t.equal(stub.requests.length, 2)
})

test('an HTML 200 (hibernating instance) is retried, and reported as CW_SN_NOT_JSON when it persists', async (t) => {
  const html = (_q: unknown, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<html><body>Instance Hibernating page</body></html>')
  }
  const ok = await setup(t, sequence(html))
  t.equal((await ok.client.getRecord('incident', RECORD.sys_id))?.sys_id, RECORD.sys_id)
  t.equal(ok.stub.requests.length, 2)

  const bad = await setup(t, html)
  const error = (await bad.client.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)) as Error
  t.match(error, { code: 'CW_SN_UNAVAILABLE' })
  t.match(error.cause, { code: 'CW_SN_NOT_JSON', message: /text\/html/ })
})

test('a connection reset is retried', async (t) => {
  let first = true
  const { client, stub } = await setup(t, (req, res) => {
    if (first) {
      first = false
      res.socket?.destroy()
      return
    }
    json(res, 200, { result: RECORD })
    void req
  })
  t.equal((await client.getRecord('incident', RECORD.sys_id))?.sys_id, RECORD.sys_id)
  t.equal(stub.requests.length, 2)
})

test('"maximum execution time exceeded" in a 200 envelope is retried', async (t) => {
  const { client, stub } = await setup(
    t,
    sequence((_q, res) =>
      json(res, 200, {
        error: { message: 'Transaction cancelled: maximum execution time exceeded', detail: 'Check logs' },
        status: 'failure',
      }),
    ),
  )
  t.equal((await client.getRecord('incident', RECORD.sys_id))?.sys_id, RECORD.sys_id)
  t.equal(stub.requests.length, 2)
})

test('a POST that may have landed is not sent again without a correlation value, nor reported retryable', async (t) => {
  const { client, stub } = await setup(t, (_q, res) => snError(res, 502, 'Bad Gateway', null))
  const error = await client.createRecord('incident', { short_description: 'x' }).catch((e: unknown) => e)
  t.match(error, { code: 'CW_SN_UNAVAILABLE', httpStatus: 502, retryable: false })
  t.equal(stub.requests.length, 1)
  // whoever retries on the flag (the sync engine, a caller of applyChanges) would create it twice
  const [result] = await client.applyChanges('incident', [
    { op: 'create', key: 'k1', values: { short_description: 'x' } },
  ])
  t.match(result, { key: 'k1', ok: false, error: { code: 'CW_SN_UNAVAILABLE', retryable: false } })
  t.equal(stub.requests.length, 2, 'one more POST, not re-sent')
  const [update] = await client.applyChanges('incident', [
    { op: 'update', key: 'k2', sysId: RECORD.sys_id, values: { name: 'y' } },
  ])
  t.match(update, { ok: false, error: { retryable: true } }, 'an update may be tried again: it is idempotent')
})

test('a POST refused with 429 is sent again (it never ran)', async (t) => {
  const { client, stub } = await setup(
    t,
    sequence((_q, res) => snError(res, 429, 'Rate limit exceeded', null, { 'retry-after': '0' })),
  )
  const { record } = await client.createRecord('incident', { short_description: 'x' })
  t.equal(record.sys_id, RECORD.sys_id)
  t.same(
    stub.requests.map((r) => r.method),
    ['POST', 'POST'],
  )
})

test('idempotent create: a retried POST first looks the correlation value up and reuses what landed', async (t) => {
  const { client, stub } = await setup(t, (req, res) => {
    if (req.method === 'POST') return snError(res, 504, 'Gateway Timeout', null) // it did land, the answer was lost
    json(res, 200, { result: [{ sys_id: 'b'.repeat(32), correlation_id: 'src-1' }] })
  })
  const { record, reused } = await client.createRecord(
    'incident',
    { short_description: 'x' },
    { correlation: { field: 'correlation_id', value: 'src-1' } },
  )
  t.equal(record.sys_id, 'b'.repeat(32))
  t.equal(reused, true)
  t.same(
    stub.requests.map((r) => r.method),
    ['POST', 'GET'],
  )
  t.equal(stub.requests[1]?.url.searchParams.get('sysparm_query'), 'correlation_id=src-1^ORDERBYsys_id')
  t.match(JSON.parse(stub.requests[0]?.body ?? '{}'), { correlation_id: 'src-1', short_description: 'x' })
})

test('idempotent create: when the lookup finds nothing, the POST is sent again', async (t) => {
  let posts = 0
  const { client, stub } = await setup(t, (req, res) => {
    if (req.method === 'GET') return json(res, 200, { result: [] })
    if (posts++ === 0) return snError(res, 503, 'Service Unavailable', null)
    json(res, 201, { result: { sys_id: 'c'.repeat(32) } })
  })
  const { record, reused } = await client.createRecord(
    'incident',
    {},
    { correlation: { field: 'correlation_id', value: 'k' } },
  )
  t.equal(record.sys_id, 'c'.repeat(32))
  t.equal(reused, false)
  t.same(
    stub.requests.map((r) => r.method),
    ['POST', 'GET', 'POST'],
  )
})

test('requests carry Accept and Content-Type, and never a cookie even when the instance sets one', async (t) => {
  const { client, stub } = await setup(t, (_q, res) =>
    json(res, 200, { result: RECORD }, { 'set-cookie': 'JSESSIONID=abc; Path=/; HttpOnly' }),
  )
  await client.getRecord('incident', RECORD.sys_id)
  await client.updateRecord('incident', RECORD.sys_id, { name: 'y' })
  t.equal(stub.requests.length, 2)
  for (const req of stub.requests) {
    t.equal(req.headers.cookie, undefined)
    t.equal(req.headers.accept, 'application/json')
  }
  t.equal(stub.requests[1]?.method, 'PATCH')
  t.equal(stub.requests[1]?.headers['content-type'], 'application/json')
})

// Batch API contract (issue 16, emulator point 4), from the Batch API reference
// (https://www.servicenow.com/docs/r/api-reference/rest-apis/batch-api.html): items run in
// order as the caller, bodies Base64 both ways, headers as name/value pairs unless excluded,
// serviced_requests and unserviced_requests.
import { test } from 'tap'
import { basic, call, emulator } from './helpers.ts'

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64')
const unb64 = (s: string) => JSON.parse(Buffer.from(s, 'base64').toString('utf8'))
const json = [
  { name: 'Content-Type', value: 'application/json' },
  { name: 'Accept', value: 'application/json' },
]

test('the documented example: two GETs and a POST with a Base64 body', async (t) => {
  const { url, instance } = await emulator(t)
  instance.data.insert('incident', { short_description: 'existing' })
  const r = await call(url, 'POST', '/api/now/v1/batch', {
    body: {
      batch_request_id: '1',
      rest_requests: [
        {
          id: '11',
          headers: json,
          url: '/api/now/table/sys_user?sysparm_limit=1&sysparm_fields=user_name',
          method: 'GET',
        },
        {
          id: '12',
          exclude_response_headers: true,
          headers: json,
          url: '/api/now/table/incident?sysparm_limit=1',
          method: 'GET',
        },
        {
          id: '13',
          exclude_response_headers: true,
          headers: json,
          url: '/api/now/table/incident',
          method: 'POST',
          body: b64({ urgency: '1', short_description: 'My computer broke' }),
        },
      ],
    },
  })
  t.equal(r.status, 200)
  t.equal(r.json.batch_request_id, '1')
  t.same(r.json.unserviced_requests, [])
  const [a, b, c] = r.json.serviced_requests
  t.match(a, { id: '11', status_code: 200, status_text: 'OK' })
  t.same(unb64(a.body), { result: [{ user_name: 'admin' }] })
  t.ok(
    a.headers.some(
      (h: { name: string; value: string }) => h.name === 'content-type' && /application\/json/.test(h.value),
    ),
    'headers are name/value pairs',
  )
  t.type(a.execution_time, 'number')
  t.same(b.headers, [], 'exclude_response_headers')
  t.equal(unb64(b.body).result[0].short_description, 'existing')
  t.match(c, { id: '13', status_code: 201, status_text: 'Created' })
  t.equal(unb64(c.body).result.short_description, 'My computer broke')
  t.equal(instance.data.count('incident'), 2, 'the POST landed')
})

test('items run as the caller and fail on their own', async (t) => {
  const { url, instance } = await emulator(t, {
    users: [{ userName: 'reader', password: 'pw', roles: ['snc_read_only'] }],
  })
  const r = await call(url, 'POST', '/api/now/v1/batch', {
    auth: basic('reader', 'pw'),
    body: {
      batch_request_id: 'x',
      rest_requests: [
        {
          id: 'w',
          method: 'POST',
          url: '/api/now/table/incident',
          headers: json,
          body: b64({ short_description: 'no' }),
        },
        { id: 'r', method: 'GET', url: '/api/now/table/no_such_table', headers: json },
        { id: 'ok', method: 'GET', url: '/api/now/table/sys_user?sysparm_limit=1', headers: json },
      ],
    },
  })
  t.same(
    r.json.serviced_requests.map((s: { id: string; status_code: number }) => [s.id, s.status_code]),
    [
      ['w', 403],
      ['r', 400],
      ['ok', 200],
    ],
  )
  t.equal(instance.data.count('incident'), 0)
  const anonymous = await call(url, 'POST', '/api/now/v1/batch', { auth: null, body: { rest_requests: [] } })
  t.equal(anonymous.status, 401)
})

test('past its time a batch leaves the remaining ids unserviced; a too large answer too', async (t) => {
  const { url, instance } = await emulator(t, { batchTimeoutMs: 50 })
  instance.faults.add({ kind: 'slow-page', delayMs: 80, pathPrefix: '/api/now/table/sys_user' })
  const slow = await call(url, 'POST', '/api/now/v1/batch', {
    body: {
      batch_request_id: 'slow',
      rest_requests: [
        { id: '1', method: 'GET', url: '/api/now/table/sys_user', headers: json },
        { id: '2', method: 'GET', url: '/api/now/table/incident', headers: json },
        { id: '3', method: 'GET', url: '/api/now/table/incident', headers: json },
      ],
    },
  })
  t.same(
    slow.json.serviced_requests.map((s: { id: string }) => s.id),
    ['1'],
  )
  t.same(slow.json.unserviced_requests, ['2', '3'])

  instance.faults.clear()
  const big = await call(url, 'POST', '/api/now/v1/batch', {
    headers: { 'x-batchrequest-max-output-size': '100' },
    body: {
      batch_request_id: 'big',
      rest_requests: [
        { id: 'small', method: 'GET', url: '/api/now/table/sys_user?sysparm_fields=sys_id', headers: json },
        { id: 'large', method: 'GET', url: '/api/now/table/sys_user', headers: json },
        { id: 'after', method: 'GET', url: '/api/now/table/sys_user?sysparm_fields=sys_id', headers: json },
      ],
    },
  })
  t.same(
    big.json.serviced_requests.map((s: { id: string }) => s.id),
    ['small'],
  )
  t.same(big.json.unserviced_requests, ['large', 'after'])
})

test('a batch needs rest_requests and a JSON body', async (t) => {
  const { url } = await emulator(t)
  t.equal((await call(url, 'POST', '/api/now/v1/batch', { body: { batch_request_id: '1' } })).status, 400)
  const form = await call(url, 'POST', '/api/now/v1/batch', {
    body: 'a=b',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  t.equal(form.status, 415)
  t.equal(
    (await call(url, 'POST', '/api/now/batch', { body: { rest_requests: [] } })).status,
    400,
    'versioned URL only',
  )
})

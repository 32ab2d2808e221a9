// Bad input is answered 400 (or the 4xx that names it) in the documented shape
// {statusCode, code, error, message, requestId} with a declared CW_ code, never 500 and never in
// Fastify's own shape: NUL characters, unpaired surrogates, JSON nested thousands deep, numbers
// beyond range, undecodable URLs and credentials, oversized headers, wrong content types.
import t, { type Test } from 'tap'
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'
import { loadCatalogue } from '../../../scripts/error-catalogue.ts'

t.setTimeout(300_000)

const declared = new Set((await loadCatalogue()).map((entry) => entry.code))
const settings = { url: 'https://memo.example.test', username: 'u', password: 'p4ss-w0rd' }

/** The answer is in the documented shape, with a declared code, and says nothing of Fastify. */
function assertShape(t: Test, res: { statusCode: number; body: string }, status: number, code: string) {
  t.equal(res.statusCode, status, res.body)
  const body = JSON.parse(res.body) as Record<string, unknown>
  t.same(Object.keys(body).sort(), ['code', 'error', 'message', 'requestId', 'statusCode'], 'the documented shape')
  t.equal(body.statusCode, status)
  t.equal(body.code, code)
  t.ok(declared.has(String(body.code)), `${String(body.code)} is declared`)
  t.notMatch(res.body, /FST_|SSL routines|stack/, 'no Fastify code or internals')
}

let hub: TestApp
t.before(async () => {
  hub = await buildTestApp(t, { connectors: [memoConnector()] })
})

/** POST of a raw body (text the test shapes by hand), as the admin. */
function post(url: string, payload: string, contentType = 'application/json') {
  return hub.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload })
}

t.test('NUL characters in a body, a query string and a path', async (t) => {
  const body = await hub.inject({
    method: 'POST',
    url: '/api/v1/connections',
    payload: { name: 'a\u0000b', connector: 'memo', settings },
  })
  assertShape(t, body, 400, 'CW_TEXT_INVALID')
  t.match(body.json().message, /body .* at name/)
  const query = await hub.inject('/api/v1/connections?connector=%00memo')
  assertShape(t, query, 400, 'CW_TEXT_INVALID')
  const audit = await hub.inject('/api/v1/audit?action=%00')
  assertShape(t, audit, 400, 'CW_TEXT_INVALID')
  const path = await hub.inject('/api/v1/connectors/me%00mo')
  assertShape(t, path, 400, 'CW_TEXT_INVALID')
  const nested = await hub.inject({
    method: 'POST',
    url: '/api/v1/connections',
    payload: { name: 'nested', connector: 'memo', settings: { ...settings, username: 'x\u0000' } },
  })
  assertShape(t, nested, 400, 'CW_TEXT_INVALID')
  t.match(nested.json().message, /settings\.username/)
})

t.test('unpaired surrogates, escaped in JSON', async (t) => {
  const res = await post(
    '/api/v1/connections',
    `{"name":"lone \\ud800 half","connector":"memo","settings":${JSON.stringify(settings)}}`,
  )
  assertShape(t, res, 400, 'CW_TEXT_INVALID')
  const key = await post('/api/v1/tokens', '{"name":"k","role":"viewer","\\udc00":1}')
  assertShape(t, key, 400, 'CW_TEXT_INVALID')
})

t.test('JSON nested 5,000 deep', async (t) => {
  const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`
  const res = await post('/api/v1/connections', `{"name":"deep","connector":"memo","settings":${deep}}`)
  assertShape(t, res, 400, 'CW_NESTED_TOO_DEEP')
  const graphql = await post('/graphql', `{"query":"{ connections { total } }","variables":${deep}}`)
  // GraphQL answers in GraphQL's shape, the code in extensions
  t.equal(graphql.statusCode, 400, graphql.body)
  t.equal(graphql.json().errors[0].extensions.code, 'CW_NESTED_TOO_DEEP')
})

t.test('numbers beyond range: offset=1e309, and 1e309 in JSON', async (t) => {
  for (const url of ['/api/v1/connections?offset=1e309', '/api/v1/audit?offset=1e309', '/api/v1/tokens?limit=1e309']) {
    const res = await hub.inject(url)
    t.not(res.statusCode, 500, `${url}: ${res.body}`)
    if (res.statusCode !== 200) assertShape(t, res, 400, res.json().code)
  }
  const infinite = await hub.inject('/api/v1/connections?offset=1e309')
  assertShape(t, infinite, 400, infinite.json().code)
  const json = await post(
    '/api/v1/connections',
    `{"name":"n","connector":"memo","settings":{"url":"https://a.test","username":"u","password":"p","pageSize":1e309}}`,
  )
  assertShape(t, json, 400, json.json().code)
})

t.test('an undecodable Basic header on /oauth/token', async (t) => {
  for (const credentials of ['%zz:%zz', 'id:%E0%A4%A', '\u00ff\u00fe']) {
    const res = await hub.inject(
      {
        method: 'POST',
        url: '/oauth/token',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(credentials, 'latin1').toString('base64')}`,
        },
        payload: 'grant_type=client_credentials',
      },
      null,
    )
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${credentials}: ${res.statusCode} ${res.body}`)
    t.match(res.json(), { error: /invalid_(request|client)/ }, 'answered in OAuth 2.0 shape')
  }
})

t.test("Fastify's own refusals are answered in the hub's shape", async (t) => {
  const long = await hub.inject(`/api/v1/connections/${'x'.repeat(300)}`)
  assertShape(t, long, 414, 'CW_URL_TOO_LONG')
  t.notMatch(long.body, /xxxxxxxxxx/, 'the URL is not echoed')
  const badUrl = await hub.inject('/api/v1/connections/%E0%A4%A')
  assertShape(t, badUrl, 400, 'CW_BAD_URL')
  const mediaType = await post('/api/v1/connections', '<name>x</name>', 'application/xml')
  assertShape(t, mediaType, 415, 'CW_UNSUPPORTED_MEDIA_TYPE')
  const notJson = await post('/api/v1/connections', '{"name": ')
  assertShape(t, notJson, 400, 'CW_INVALID_JSON')
  const empty = await post('/api/v1/connections', '')
  assertShape(t, empty, 400, 'CW_INVALID_JSON')
  const tooLarge = await post('/api/v1/connections', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }))
  assertShape(t, tooLarge, 413, 'CW_BODY_TOO_LARGE')
  const unknown = await hub.inject('/api/v1/nothing-here?token=abc')
  assertShape(t, unknown, 404, 'CW_ROUTE_NOT_FOUND')
  t.notMatch(unknown.body, /token=abc/, 'the query string is not echoed')
})

t.test('headers too large (431) and malformed HTTP, on a real socket', async (t) => {
  await hub.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = hub.app.server.address() as AddressInfo
  const answer = (headers: Record<string, string>) =>
    new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/connections', headers }, (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
      req.end()
    })
  const big = await answer({ 'x-filler': 'y'.repeat(64 * 1024) })
  assertShape(t, big, 431, 'CW_HEADERS_TOO_LARGE')
})

// The token endpoint answers every refusal in OAuth 2.0's shape (RFC 6749 §5.2), including those
// raised before its handler: a body that is no form or is malformed, NUL bytes, a body too large,
// the rate limit. An OAuth client library reads `error` as an OAuth code; the hub's shape put the
// HTTP status text there ("Bad Request"). The hub's code rides in X-Crosswalk-Error-Code.
import t, { type Test } from 'tap'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { loadCatalogue } from '../../../scripts/error-catalogue.ts'

const declared = new Set((await loadCatalogue()).map((entry) => entry.code))

function assertOAuth(
  t: Test,
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
  status: number,
  error: string,
  code: string,
) {
  t.equal(res.statusCode, status, res.body)
  const body = JSON.parse(res.body) as Record<string, unknown>
  t.same(Object.keys(body).sort(), ['error', 'error_description'], "OAuth's shape, nothing else")
  t.equal(body.error, error)
  t.type(body.error_description, 'string')
  t.equal(res.headers['x-crosswalk-error-code'], code)
  t.ok(declared.has(code), `${code} is declared`)
  t.equal(res.headers['cache-control'], 'no-store')
  t.notMatch(res.body, /FST_|stack/, 'no Fastify code or internals')
}

function token(payload: string, contentType: string) {
  return {
    method: 'POST' as const,
    url: '/oauth/token',
    headers: { 'content-type': contentType },
    payload,
  }
}

let hub: TestApp
t.before(async () => {
  hub = await buildTestApp(t)
})

t.test('refusals raised before the handler', async (t) => {
  assertOAuth(
    t,
    await hub.inject(token('<grant>client_credentials</grant>', 'application/xml'), null),
    415,
    'invalid_request',
    'CW_UNSUPPORTED_MEDIA_TYPE',
  )
  assertOAuth(
    t,
    await hub.inject(token('{"grant_type": ', 'application/json'), null),
    400,
    'invalid_request',
    'CW_INVALID_JSON',
  )
  assertOAuth(
    t,
    await hub.inject(
      token('grant_type=client_credentials&client_id=a%00b&client_secret=x', 'application/x-www-form-urlencoded'),
      null,
    ),
    400,
    'invalid_request',
    'CW_TEXT_INVALID',
  )
  const huge = `grant_type=client_credentials&client_id=${'a'.repeat(3 * 1024 * 1024)}`
  assertOAuth(
    t,
    await hub.inject(token(huge, 'application/x-www-form-urlencoded'), null),
    413,
    'invalid_request',
    'CW_BODY_TOO_LARGE',
  )
})

t.test("the handler's own refusals keep their OAuth codes", async (t) => {
  const form = 'grant_type=password&username=a&password=b'
  const grant = await hub.inject(token(form, 'application/x-www-form-urlencoded'), null)
  t.equal(grant.statusCode, 400)
  t.equal(grant.json().error, 'unsupported_grant_type')
  const unknown = await hub.inject(
    token('grant_type=client_credentials&client_id=nobody&client_secret=x', 'application/x-www-form-urlencoded'),
    null,
  )
  t.equal(unknown.statusCode, 401)
  t.equal(unknown.json().error, 'invalid_client')
})

t.test('the rate limit', async (t) => {
  const limited = await buildTestApp(t, { config: { rateLimit: { credentialsMax: 2, lockoutAttempts: 1000 } } })
  const form = 'grant_type=client_credentials&client_id=nobody&client_secret=x'
  let last = await limited.inject(token(form, 'application/x-www-form-urlencoded'), null)
  for (let i = 0; i < 5 && last.statusCode !== 429; i++) {
    last = await limited.inject(token(form, 'application/x-www-form-urlencoded'), null)
  }
  assertOAuth(t, last, 429, 'temporarily_unavailable', 'CW_RATE_LIMITED')
  t.ok(Number(last.headers['retry-after']) > 0, 'says when to try again')
})

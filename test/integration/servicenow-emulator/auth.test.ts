// Authentication (docs/reference/servicenow.md §2): Basic, OAuth 2.0 at /oauth_token.do (form-encoded; password,
// refresh_token, client_credentials), token expiry, and the platform's 401 bodies.
import { test } from 'tap'
import { basic, emulator, get } from './helpers.ts'

const token = async (url: string, form: Record<string, string>, contentType = 'application/x-www-form-urlencoded') => {
  const res = await fetch(`${url}/oauth_token.do`, {
    method: 'POST',
    headers: { 'content-type': contentType, accept: 'application/json' },
    body: contentType.includes('json') ? JSON.stringify(form) : new URLSearchParams(form).toString(),
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

test('Basic auth: good credentials pass, inactive and locked-out users get 401', async (t) => {
  const { url, instance } = await emulator(t, {
    users: [{ userName: 'svc.sync', password: 's3cret', roles: ['itil'] }],
  })
  t.equal((await get(url, '/api/now/table/incident', { auth: basic('svc.sync', 's3cret') })).status, 200)
  const account = instance.users.get('svc.sync')
  instance.data.update('sys_user', account?.sysId ?? '', { locked_out: 'true' })
  const locked = await get(url, '/api/now/table/incident', { auth: basic('svc.sync', 's3cret') })
  t.equal(locked.status, 401)
  t.equal(locked.json.error.message, 'User Not Authenticated')
})

test('OAuth password grant, bearer use, refresh, expiry', async (t) => {
  let now = Date.UTC(2026, 5, 1)
  const { url } = await emulator(t, {
    now: () => new Date(now),
    oauthClients: [{ clientId: 'cw', clientSecret: 'cw-secret', accessTokenLifespan: 60 }],
  })
  const granted = await token(url, {
    grant_type: 'password',
    client_id: 'cw',
    client_secret: 'cw-secret',
    username: 'admin',
    password: 'admin',
  })
  t.equal(granted.status, 200)
  t.equal(granted.json.token_type, 'Bearer')
  t.equal(granted.json.expires_in, 59)
  t.equal(granted.json.scope, 'useraccount')
  t.type(granted.json.refresh_token, 'string')
  const bearer = `Bearer ${String(granted.json.access_token)}`
  t.equal((await get(url, '/api/now/table/incident', { auth: bearer })).status, 200)

  now += 61_000
  const expired = await get(url, '/api/now/table/incident', { auth: bearer })
  t.equal(expired.status, 401, 'expired access token')
  t.equal(expired.json.error.message, 'User Not Authenticated')

  const refreshed = await token(url, {
    grant_type: 'refresh_token',
    client_id: 'cw',
    client_secret: 'cw-secret',
    refresh_token: String(granted.json.refresh_token),
  })
  t.equal(refreshed.status, 200)
  t.equal(refreshed.json.refresh_token, granted.json.refresh_token, 'refresh token is reused')
  t.equal(
    (await get(url, '/api/now/table/incident', { auth: `Bearer ${String(refreshed.json.access_token)}` })).status,
    200,
  )
})

test('OAuth failures all answer 401 {"error_description":"access_denied","error":"server_error"}', async (t) => {
  const { url, instance } = await emulator(t, { oauthClients: [{ clientId: 'cw', clientSecret: 'cw-secret' }] })
  const failure = { error_description: 'access_denied', error: 'server_error' }
  const wrongSecret = await token(url, {
    grant_type: 'password',
    client_id: 'cw',
    client_secret: 'x',
    username: 'admin',
    password: 'admin',
  })
  t.same(wrongSecret, { status: 401, json: failure })
  const wrongPassword = await token(url, {
    grant_type: 'password',
    client_id: 'cw',
    client_secret: 'cw-secret',
    username: 'admin',
    password: 'x',
  })
  t.same(wrongPassword, { status: 401, json: failure })
  const json = await token(
    url,
    { grant_type: 'password', client_id: 'cw', client_secret: 'cw-secret', username: 'admin', password: 'admin' },
    'application/json',
  )
  t.same(json, { status: 401, json: failure }, 'a JSON body is not accepted')
  const noAppUser = await token(url, { grant_type: 'client_credentials', client_id: 'cw', client_secret: 'cw-secret' })
  t.same(noAppUser, { status: 401, json: failure }, 'client_credentials needs an OAuth application user')
  const badRefresh = await token(url, {
    grant_type: 'refresh_token',
    client_id: 'cw',
    client_secret: 'cw-secret',
    refresh_token: 'nope',
  })
  t.same(badRefresh, { status: 401, json: failure })
  instance.oauth.addClient({ clientId: 'app', clientSecret: 'app-secret', clientCredentialsUser: 'admin' })
  instance.oauth.clientCredentialsEnabled = false
  t.equal(
    (await token(url, { grant_type: 'client_credentials', client_id: 'app', client_secret: 'app-secret' })).status,
    401,
  )
})

test('OAuth client_credentials: access token only, acting as the application user', async (t) => {
  const { url } = await emulator(t, {
    oauthClients: [{ clientId: 'app', clientSecret: 'app-secret', clientCredentialsUser: 'admin' }],
  })
  const granted = await token(url, { grant_type: 'client_credentials', client_id: 'app', client_secret: 'app-secret' })
  t.equal(granted.status, 200)
  t.notOk('refresh_token' in granted.json, 'no refresh token for client_credentials')
  const me = await get(url, '/api/now/table/incident', { auth: `Bearer ${String(granted.json.access_token)}` })
  t.equal(me.status, 200)
})

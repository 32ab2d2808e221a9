// In the real hub: tokens from POST /oauth/token work on the hub's admin API with the client's
// role, and the hub's own bearer tokens work on the IdentityNow-compatible API.
import { test } from 'tap'
import { buildTestApp } from '../../helpers/app.ts'

test('one identity across the hub API and the IdentityNow-compatible API', async (t) => {
  const hub = await buildTestApp(t)
  const created = await hub.inject({
    method: 'POST',
    url: '/api/v1/identitynow/api-clients',
    payload: { name: 'sailpoint-tooling', role: 'viewer' },
  })
  t.equal(created.statusCode, 200)
  const client = created.json() as { clientId: string; clientSecret: string }

  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: client.clientId,
    client_secret: client.clientSecret,
  })
  const token = await hub.inject(
    {
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    },
    null,
  )
  t.equal(token.statusCode, 200, 'urlencoded client credentials')
  const jwt = (token.json() as { access_token: string; token_type: string; expires_in: number }).access_token
  t.match(token.json(), { token_type: 'bearer', expires_in: 749 })
  t.equal(jwt.split('.').length, 3, 'a JWS, as sailpoint-cli expects')
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
  t.match(claims, { user_name: 'sailpoint-tooling', client_id: client.clientId, org: 'crosswalk', pod: 'crosswalk' })

  const bad = await hub.inject(
    {
      method: 'POST',
      url: `/oauth/token?grant_type=client_credentials&client_id=${client.clientId}&client_secret=wrong`,
    },
    null,
  )
  t.equal(bad.statusCode, 401)
  t.match(bad.json(), { error: 'invalid_client' })

  // the OAuth token on the hub's own admin API, with the client's role (viewer)
  const tokens = await hub.inject({ url: '/api/v1/identitynow/provisioning' }, jwt)
  t.equal(tokens.statusCode, 200, 'a viewer route of the hub accepts it')
  const adminOnly = await hub.inject(
    { method: 'POST', url: '/api/v1/identitynow/api-clients', payload: { name: 'x', role: 'admin' } },
    jwt,
  )
  t.equal(adminOnly.statusCode, 403, 'an admin route refuses a viewer client')

  // the hub's own tokens on the compatible API
  const list = await hub.inject({ url: '/v3/service-desk-integrations' })
  t.equal(list.statusCode, 200, 'the hub admin token lists integrations')
  const viewer = await hub.token('viewer')
  const write = await hub.inject(
    {
      method: 'POST',
      url: '/v3/service-desk-integrations',
      payload: { name: 'n', description: 'd', type: 'ServiceNowSDIM', attributes: {} },
    },
    viewer,
  )
  t.equal(write.statusCode, 403, 'a hub viewer token cannot write')
  t.match(write.json(), { detailCode: '403 Forbidden' }, "answered in SailPoint's error shape")
  const anonymous = await hub.inject({ url: '/v3/service-desk-integrations' }, null)
  t.equal(anonymous.statusCode, 401)
  t.match(anonymous.json(), { error: /^JWT validation failed: / })

  // multipart, as sailpoint-api-client sends it
  const boundary = 'cwboundary'
  const multipart = [
    ['grant_type', 'client_credentials'],
    ['client_id', client.clientId],
    ['client_secret', client.clientSecret],
  ]
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('')
  const multi = await hub.inject(
    {
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `${multipart}--${boundary}--\r\n`,
    },
    null,
  )
  t.equal(multi.statusCode, 200, 'multipart client credentials')
})

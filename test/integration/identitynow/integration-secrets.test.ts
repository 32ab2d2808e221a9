// A SIM integration's secrets are bound to the origin of its ServiceNow URL: a JSON Patch (or a
// PUT) that moves attributes.url to another host drops them unless it sends them again, and
// says so in X-Crosswalk-Secrets-Dropped; credentials in the URL are refused; the audit log
// keeps no secret a JSON Patch carried.
import { test } from 'tap'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'

const PASSWORD = 'Sn0w-Integration-Pa55'

function jsonPatch(hub: TestApp, url: string, body: unknown) {
  return hub.inject({
    method: 'PATCH',
    url,
    headers: { 'content-type': 'application/json-patch+json' },
    payload: JSON.stringify(body),
  })
}

function createSim(hub: TestApp, attributes: Record<string, unknown>) {
  return hub.inject({
    method: 'POST',
    url: '/beta/sim-integrations',
    payload: { name: 'snow', type: 'ServiceNow Service Desk', attributes },
  })
}

test('JSON Patch of attributes.url to another host drops the password unless it is sent again', async (t) => {
  const hub = await buildTestApp(t)
  const created = await createSim(hub, {
    url: 'https://acme.service-now.com',
    authType: 'Basic',
    username: 'svc',
    password: PASSWORD,
  })
  t.equal(created.statusCode, 200, created.body)
  const id = created.json<{ id: string }>().id
  const owner = `identitynow:${id}`
  t.equal(await hub.hub.vault.get(owner, 'password'), PASSWORD)

  const samePlace = await jsonPatch(hub, `/beta/sim-integrations/${id}`, [
    { op: 'replace', path: '/attributes/url', value: 'https://acme.service-now.com/' },
  ])
  t.equal(samePlace.statusCode, 200, samePlace.body)
  t.equal(samePlace.headers['x-crosswalk-secrets-dropped'], undefined)
  t.equal(await hub.hub.vault.get(owner, 'password'), PASSWORD, 'same origin: kept')

  const moved = await jsonPatch(hub, `/beta/sim-integrations/${id}`, [
    { op: 'replace', path: '/attributes/url', value: 'https://attacker.example' },
  ])
  t.equal(moved.statusCode, 200, moved.body)
  t.equal(moved.headers['x-crosswalk-secrets-dropped'], 'password', 'the answer says what was dropped')
  t.equal(await hub.hub.vault.get(owner, 'password'), undefined, 'the password is not kept for the new host')

  const resent = await jsonPatch(hub, `/v3/service-desk-integrations/${id}`, {
    operations: [
      { op: 'replace', path: '/attributes/url', value: 'https://acme.service-now.com' },
      { op: 'replace', path: '/attributes/password', value: PASSWORD },
    ],
  })
  t.equal(resent.statusCode, 200, resent.body)
  t.equal(resent.headers['x-crosswalk-secrets-dropped'], undefined)
  t.equal(await hub.hub.vault.get(owner, 'password'), PASSWORD, 'sent again with the move: kept')

  // a PUT of what GET gave back (which never holds secrets) with another URL drops it too
  const current = (await hub.inject(`/v3/service-desk-integrations/${id}`)).json<Record<string, unknown>>()
  const put = await hub.inject({
    method: 'PUT',
    url: `/v3/service-desk-integrations/${id}`,
    payload: { ...current, attributes: { ...(current.attributes as object), url: 'https://elsewhere.example' } },
  })
  t.equal(put.statusCode, 200, put.body)
  t.equal(put.headers['x-crosswalk-secrets-dropped'], 'password')

  const audit = (await hub.inject('/api/v1/audit?limit=100')).body
  t.notMatch(audit, new RegExp(PASSWORD), 'no JSON Patch operation left the password in the audit log')
  t.match(audit, /"path":"\/attributes\/password","value":"\[redacted\]"/)
})

test('credentials in attributes.url are refused', async (t) => {
  const hub = await buildTestApp(t)
  const refused = await createSim(hub, {
    url: 'https://svc:hunter2@acme.service-now.com',
    authType: 'Basic',
    username: 'svc',
  })
  t.equal(refused.statusCode, 400, refused.body)
  t.equal(refused.headers['x-crosswalk-error-code'], 'CW_URL_CREDENTIALS')
  t.match(refused.body, /attributes\.password/)
  t.notMatch(refused.body, /hunter2/)
  const audit = await hub.inject('/api/v1/audit?limit=10')
  t.match(audit.json().items[0], { outcome: 'refused', errorCode: 'CW_URL_CREDENTIALS' })
  t.notMatch(audit.body, /hunter2/)
})

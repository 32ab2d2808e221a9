// A SIM integration's secrets are bound to the origin of its ServiceNow URL: a JSON Patch (or a
// PUT) that moves attributes.url to another host drops them unless it sends them again, and
// says so in X-Crosswalk-Secrets-Dropped; credentials in the URL are refused; the audit log
// keeps no secret a JSON Patch carried.
import { test } from 'tap'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'

const PASSWORD = 'Sn0w-Integration-Pa55'
const BASIC = { url: 'https://acme.service-now.com', authType: 'Basic', username: 'svc' }

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
  const created = await createSim(hub, { ...BASIC, password: PASSWORD })
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

test('an integration write is whole or nothing: row, secrets and audit entry', async (t) => {
  const hub = await buildTestApp(t)
  const huge = 'x'.repeat(70 * 1024)
  const refused = await createSim(hub, { ...BASIC, password: huge })
  t.equal(refused.statusCode, 400, refused.body)
  t.equal(refused.headers['x-crosswalk-error-code'], 'CW_VAULT_SECRET_INVALID')
  t.same((await hub.inject('/beta/sim-integrations')).json(), [], 'no integration was left behind')
  const retried = await createSim(hub, { ...BASIC, password: PASSWORD })
  t.equal(retried.statusCode, 200, `a retry is not refused as a duplicate name: ${retried.body}`)
  const id = retried.json<{ id: string }>().id
  const owner = `identitynow:${id}`

  const partial = await jsonPatch(hub, `/beta/sim-integrations/${id}`, [
    { op: 'replace', path: '/attributes/url', value: 'https://other.example' },
    { op: 'replace', path: '/attributes/password', value: huge },
  ])
  t.equal(partial.statusCode, 400, partial.body)
  const after = (await hub.inject(`/beta/sim-integrations/${id}`)).json<{ attributes: { url: string } }>()
  t.equal(after.attributes.url, 'https://acme.service-now.com', 'the rest of the patch was not applied')
  t.equal(await hub.hub.vault.get(owner, 'password'), PASSWORD, 'nor was the drop its move implied')

  // the entry is written in the change's transaction: when it cannot be, the change is not made
  await hub.db.exec(`
    create function refuse_audit() returns trigger language plpgsql as $$
      begin raise exception 'audit log unavailable'; end $$;
    create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`)
  t.teardown(() =>
    hub.db.exec('drop trigger if exists refuse_audit on audit_log; drop function if exists refuse_audit()'),
  )
  const unaudited = await jsonPatch(hub, `/beta/sim-integrations/${id}`, [
    { op: 'replace', path: '/attributes/url', value: 'https://other.example' },
  ])
  t.equal(unaudited.statusCode, 500, unaudited.body)
  const unchanged = (await hub.inject(`/beta/sim-integrations/${id}`)).json<{ attributes: { url: string } }>()
  t.equal(unchanged.attributes.url, 'https://acme.service-now.com', 'a change without its audit entry is not made')
  t.equal(await hub.hub.vault.get(owner, 'password'), PASSWORD)
  const unrecorded = await hub.inject({ method: 'DELETE', url: `/beta/sim-integrations/${id}` })
  t.equal(unrecorded.statusCode, 500, unrecorded.body)
  t.equal((await hub.inject(`/beta/sim-integrations/${id}`)).statusCode, 200, 'nor is a delete')
  await hub.db.exec('drop trigger refuse_audit on audit_log; drop function refuse_audit()')

  const moved = await jsonPatch(hub, `/beta/sim-integrations/${id}`, [
    { op: 'replace', path: '/attributes/url', value: 'https://other.example' },
  ])
  t.equal(moved.statusCode, 200, moved.body)
  const audit = (await hub.inject('/api/v1/audit?limit=100')).json<{
    items: Array<{ action: string; outcome: string; errorCode: string | null; summary: Record<string, unknown> }>
  }>().items
  t.match(audit[0], {
    action: 'PATCH /beta/sim-integrations/:id',
    outcome: 'applied',
    summary: { droppedOnOriginChange: ['password'] },
  })
  t.same(
    audit.filter((e) => e.outcome === 'refused').map((e) => [e.action, e.errorCode]),
    [
      ['PATCH /beta/sim-integrations/:id', 'CW_VAULT_SECRET_INVALID'],
      ['POST /beta/sim-integrations', 'CW_VAULT_SECRET_INVALID'],
    ],
    'both refusals are audited as refused, with their code',
  )
  t.notMatch(JSON.stringify(audit), /xxxxxxxxxx/, 'redacted')
})

test('concurrent JSON Patches each apply to the integration as the previous one left it', async (t) => {
  const hub = await buildTestApp(t)
  const created = await createSim(hub, { ...BASIC, password: PASSWORD })
  const id = created.json<{ id: string }>().id
  const changes: Array<[string, string]> = [
    ['/description', 'described'],
    ['/attributes/username', 'svc-2'],
    ['/attributes/url', 'https://moved.example'],
    ['/attributes/ticketType', 'incident'],
  ]
  const answers = await Promise.all(
    changes.map(([path, value]) =>
      jsonPatch(hub, `/v3/service-desk-integrations/${id}`, [{ op: 'replace', path, value }]),
    ),
  )
  for (const answer of answers) t.equal(answer.statusCode, 200, answer.body)
  const after = (await hub.inject(`/v3/service-desk-integrations/${id}`)).json<Record<string, unknown>>()
  t.match(after, {
    description: 'described',
    attributes: { username: 'svc-2', url: 'https://moved.example', ticketType: 'incident' },
  })
  t.equal(await hub.hub.vault.get(`identitynow:${id}`, 'password'), undefined, 'the move dropped the password')
})

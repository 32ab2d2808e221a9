// The IdentityNow-compatible configuration API, driven over inject on every path family, with
// requests and responses checked against SailPoint's OpenAPI files.
import t, { test, type Test } from 'tap'
import { startHub, type Hub } from './harness.ts'
import { requestErrors, responseErrors } from './spec-oracle.ts'

const integration = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  description: `${name} integration`,
  type: 'ServiceNowSDIM',
  ownerRef: { type: 'IDENTITY', id: '2c9180a46faadee4016fb4e018c20639', name: 'Support' },
  clusterRef: { type: 'CLUSTER', id: '2c9180847a7fccdd017aa5896f9f4f6f', name: 'Training VA' },
  managedSources: ['2c9180835d191a86015d28455b4a2329'],
  provisioningConfig: {
    managedResourceRefs: [{ type: 'SOURCE', id: '2c9180835d191a86015d28455b4a2329', name: 'Source 2' }],
    noProvisioningRequests: true,
  },
  attributes: {
    url: 'https://acme.service-now.com',
    authType: 'Basic',
    username: 'svc_sailpoint',
    password: 'hunter2-secret',
    ticketType: 'serviceRequest',
    catalogItem: { '2c9180835d191a86015d28455b4a2329': 'f0e3a1b2c3d4e5f60718293a4b5c6d7e' },
    statusMap: { requested: 'Queued', closed_complete: 'Committed', closed_cancelled: 'Failed' },
    ...extra,
  },
})

async function call(
  hub: Hub,
  method: string,
  url: string,
  body?: unknown,
  options: { token?: string; contentType?: string } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? hub.adminToken}` }
  if (options.contentType) headers['content-type'] = options.contentType
  const res = await hub.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(body === undefined ? {} : { payload: body as object }),
  })
  const text = res.body
  return { status: res.statusCode, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) }
}

async function conforms(t: Test, method: string, url: string, status: number, body: unknown) {
  t.same(await responseErrors(method, url, status, body), [], `${method} ${url} ${status} matches SailPoint's spec`)
}

// one hub for the file: starting the embedded store is the slow part
const shared = startHub(t)
t.teardown(async () => (await shared).app.close())

test('service desk integrations: CRUD on every path family, spec-conformant', async (t) => {
  const hub = await shared
  const body = integration('Acme ServiceNow')
  t.same(await requestErrors('POST', '/service-desk-integrations/v1', { body }), [], 'our request fixture is valid')

  const created = await call(hub, 'POST', '/v3/service-desk-integrations', body)
  t.equal(created.status, 200, 'create answers 200 as SailPoint does')
  await conforms(t, 'POST', '/v3/service-desk-integrations', 200, created.body)
  const dto = created.body as Record<string, unknown> & { id: string; attributes: Record<string, unknown> }
  t.match(dto.id, /^[0-9a-f]{32}$/)
  t.notOk('password' in dto.attributes, 'the secret is not returned')
  t.equal(dto.attributes.username, 'svc_sailpoint')
  t.equal(await hub.vault.get(`identitynow:${dto.id}`, 'password'), 'hunter2-secret', 'the secret is in the vault')

  for (const base of ['/v3', '/beta', '/v2024', '/v2025', '/v2026']) {
    const got = await call(hub, 'GET', `${base}/service-desk-integrations/${dto.id}`)
    t.equal(got.status, 200, `${base} GET by id`)
    t.equal((got.body as { name: string }).name, 'Acme ServiceNow')
  }
  const v1 = await call(hub, 'GET', `/service-desk-integrations/v1/${dto.id}`)
  t.equal(v1.status, 200)
  await conforms(t, 'GET', `/service-desk-integrations/v1/${dto.id}`, 200, v1.body)
  t.notOk(JSON.stringify(v1.body).includes('hunter2'), 'no GET returns the secret')

  // PUT back what GET gave (no secret, read-only fields included): the sealed secret stays
  const put = await call(hub, 'PUT', `/v3/service-desk-integrations/${dto.id}`, {
    ...(v1.body as object),
    description: 'changed',
  })
  t.equal(put.status, 200)
  await conforms(t, 'PUT', `/v3/service-desk-integrations/${dto.id}`, 200, put.body)
  t.equal((put.body as { description: string }).description, 'changed')
  t.equal((put.body as { id: string }).id, dto.id, 'id is read-only')
  t.equal(
    await hub.vault.get(`identitynow:${dto.id}`, 'password'),
    'hunter2-secret',
    'secret kept across a PUT without it',
  )

  const missing = await call(hub, 'GET', '/v3/service-desk-integrations/0123456789abcdef0123456789abcdef')
  t.equal(missing.status, 404)
  await conforms(t, 'GET', '/v3/service-desk-integrations/x', 404, missing.body)
  t.equal((missing.body as { detailCode: string }).detailCode, '404 Not found')
  t.equal(missing.headers['x-crosswalk-error-code'], 'CW_IDN_INTEGRATION_NOT_FOUND')

  const dup = await call(hub, 'POST', '/beta/service-desk-integrations', integration('Acme ServiceNow'))
  t.equal(dup.status, 400, 'names are unique')
  await conforms(t, 'POST', '/beta/service-desk-integrations', 400, dup.body)

  const deleted = await call(hub, 'DELETE', `/v2024/service-desk-integrations/${dto.id}`)
  t.equal(deleted.status, 204)
  t.equal((await call(hub, 'GET', `/v3/service-desk-integrations/${dto.id}`)).status, 404)
  t.equal(await hub.vault.get(`identitynow:${dto.id}`, 'password'), undefined, 'secrets go with the integration')
})

test('list: offset, limit, filters, sorters, count', async (t) => {
  const hub = await shared
  for (const dto of await hub.app.identitynow.integrations.all()) await hub.app.identitynow.integrations.delete(dto.id)
  const ids: string[] = []
  for (const [name, type] of [
    ['Charlie', 'ServiceNowSDIM'],
    ['alpha', 'Generic SDIM'],
    ['Bravo', 'ServiceNowSDIM'],
  ] as const) {
    const res = await call(hub, 'POST', '/v3/service-desk-integrations', {
      ...integration(name),
      type,
      managedSources: [],
      provisioningConfig: {},
    })
    t.equal(res.status, 200)
    ids.push((res.body as { id: string }).id)
  }
  const all = await call(hub, 'GET', '/v3/service-desk-integrations?count=true&sorters=name')
  await conforms(t, 'GET', '/v3/service-desk-integrations', 200, all.body)
  t.equal(all.headers['x-total-count'], '3')
  t.same(
    (all.body as Array<{ name: string }>).map((d) => d.name),
    ['Bravo', 'Charlie', 'alpha'],
  )
  const desc = await call(hub, 'GET', '/v3/service-desk-integrations?sorters=-name')
  t.same(
    (desc.body as Array<{ name: string }>).map((d) => d.name),
    ['alpha', 'Charlie', 'Bravo'],
  )
  const page = await call(hub, 'GET', '/service-desk-integrations/v1?sorters=name&offset=1&limit=1&count=true')
  t.same(
    (page.body as Array<{ name: string }>).map((d) => d.name),
    ['Charlie'],
  )
  t.equal(page.headers['x-total-count'], '3', 'count ignores offset and limit')
  const noCount = await call(hub, 'GET', '/v3/service-desk-integrations')
  t.notOk('x-total-count' in noCount.headers, 'no count unless asked')
  const byType = await call(
    hub,
    'GET',
    `/v3/service-desk-integrations?filters=${encodeURIComponent('type eq "ServiceNowSDIM"')}&count=true`,
  )
  t.equal(byType.headers['x-total-count'], '2')
  const byIds = await call(
    hub,
    'GET',
    `/beta/service-desk-integrations?filters=${encodeURIComponent(`id in ("${ids[0]}","${ids[1]}") and name eq "alpha"`)}`,
  )
  t.same(
    (byIds.body as Array<{ name: string }>).map((d) => d.name),
    ['alpha'],
  )
  const bad = await call(
    hub,
    'GET',
    `/v3/service-desk-integrations?filters=${encodeURIComponent('description co "x"')}`,
  )
  t.equal(bad.status, 400)
  await conforms(t, 'GET', '/v3/service-desk-integrations', 400, bad.body)
  t.equal((await call(hub, 'GET', '/v3/service-desk-integrations?sorters=type')).status, 400, 'only name sorts')
  t.equal((await call(hub, 'GET', '/v3/service-desk-integrations?limit=251')).status, 400, 'limit is at most 250')
})

test('PATCH: replace only, bare array and {operations} bodies', async (t) => {
  const hub = await shared
  const created = await call(hub, 'POST', '/v3/service-desk-integrations', integration('Patch me'))
  const id = (created.body as { id: string }).id
  const bare = [
    { op: 'replace', path: '/description', value: 'from a bare array' },
    { op: 'replace', path: '/beforeProvisioningRule', value: { type: 'RULE', id: 'r1', name: 'Rule' } },
  ]
  t.same(
    await requestErrors('PATCH', '/service-desk-integrations/v1/x', {
      body: bare,
      contentType: 'application/json-patch+json',
    }),
    [],
  )
  const a = await call(hub, 'PATCH', `/service-desk-integrations/v1/${id}`, bare, {
    contentType: 'application/json-patch+json',
  })
  t.equal(a.status, 200)
  await conforms(t, 'PATCH', `/service-desk-integrations/v1/${id}`, 200, a.body)
  t.equal((a.body as { description: string }).description, 'from a bare array')
  const b = await call(
    hub,
    'PATCH',
    `/v3/service-desk-integrations/${id}`,
    { operations: [{ op: 'replace', path: '/attributes/password', value: 'rotated' }] },
    { contentType: 'application/json-patch+json' },
  )
  t.equal(b.status, 200, 'the {operations} form of sailpoint-api-client 1.4.x')
  t.notOk('password' in (b.body as { attributes: object }).attributes)
  t.equal(await hub.vault.get(`identitynow:${id}`, 'password'), 'rotated', 'a patched secret goes to the vault')
  const add = await call(
    hub,
    'PATCH',
    `/v3/service-desk-integrations/${id}`,
    [{ op: 'add', path: '/description', value: 'x' }],
    {
      contentType: 'application/json-patch+json',
    },
  )
  t.equal(add.status, 403, 'only replace is accepted')
  await conforms(t, 'PATCH', `/v3/service-desk-integrations/${id}`, 403, add.body)
  const badMap = await call(
    hub,
    'PATCH',
    `/v3/service-desk-integrations/${id}`,
    [{ op: 'replace', path: '/attributes/statusMap', value: { requested: 'Queued', closed_complete: 'Done' } }],
    { contentType: 'application/json-patch+json' },
  )
  t.equal(badMap.status, 400, 'status map values are checked')
  t.match((badMap.body as { messages: Array<{ text: string }> }).messages[0]?.text, /Queued, Committed or Failed/)
  const noCommitted = await call(
    hub,
    'PATCH',
    `/v3/service-desk-integrations/${id}`,
    [{ op: 'replace', path: '/attributes/statusMap', value: { requested: 'Queued', closed_cancelled: 'Failed' } }],
    { contentType: 'application/json-patch+json' },
  )
  t.equal(noCommitted.status, 400)
  t.match(
    (noCommitted.body as { messages: Array<{ text: string }> }).messages[0]?.text,
    /at least one state to Committed/,
  )
  const readOnly = await call(
    hub,
    'PATCH',
    `/v3/service-desk-integrations/${id}`,
    [{ op: 'replace', path: '/id', value: 'x' }],
    {
      contentType: 'application/json-patch+json',
    },
  )
  t.equal(readOnly.status, 400)
})

test('status-check configuration: strings in, strings out', async (t) => {
  const hub = await shared
  const first = await call(hub, 'GET', '/v3/service-desk-integrations/status-check-configuration')
  t.equal(first.status, 200)
  await conforms(t, 'GET', '/v3/service-desk-integrations/status-check-configuration', 200, first.body)
  const body = { provisioningStatusCheckIntervalMinutes: '15', provisioningMaxStatusCheckDays: '30' }
  t.same(await requestErrors('PUT', '/service-desk-integrations/v1/status-check-configuration', { body }), [])
  const put = await call(hub, 'PUT', '/beta/service-desk-integrations/status-check-configuration', body)
  t.equal(put.status, 200)
  t.same(put.body, body)
  const got = await call(hub, 'GET', '/service-desk-integrations/v1/status-check-configuration')
  t.same(got.body, body, 'stored and returned as strings')
  const bad = await call(hub, 'PUT', '/v3/service-desk-integrations/status-check-configuration', {
    provisioningStatusCheckIntervalMinutes: 'soon',
    provisioningMaxStatusCheckDays: '2',
  })
  t.equal(bad.status, 400)
  await conforms(t, 'PUT', '/v3/service-desk-integrations/status-check-configuration', 400, bad.body)
})

test('types and templates', async (t) => {
  const hub = await shared
  const types = await call(hub, 'GET', '/beta/service-desk-integrations/types')
  await conforms(t, 'GET', '/beta/service-desk-integrations/types', 200, types.body)
  const scriptName = (types.body as Array<{ scriptName: string }>)[0]?.scriptName ?? ''
  const template = await call(hub, 'GET', `/v3/service-desk-integrations/templates/${scriptName}`)
  t.equal(template.status, 200)
  await conforms(t, 'GET', `/v3/service-desk-integrations/templates/${scriptName}`, 200, template.body)
  t.equal((await call(hub, 'GET', '/v3/service-desk-integrations/templates/Nope')).status, 404)
})

test('SIM endpoints: their own body, the same stored object', async (t) => {
  const hub = await shared
  const sim = {
    name: 'SIM ServiceNow',
    description: 'SIM',
    type: 'ServiceNow Service Desk',
    attributes: { url: 'https://acme.service-now.com', authType: 'Basic', username: 'u', password: 'p4ss' },
    sources: ['2c9180835d191a86015d28455b4a2329', '2c5680835d191a85765d28455b4a9823'],
    cluster: 'xyzzy999',
    statusMap: {
      closed_cancelled: 'Failed',
      closed_complete: 'Committed',
      closed_incomplete: 'Failed',
      closed_rejected: 'Failed',
      in_process: 'Queued',
      requested: 'Queued',
    },
    request: { short_description: 'SailPoint Access Request $!plan.arguments.identityRequestId' },
  }
  t.same(await requestErrors('POST', '/sim-integrations/v1', { body: sim }), [])
  const created = await call(hub, 'POST', '/beta/sim-integrations', sim)
  t.equal(created.status, 200)
  await conforms(t, 'POST', '/sim-integrations/v1', 200, created.body)
  const dto = created.body as {
    id: string
    managedSources: string[]
    attributes: Record<string, unknown>
    provisioningConfig: { managedResourceRefs: Array<{ id: string }> }
  }
  t.same(dto.managedSources, sim.sources)
  t.same(
    dto.provisioningConfig.managedResourceRefs.map((r) => r.id),
    sim.sources,
  )
  t.same(dto.attributes.statusMap, sim.statusMap)
  t.notOk('password' in dto.attributes)
  const viaSdim = await call(hub, 'GET', `/v3/service-desk-integrations/${dto.id}`)
  t.equal((viaSdim.body as { name: string }).name, 'SIM ServiceNow', 'the same object on the SDIM API')
  const list = await call(hub, 'GET', '/sim-integrations/v1')
  await conforms(t, 'GET', '/sim-integrations/v1', 200, list.body)
  t.ok(
    (list.body as Array<{ id: string }>).some((d) => d.id === dto.id),
    'listed',
  )
  const put = await call(hub, 'PUT', `/v2024/sim-integrations/${dto.id}`, { ...sim, description: 'updated' })
  t.equal((put.body as { description: string }).description, 'updated')
  const patch = await call(
    hub,
    'PATCH',
    `/beta/sim-integrations/${dto.id}`,
    { operations: [{ op: 'replace', path: '/description', value: 'patched' }] },
    {
      contentType: 'application/json-patch+json',
    },
  )
  t.equal(patch.status, 200)
  await conforms(t, 'PATCH', `/sim-integrations/v1/${dto.id}`, 200, patch.body)
  const rule = await call(
    hub,
    'PATCH',
    `/sim-integrations/v1/${dto.id}/beforeProvisioningRule`,
    { operations: [{ op: 'replace', path: '/beforeProvisioningRule', value: { type: 'RULE', id: 'r2', name: 'R' } }] },
    { contentType: 'application/json-patch+json' },
  )
  t.equal((rule.body as { beforeProvisioningRule: { id: string } }).beforeProvisioningRule.id, 'r2')
  const del = await call(hub, 'DELETE', `/beta/sim-integrations/${dto.id}`)
  t.equal(del.status, 200, 'SIM delete answers 200')
})

test('access: tokens, roles and SailPoint error shapes', async (t) => {
  const hub = await shared
  const none = await hub.app.inject({ method: 'GET', url: '/v3/service-desk-integrations' })
  t.equal(none.statusCode, 401)
  await conforms(t, 'GET', '/v3/service-desk-integrations', 401, none.json())
  t.match(none.json(), { error: /^JWT validation failed/ })
  const forged = await call(hub, 'GET', '/v3/service-desk-integrations', undefined, {
    token: `${hub.viewerToken.slice(0, -4)}AAAA`,
  })
  t.equal(forged.status, 401, 'a token with a wrong signature is refused')
  const read = await call(hub, 'GET', '/v3/service-desk-integrations', undefined, { token: hub.viewerToken })
  t.equal(read.status, 200, 'a viewer reads')
  const write = await call(hub, 'POST', '/v3/service-desk-integrations', integration('x'), { token: hub.viewerToken })
  t.equal(write.status, 403, 'a viewer does not write')
  await conforms(t, 'POST', '/v3/service-desk-integrations', 403, write.body)
  const invalid = await call(hub, 'POST', '/v3/service-desk-integrations', { name: 'no type' })
  t.equal(invalid.status, 400)
  await conforms(t, 'POST', '/v3/service-desk-integrations', 400, invalid.body)
})

// Changing a custom connector in place (PATCH /api/v1/custom-connectors/:idOrName): its display
// field, field subset and constraint change after the same checks as a registration; its name,
// connection, table and key do not; a subset that drops a mapped field flags the mapping and
// refuses its runs naming the field mapping; runs made with the connector as it was are
// cancelled; each change, applied or refused, is audited; a refusal changes nothing.
import { test } from 'tap'
import { syncHarness, type SyncHarness } from '../../helpers/sync-harness.ts'
import { makeCloudAccount, registerCloudAccounts, saveFields } from './helpers.ts'

const change = (h: SyncHarness, payload: Record<string, unknown>, name = 'cloud-accounts', ifMatch?: string) =>
  h.hub.inject({
    method: 'PATCH',
    url: `/api/v1/custom-connectors/${name}`,
    payload,
    ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}),
  })

test('a custom connector changed in place: checked, audited, its runs cancelled, the mappings it breaks flagged', async (t) => {
  const h = await syncHarness(t)
  await makeCloudAccount(h)
  for (const a of [
    { u_account_id: 'aws-1', u_name: 'cwchange Payments AWS', u_provider: 'aws', u_notes: 'prod' },
    { u_account_id: 'gcp-2', u_name: 'cwchange Lab GCP', u_provider: 'gcp', u_notes: 'lab' },
  ])
    await h.snInsert('u_cloud_account', a)
  const registered = await registerCloudAccounts(h, { fields: ['u_provider', 'u_notes'] })
  t.equal(registered.statusCode, 201, registered.body)
  const side = {
    source: { connectionId: h.snConnectionId, entity: 'u_cloud_account' },
    target: { connectionId: h.lxConnectionId, entity: 'ITComponent', category: 'iaas' },
    mode: 'conservative',
    matching: { rules: [] },
  }
  const withNotes = await h.createMapping({
    name: 'cloud accounts with notes',
    ...side,
    fields: [
      { type: 'field', source: 'u_name', target: 'name' },
      { type: 'field', source: 'u_notes', target: 'description' },
    ],
  })
  const namesOnly = await h.createMapping({
    name: 'cloud accounts by name',
    ...side,
    target: { ...side.target, category: 'paas' },
    fields: [{ type: 'field', source: 'u_name', target: 'name' }],
  })
  const first = await h.run(withNotes)
  t.equal(first.status, 'OK', first.message ?? '')
  t.equal(first.counts.created, 2)

  const stored = async () => (await h.hub.inject({ url: '/api/v1/custom-connectors/cloud-accounts' })).json()
  const unchanged = await stored()
  const refusals: Array<[string, Record<string, unknown>, number, string]> = [
    ['another name', { name: 'other-accounts' }, 400, 'CW_CUSTOM_CONNECTOR_UNCHANGEABLE'],
    ['another connection', { connectionId: h.lxConnectionId }, 400, 'CW_CUSTOM_CONNECTOR_UNCHANGEABLE'],
    ['another table', { entity: 'cmdb_ci_server' }, 400, 'CW_CUSTOM_CONNECTOR_UNCHANGEABLE'],
    ['another key', { keyField: 'u_name' }, 400, 'CW_CUSTOM_CONNECTOR_UNCHANGEABLE'],
    ['a subset field the table lacks', { fields: ['u_gone'] }, 400, 'CW_CUSTOM_CONNECTOR_FIELD_NOT_FOUND'],
    ['a display field the table lacks', { displayField: 'u_label' }, 400, 'CW_CUSTOM_CONNECTOR_FIELD_NOT_FOUND'],
    ['an encoded query in a field', { fields: ['u_notes^ORsys_id!=x'] }, 400, 'CW_CUSTOM_CONNECTOR_FIELD_INVALID'],
    [
      'a constraint that is no encoded query',
      { filter: 'u_providerBETWEEN' },
      400,
      'CW_CUSTOM_CONNECTOR_FILTER_INVALID',
    ],
  ]
  for (const [what, payload, status, code] of refusals) {
    const res = await change(h, payload)
    t.equal(res.statusCode, status, `${what}: ${res.body}`)
    t.equal(res.json().code, code, what)
  }
  const named = await change(h, { entity: 'cmdb_ci_server' })
  t.match(named.json().message, /entity of custom connector cloud-accounts cannot be changed.*DELETE/)
  const unknown = await change(h, { schema: { name: 'x', fields: [] } })
  t.equal(unknown.statusCode, 400, 'a property a change cannot set is refused')
  t.equal(unknown.json().code, 'CW_VALIDATION')
  t.equal((await change(h, {}, 'no-such-connector')).json().code, 'CW_CUSTOM_CONNECTOR_NOT_FOUND')
  const same = await change(h, { name: 'cloud-accounts', entity: 'u_cloud_account', displayField: 'u_name' })
  t.equal(same.statusCode, 200, `the values it has are no change: ${same.body}`)
  t.same(same.json().drifted, [])
  t.same(same.json().cancelledRuns, [])
  const afterRefusals = await stored()
  t.same(
    { ...afterRefusals, updatedAt: null, discoveredAt: null },
    { ...unchanged, updatedAt: null, discoveredAt: null },
    'nothing changed by the refusals',
  )

  // a run made with the connector as it is waits (no worker took it yet), as a queued run does
  const waiting = await h.hub.app.runs.create({ mappingId: withNotes, trigger: 'manual', dryRun: false, kind: 'full' })
  const changed = await change(h, {
    fields: ['u_provider', 'u_name'],
    filter: 'u_provider!=gcp',
    displayField: 'u_account_id',
  })
  t.equal(changed.statusCode, 200, changed.body)
  t.match(changed.json(), {
    connector: {
      fields: ['u_provider', 'u_name'],
      filter: 'u_provider!=gcp',
      displayField: 'u_account_id',
      removedAt: null,
    },
    changes: { removed: [], dropped: ['u_notes'], retyped: [] },
    cancelledRuns: [waiting.id],
  })
  t.same(
    (changed.json().connector.schema.fields as Array<{ name: string }>).map((f) => f.name).sort(),
    ['u_account_id', 'u_name', 'u_provider'],
    'the new subset, with the key field',
  )
  t.same(
    (changed.json().drifted as Array<{ id: string; problems: Array<{ pointer: string }> }>).map((d) => [
      d.id,
      d.problems.map((p) => p.pointer),
    ]),
    [[withNotes, ['/fields/1/source']]],
    'only the mapping that uses the dropped field is flagged, at its field mapping',
  )
  t.equal((await h.hub.app.runs.get(waiting.id)).status, 'CANCELLED', 'the waiting run is cancelled')

  const refused = await h.hub.inject({ method: 'POST', url: `/api/v1/mappings/${withNotes}/runs`, payload: {} })
  t.equal(refused.statusCode, 409, refused.body)
  t.equal(refused.json().code, 'CW_RUN_MAPPING_DRIFTED')
  t.match(refused.json().message, /\/fields\/1\/source: u_notes of u_cloud_account is no longer offered/)

  // the other mapping runs, with the new constraint: the GCP account is not read
  const byName = await h.run(namesOnly)
  t.equal(byName.status, 'OK', byName.message ?? '')
  t.equal(byName.counts.created, 1, 'the changed constraint holds at once')

  // mended against the new subset: runs start again
  await saveFields(t, h, withNotes, [{ type: 'field', source: 'u_name', target: 'name' }])
  const again = await h.run(withNotes)
  t.equal(again.counts.read, 1, 'it runs again, reading what the new constraint lets through')
  // the GCP account it synced left its scope: not deleted behind the operator's back
  t.equal(again.status, 'WARNING', again.message ?? '')
  t.match(again.message, /deletions refused/)

  const audit = (await h.hub.inject({ url: '/api/v1/audit?limit=100' })).json().items as Array<{
    action: string
    outcome: string
    errorCode: string | null
    summary: Record<string, unknown>
  }>
  const patches = audit.filter((a) => a.action === 'PATCH /api/v1/custom-connectors/:idOrName')
  t.same(
    patches
      .filter((a) => a.outcome === 'refused')
      .map((a) => a.errorCode)
      .sort(),
    [
      'CW_CUSTOM_CONNECTOR_FIELD_INVALID',
      'CW_CUSTOM_CONNECTOR_FIELD_NOT_FOUND',
      'CW_CUSTOM_CONNECTOR_FIELD_NOT_FOUND',
      'CW_CUSTOM_CONNECTOR_FILTER_INVALID',
      'CW_CUSTOM_CONNECTOR_NOT_FOUND',
      'CW_CUSTOM_CONNECTOR_UNCHANGEABLE',
      'CW_CUSTOM_CONNECTOR_UNCHANGEABLE',
      'CW_CUSTOM_CONNECTOR_UNCHANGEABLE',
      'CW_CUSTOM_CONNECTOR_UNCHANGEABLE',
      'CW_CUSTOM_CONNECTOR_UNCHANGEABLE',
      'CW_VALIDATION',
    ],
    'every refused change is audited with its code',
  )
  const applied = patches.find(
    (a) =>
      a.outcome === 'applied' && (a.summary.after as { filter?: string } | undefined)?.filter === 'u_provider!=gcp',
  )
  t.match(
    applied?.summary,
    {
      entity: 'u_cloud_account',
      before: { displayField: 'u_name', fields: ['u_provider', 'u_notes'], filter: null },
      after: { displayField: 'u_account_id', fields: ['u_provider', 'u_name'], filter: 'u_provider!=gcp' },
      changes: { dropped: ['u_notes'] },
      flagged: ['cloud accounts with notes'],
    },
    'the change is audited with what it was and what it is',
  )

  // If-Match: a change made on what someone changed since is refused, and changes nothing
  const read = await h.hub.inject({ url: '/api/v1/custom-connectors/cloud-accounts' })
  const etag = read.headers.etag as string
  t.equal(etag, `"${read.json().updatedAt}"`, 'the ETag is the updatedAt')
  const guarded = await change(h, { displayField: 'u_name' }, 'cloud-accounts', etag)
  t.equal(guarded.statusCode, 200, guarded.body)
  t.not(guarded.headers.etag, etag, 'a change moves the ETag')
  const stale = await change(h, { displayField: 'u_account_id' }, 'cloud-accounts', etag)
  t.equal(stale.statusCode, 409, stale.body)
  t.equal(stale.json().code, 'CW_CUSTOM_CONNECTOR_CHANGED_MEANWHILE')
  t.equal((await stored()).displayField, 'u_name', 'the stale change changed nothing')

  // a removed connector is not changed: it waits for its cleanup
  t.equal((await h.hub.inject({ method: 'DELETE', url: '/api/v1/custom-connectors/cloud-accounts' })).statusCode, 200)
  const late = await change(h, { displayField: 'u_name' })
  t.equal(late.statusCode, 409, late.body)
  t.equal(late.json().code, 'CW_CUSTOM_CONNECTOR_REMOVED_UNCHANGEABLE')
})

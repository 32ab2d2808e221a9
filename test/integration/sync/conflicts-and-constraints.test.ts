// Conflicts (both sides changed a field since the last run), drift put back, and constraints in
// each system's own language: a ServiceNow encoded query on a mapping mastered in ServiceNow, a
// LeanIX facet filter on one mastered in LeanIX. Records leaving the scope leave the mapping.
import { test } from 'tap'
import { APP_FIELDS, appsNamed, syncHarness } from '../../helpers/sync-harness.ts'

test('a field changed on both sides is a conflict decided by its direction, recorded on the action', async (t) => {
  const h = await syncHarness(t)
  const app = await h.lxCreate('Application', 'cwconf Billing', [
    { op: 'replace', path: '/description', value: 'Bills' },
    { op: 'replace', path: '/alias', value: 'BIL' },
  ])
  const id = await h.createMapping({
    name: 'conflicts',
    ...appsNamed(h, 'cwconf'),
    mode: 'conservative',
    fields: APP_FIELDS,
    matching: { rules: [] },
  })
  const first = await h.run(id)
  t.equal(first.status, 'OK', first.message ?? '')
  const [target] = await h.snRows('cmdb_ci_business_app', `correlation_id=${app.id}`)
  t.ok(target, 'created')
  const sysId = target?.sys_id as string
  t.equal(target?.short_description, 'Bills')
  t.equal(target?.comments, '', 'nothing in ServiceNow yet, so comments starts empty')

  // both sides change both fields
  await h.lxUpdate(app.id, [
    { op: 'replace', path: '/description', value: 'Bills customers (LeanIX)' },
    { op: 'replace', path: '/alias', value: 'BIL-L' },
  ])
  await h.snUpdate('cmdb_ci_business_app', sysId, {
    short_description: 'Bills customers (ServiceNow)',
    comments: 'BIL-S',
  })
  const second = await h.run(id)
  t.equal(second.status, 'OK', second.message ?? '')
  t.equal(second.counts.conflicts, 2, 'two conflicts counted')
  const [after] = await h.snRows('cmdb_ci_business_app', `sys_id=${sysId}`)
  t.equal(after?.short_description, 'Bills customers (LeanIX)', 'toTarget: the source wins')
  const fs = await h.lxGraphql<{ factSheet: { alias: string } }>(
    'query ($id: ID!) { factSheet(id: $id) { ... on Application { alias } } }',
    { id: app.id },
  )
  t.equal(fs.factSheet.alias, 'BIL-S', 'toSource: the target wins')
  const changes = (await h.actions(second.id, 'kind=record')).flatMap((a) => a.changes ?? [])
  t.match(
    changes.find((c) => c.field === 'short_description'),
    {
      before: 'Bills customers (ServiceNow)',
      after: 'Bills customers (LeanIX)',
      conflict: { source: 'Bills customers (LeanIX)', target: 'Bills customers (ServiceNow)', winner: 'source' },
    },
    'the conflict with both values and the winner',
  )
  t.match(
    changes.find((c) => c.field === 'alias'),
    { conflict: { source: 'BIL-L', target: 'BIL-S', winner: 'target' } },
  )

  // only the written side changed: drift, put back without a conflict
  await h.snUpdate('cmdb_ci_business_app', sysId, { short_description: 'edited by hand' })
  const third = await h.run(id)
  t.equal(third.counts.conflicts, 0)
  const [restored] = await h.snRows('cmdb_ci_business_app', `sys_id=${sysId}`)
  t.equal(restored?.short_description, 'Bills customers (LeanIX)', 'drift is put back')
  const [drift] = await h.actions(third.id, 'action=UPDATE')
  t.match(drift?.message, /short_description was changed on the target against the field's direction; put back/)
})

test('a ServiceNow encoded query scopes a mapping mastered in ServiceNow; leaving the scope leaves the mapping', async (t) => {
  const h = await syncHarness(t)
  const rows: Record<string, string> = {}
  for (const [name, install] of [
    ['cwcon Alpha', 'cloud'],
    ['cwcon Beta', 'cloud'],
    ['cwcon Gamma', 'on_premise'],
  ] as const) {
    rows[name] = (await h.snInsert('cmdb_ci_business_app', { name, install_type: install, short_description: name }))
      .sys_id as string
  }
  const id = await h.createMapping({
    name: 'cloud apps from ServiceNow',
    source: {
      connectionId: h.snConnectionId,
      entity: 'cmdb_ci_business_app',
      filter: 'install_type=cloud^nameSTARTSWITHcwcon',
    },
    target: {
      connectionId: h.lxConnectionId,
      entity: 'Application',
      filter: JSON.stringify({ fullTextSearch: 'cwcon' }),
    },
    mode: 'conservative',
    fields: [
      { type: 'field', source: 'name', target: 'name' },
      { type: 'field', source: 'short_description', target: 'description' },
    ],
    matching: { rules: [] },
  })
  const first = await h.run(id)
  t.equal(first.status, 'OK', first.message ?? '')
  t.match(first.counts, { read: 2, created: 2 }, 'only what the encoded query selects is read')
  const names = async () =>
    (await h.lxFactSheets('Application'))
      .filter((f) => f.name.startsWith('cwcon'))
      .map((f) => f.name)
      .sort()
  t.same(await names(), ['cwcon Alpha', 'cwcon Beta'])

  // Beta moves on premise: out of scope, so its fact sheet goes (conservative: the mapping made it)
  await h.snUpdate('cmdb_ci_business_app', rows['cwcon Beta'] as string, { install_type: 'on_premise' })
  const second = await h.run(id)
  t.equal(second.status, 'OK', second.message ?? '')
  t.match(second.counts, { read: 1, deleted: 1 })
  t.same(await names(), ['cwcon Alpha'], 'archived in LeanIX')
})

test('a LeanIX facet filter scopes a mapping mastered in LeanIX', async (t) => {
  const h = await syncHarness(t)
  const critical = await h.lxCreate('Application', 'cwfacet Core banking', [
    { op: 'replace', path: '/businessCriticality', value: 'missionCritical' },
  ])
  const minor = await h.lxCreate('Application', 'cwfacet Canteen menu', [
    { op: 'replace', path: '/businessCriticality', value: 'administrativeService' },
  ])
  const id = await h.createMapping({
    name: 'mission critical applications',
    source: {
      connectionId: h.lxConnectionId,
      entity: 'Application',
      filter: JSON.stringify({
        fullTextSearch: 'cwfacet',
        facetFilters: [{ facetKey: 'businessCriticality', operator: 'OR', keys: ['missionCritical'] }],
      }),
    },
    target: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app', filter: 'nameSTARTSWITHcwfacet' },
    mode: 'conservative',
    fields: [{ type: 'field', source: 'name', target: 'name' }],
    matching: { rules: [] },
  })
  const first = await h.run(id)
  t.match(first.counts, { read: 1, created: 1 }, first.message ?? '')
  const inSn = async () =>
    (await h.snRows('cmdb_ci_business_app', 'nameSTARTSWITHcwfacet')).map((r) => r.correlation_id)
  t.same(await inSn(), [critical.id])

  // the minor one becomes mission critical: it enters the scope
  await h.lxUpdate(minor.id, [{ op: 'replace', path: '/businessCriticality', value: 'missionCritical' }])
  const second = await h.run(id)
  t.match(second.counts, { read: 2, created: 1 })
  t.same((await inSn()).sort(), [critical.id, minor.id].sort())

  // a malformed facet filter is refused when the mapping is saved, at its pointer
  const bad = await h.hub.inject({
    method: 'PATCH',
    url: `/api/v1/mappings/${id}`,
    payload: { source: { connectionId: h.lxConnectionId, entity: 'Application', filter: '{"facetFilters": 5' } },
  })
  t.equal(bad.statusCode, 400, bad.body)
  t.equal(bad.json().code, 'CW_MAPPING_INVALID')
  t.match(bad.json().problems, [{ pointer: '/source/filter' }])
})

// The CSDM defaults on the emulators: a plan, then a first sync that does what the plan said,
// pre-existing records linked by name, relations and hierarchy written, and a second sync that
// finds everything in step.
import { test } from 'tap'
import { syncHarness, type ActionAnswer } from '../../helpers/sync-harness.ts'

const recordActions = (actions: ActionAnswer[]) =>
  actions
    .filter((a) => a.kind === 'record')
    .map((a) => `${a.action} ${a.sourceId}`)
    .sort()

test('CSDM defaults: plan, then a first sync that does what the plan said, then nothing to do', async (t) => {
  const h = await syncHarness(t)
  // a capability that exists in ServiceNow already, under the same name: linked, not duplicated
  const capabilities = await h.lxFactSheets(
    'BusinessCapability',
    'level ... on BusinessCapability { relToParent { edges { node { factSheet { id } } } } }',
  )
  const snNames = new Set(
    (await h.snRows('cmdb_ci_business_capability', '', ['name'])).map((r) => r.name?.toLowerCase()),
  )
  const existing = capabilities.find((c) => !snNames.has(c.name.toLowerCase())) as { id: string; name: string }
  const preexisting = await h.snInsert('cmdb_ci_business_capability', { name: `  ${existing.name.toUpperCase()} ` })

  const res = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/mappings/defaults',
    payload: { leanixConnectionId: h.lxConnectionId, servicenowConnectionId: h.snConnectionId },
  })
  t.equal(res.statusCode, 201, res.body)
  const [capMapping, appMapping] = res.json().items as Array<{ id: string; name: string }>

  const plan = await h.hub.inject({
    method: 'POST',
    url: `/api/v1/mappings/${capMapping?.id}/plan`,
    payload: { wait: 60 },
  })
  t.equal(plan.statusCode, 200, plan.body)
  const planned = plan.json().run.counts
  t.equal(planned.read, capabilities.length, 'the plan read every capability')
  const sameName = capabilities.filter((c) => snNames.has(c.name.toLowerCase())).length
  t.equal(planned.linked, 1 + sameName, 'pre-existing capabilities are matched by name (case and white space ignored)')
  t.equal(planned.created, capabilities.length - 1 - sameName)
  t.equal(
    (await h.snRows('cmdb_ci_business_capability', `correlation_idISNOTEMPTY`)).length,
    0,
    'a plan writes nothing',
  )

  const run = await h.run(capMapping?.id as string)
  t.equal(run.status, 'OK', run.message ?? '')
  t.same(
    recordActions(await h.actions(run.id, 'kind=record')),
    recordActions(await h.actions(plan.json().run.id, 'kind=record')).filter((a) => !a.startsWith('NONE')),
    'the real run did what the plan said, record by record',
  )
  const snCaps = await h.snRows('cmdb_ci_business_capability', 'correlation_idISNOTEMPTY', [
    'sys_id',
    'name',
    'correlation_id',
    'parent',
    'hierarchy_level',
  ])
  t.equal(snCaps.length, capabilities.length, 'one record per capability, each carrying its fact sheet id')
  const linked = await h.snRows('cmdb_ci_business_capability', `sys_id=${preexisting.sys_id}`, ['name'])
  t.equal(linked[0]?.name, existing.name, 'the linked record took the LeanIX name')
  // hierarchy: the parent reference points at the parent capability's record
  const byFactSheet = new Map(snCaps.map((r) => [r.correlation_id, r]))
  byFactSheet.set(existing.id, { ...preexisting, sys_id: preexisting.sys_id } as Record<string, string>)
  for (const cap of capabilities) {
    const parentId = (cap.relToParent as { edges: Array<{ node: { factSheet: { id: string } } }> }).edges[0]?.node
      .factSheet.id
    const row = byFactSheet.get(cap.id)
    if (!row || cap.id === existing.id) continue
    t.equal(row.hierarchy_level, `${cap.level as number}.0`, `${cap.name}: hierarchy level mapped`)
    t.equal(
      row.parent ?? '',
      parentId ? (byFactSheet.get(parentId)?.sys_id ?? '') : '',
      `${cap.name}: parent reference`,
    )
  }

  // what matching must do: a name ServiceNow has once links, twice or more is ambiguous
  const snAppNames = new Map<string, number>()
  for (const r of await h.snRows('cmdb_ci_business_app', '', ['name'])) {
    const key = (r.name ?? '').trim().toLowerCase()
    snAppNames.set(key, (snAppNames.get(key) ?? 0) + 1)
  }
  const appRun = await h.run(appMapping?.id as string)
  const apps = await h.lxFactSheets(
    'Application',
    '... on Application { relApplicationToBusinessCapability { edges { node { factSheet { id } } } } }',
  )
  const occurrences = apps.map((a) => snAppNames.get(a.name.trim().toLowerCase()) ?? 0)
  const ambiguous = apps.filter((_, i) => (occurrences[i] ?? 0) > 1)
  t.match(
    appRun.counts,
    {
      created: occurrences.filter((n) => n === 0).length,
      linked: occurrences.filter((n) => n === 1).length,
      skipped: ambiguous.length,
    },
    'names ServiceNow has once are linked, names it has twice are left alone, the rest created',
  )
  t.equal(appRun.status, ambiguous.length > 0 ? 'WARNING' : 'OK', appRun.message ?? '')
  const skippedActions = await h.actions(appRun.id, 'status=SKIPPED')
  t.same(
    skippedActions.map((a) => a.sourceId).sort(),
    ambiguous.map((a) => a.id).sort(),
    'an ambiguous match is skipped and says so',
  )
  for (const a of skippedActions) t.match(a.message, /unlinked targets match/)
  const snApps = await h.snRows('cmdb_ci_business_app', 'correlation_idISNOTEMPTY', [
    'sys_id',
    'correlation_id',
    'name',
    'life_cycle_stage',
  ])
  const appByFactSheet = new Map(snApps.map((r) => [r.correlation_id, r]))
  // the relation: one "Provided By::Provides" row per LeanIX relation, capability as parent
  const rels = await h.snRows('cmdb_rel_ci', 'type.name=Provided By::Provides', ['parent', 'child'])
  const relSet = new Set(rels.map((r) => `${r.parent}>${r.child}`))
  let expected = 0
  for (const app of apps) {
    const appRow = appByFactSheet.get(app.id)
    if (ambiguous.includes(app)) continue
    t.ok(appRow, `${app.name} is in ServiceNow`)
    for (const edge of (
      app.relApplicationToBusinessCapability as { edges: Array<{ node: { factSheet: { id: string } } }> }
    ).edges) {
      const capRow = byFactSheet.get(edge.node.factSheet.id)
      if (!capRow || !appRow) continue
      expected++
      t.ok(relSet.has(`${capRow.sys_id}>${appRow.sys_id}`), `${app.name} provides its capability`)
    }
  }
  t.equal(appRun.counts.relationsCreated, expected, 'exactly the LeanIX relations were created')

  for (const mapping of [capMapping, appMapping]) {
    const again = await h.run(mapping?.id as string)
    t.match(
      again.counts,
      { created: 0, updated: 0, deleted: 0, linked: 0, relationsCreated: 0, relationsDeleted: 0 },
      `${mapping?.name}: nothing to do the second time`,
    )
    t.equal(again.counts.unchanged + again.counts.skipped, again.counts.read)
  }
})

// Sync modes and the deletion guard, on a small set of fact sheets and business applications of
// their own (constraints on both sides keep the seeded data out of scope): additive never
// deletes, conservative deletes only what the mapping linked, strict also what nothing links;
// the guard refuses a sweep above the ratio or when the source read nothing, until confirmed.
import { test } from 'tap'
import { syncHarness, type SyncHarness } from '../../helpers/sync-harness.ts'

const PREFIX = 'cwmode'

async function appsInScope(h: SyncHarness) {
  return h.snRows('cmdb_ci_business_app', `nameSTARTSWITH${PREFIX}`, ['sys_id', 'name', 'correlation_id'])
}

test('additive, conservative and strict modes, and the deletion guard', async (t) => {
  const h = await syncHarness(t)
  const created: Array<{ id: string; name: string }> = []
  for (let i = 0; i < 10; i++) {
    const name = `${PREFIX} app ${i}`
    created.push({ id: (await h.lxCreate('Application', name)).id, name })
  }
  // a business application made by hand in ServiceNow, in the target's scope, linked to nothing
  const manual = await h.snInsert('cmdb_ci_business_app', { name: `${PREFIX} made by hand` })
  const id = await h.createMapping({
    name: 'modes',
    source: {
      connectionId: h.lxConnectionId,
      entity: 'Application',
      filter: JSON.stringify({ fullTextSearch: PREFIX }),
    },
    target: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app', filter: `nameSTARTSWITH${PREFIX}` },
    mode: 'additive',
    fields: [{ type: 'field', source: 'name', target: 'name' }],
    // no matching: the hand-made record must stay unlinked
    matching: { rules: [] },
  })
  const first = await h.run(id)
  t.match(first.counts, { read: 10, created: 10 }, first.message ?? '')
  t.equal((await appsInScope(h)).length, 11)

  // additive: a source gone deletes nothing
  await h.lxArchive((created[0] as { id: string }).id)
  const additive = await h.run(id)
  t.match(additive.counts, { read: 9, deleted: 0 })
  t.equal((await appsInScope(h)).length, 11, 'additive never deletes')

  // conservative: the target linked to the archived source goes; the hand-made record stays
  await h.hub.inject({ method: 'PATCH', url: `/api/v1/mappings/${id}`, payload: { mode: 'conservative' } })
  const conservative = await h.run(id)
  t.equal(conservative.status, 'OK', conservative.message ?? '')
  t.match(conservative.counts, { deleted: 1 })
  const afterConservative = await appsInScope(h)
  t.notOk(
    afterConservative.some((r) => r.correlation_id === created[0]?.id),
    'the archived application is deleted',
  )
  t.ok(
    afterConservative.some((r) => r.sys_id === manual.sys_id),
    'what the mapping never linked stays',
  )
  const deletes = await h.actions(conservative.id, 'action=DELETE')
  t.equal(deletes.length, 1)
  t.equal(deletes[0]?.sourceId, created[0]?.id)

  // strict: what nothing links in scope goes too
  await h.hub.inject({ method: 'PATCH', url: `/api/v1/mappings/${id}`, payload: { mode: 'strict' } })
  const strictPlan = await h.hub.inject({ method: 'POST', url: `/api/v1/mappings/${id}/plan`, payload: { wait: 60 } })
  t.match(strictPlan.json().run.counts, { deleted: 1 }, 'the plan shows the strict deletion')
  t.ok(
    (await appsInScope(h)).some((r) => r.sys_id === manual.sys_id),
    'a plan deletes nothing',
  )
  const strict = await h.run(id)
  t.match(strict.counts, { deleted: 1 })
  t.notOk(
    (await appsInScope(h)).some((r) => r.sys_id === manual.sys_id),
    'strict deletes what has no counterpart',
  )

  // the guard: 6 of 9 gone is over 50%: nothing is deleted, the run says why
  for (const c of created.slice(1, 7)) await h.lxArchive(c.id)
  const guarded = await h.run(id)
  t.equal(guarded.status, 'WARNING')
  t.match(guarded.message, /6 of 9 targets in scope would be deleted \(67%\), more than the maximum of 50%/)
  t.match(guarded.counts, { deleted: 0, skipped: 6 })
  t.equal((await appsInScope(h)).length, 9, 'the guard deleted nothing')
  const refused = await h.actions(guarded.id, 'action=DELETE')
  t.equal(refused.length, 6)
  t.ok(refused.every((a) => a.status === 'SKIPPED' && /deletion guard/.test(a.message ?? '')))
  // an operator who read the plan confirms the deletions for one run
  const confirmed = await h.run(id, { confirmDeletions: true })
  t.equal(confirmed.status, 'OK', confirmed.message ?? '')
  t.match(confirmed.counts, { deleted: 6 })
  t.equal((await appsInScope(h)).length, 3)

  // the source reads nothing (a filter that no longer matches): refused whatever the ratio
  await h.hub.inject({
    method: 'PATCH',
    url: `/api/v1/mappings/${id}`,
    payload: { deletion: { maxRatio: 1, refuseEmptySource: true } },
  })
  await h.hub.inject({
    method: 'PATCH',
    url: `/api/v1/mappings/${id}`,
    payload: {
      source: {
        connectionId: h.lxConnectionId,
        entity: 'Application',
        filter: JSON.stringify({ fullTextSearch: 'no such thing anywhere' }),
      },
    },
  })
  const empty = await h.run(id)
  t.equal(empty.status, 'WARNING')
  t.match(empty.message, /the source read nothing/)
  t.equal((await appsInScope(h)).length, 3, 'an empty source deletes nothing')
})

// Delta runs: what changed on either side since the last completed read. The first delta after a
// full sync sees every record the full sync wrote (the target watermark is taken before it
// writes); those are recognised by their links' hashes and their sources are not read again.
// What a user changed on the target in the meantime still reaches the plan: drift against a
// field's direction is put back, a field mastered in the target flows to the source.
import { test } from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { syncHarness } from '../../helpers/sync-harness.ts'

// a delta reads ServiceNow up to a safety lag before now (rows of a second still being written
// wait for the next delta); the tests take the shortest lag and let it pass before each delta
const LAG_MS = 1000
const settle = () => sleep(LAG_MS + 1100)

test('a delta run reads again only what someone other than the hub changed', async (t) => {
  const h = await syncHarness(t, { servicenowSettings: { deltaSafetyLagSeconds: LAG_MS / 1000 } })
  const apps = []
  for (const n of ['Alpha', 'Beta', 'Gamma', 'Delta']) {
    apps.push(
      await h.lxCreate('Application', `cwdelta ${n}`, [
        { op: 'replace', path: '/description', value: `${n} does things` },
        { op: 'replace', path: '/alias', value: n.slice(0, 3).toUpperCase() },
      ]),
    )
  }
  // Alpha's owner has no ServiceNow user: the subscription mapping skips it on every run, and
  // that is no change either
  const owner = [...h.lx.runtime.store.users.values()].find((u) => !u.technicalUser && u.status === 'ACTIVE')
  t.ok(owner, 'the LeanIX seed has an active user')
  t.same(await h.snRows('sys_user', `email=${owner?.email}`), [], 'unknown to ServiceNow')
  await h.lxGraphql(
    'mutation ($fs: ID!, $user: UserInput!) { createSubscription(factSheetId: $fs, user: $user, type: RESPONSIBLE) { id } }',
    { fs: (apps[0] as { id: string }).id, user: { email: owner?.email } },
  )
  const id = await h.createMapping({
    name: 'delta',
    source: {
      connectionId: h.lxConnectionId,
      entity: 'Application',
      filter: JSON.stringify({ fullTextSearch: 'cwdelta' }),
    },
    target: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app', filter: 'nameSTARTSWITHcwdelta' },
    mode: 'conservative',
    fields: [
      { type: 'field', source: 'name', target: 'name' },
      { type: 'field', source: 'description', target: 'short_description' },
      { type: 'field', source: 'alias', target: 'comments', direction: 'toSource' },
      { type: 'url', target: 'asset_tag' },
      { type: 'externalId', target: 'externalId', direction: 'toSource' },
      { type: 'subscription', subscriptionType: 'RESPONSIBLE', field: 'it_application_owner' },
    ],
    matching: { rules: [] },
  })
  const full = await h.run(id)
  t.equal(full.status, 'OK', full.message ?? '')
  t.equal(full.counts.created, 4)
  await settle()

  const quiet = await h.run(id, { kind: 'delta' })
  t.equal(quiet.status, 'OK', quiet.message ?? '')
  t.equal(quiet.kind, 'delta')
  t.equal(quiet.counts.read, 0, "the full sync's own writes are not read again")
  t.equal(quiet.counts.updated, 0)

  const rows = new Map(
    (await h.snRows('cmdb_ci_business_app', 'nameSTARTSWITHcwdelta')).map((r) => [r.name, r.sys_id as string]),
  )
  // a user edits ServiceNow: a field mastered in LeanIX (drift) and one mastered in ServiceNow
  await h.snUpdate('cmdb_ci_business_app', rows.get('cwdelta Alpha') as string, { short_description: 'by hand' })
  await h.snUpdate('cmdb_ci_business_app', rows.get('cwdelta Beta') as string, { comments: 'BETA-2' })
  // and one that touches a field no mapping reads: nothing to do for it
  await h.snUpdate('cmdb_ci_business_app', rows.get('cwdelta Gamma') as string, { install_type: 'cloud' })
  // and LeanIX changes a source
  await h.lxUpdate((apps[3] as { id: string }).id, [{ op: 'replace', path: '/description', value: 'Delta, renewed' }])

  await settle()
  const delta = await h.run(id, { kind: 'delta' })
  t.equal(delta.status, 'OK', delta.message ?? '')
  t.equal(delta.counts.read, 3, 'Alpha and Beta for their target edits, Delta for its source edit; not Gamma')
  const after = new Map((await h.snRows('cmdb_ci_business_app', 'nameSTARTSWITHcwdelta')).map((r) => [r.name, r]))
  t.equal(after.get('cwdelta Alpha')?.short_description, 'Alpha does things', 'drift is put back')
  t.equal(after.get('cwdelta Delta')?.short_description, 'Delta, renewed', 'the source change is written')
  const beta = await h.lxGraphql<{ factSheet: { alias: string } }>(
    'query ($id: ID!) { factSheet(id: $id) { ... on Application { alias } } }',
    { id: (apps[1] as { id: string }).id },
  )
  t.equal(beta.factSheet.alias, 'BETA-2', 'the field mastered in ServiceNow flows to LeanIX')

  const settled = await h.run(id, { kind: 'delta' })
  t.equal(settled.status, 'OK', settled.message ?? '')
  t.equal(settled.counts.updated, 0, 'nothing left to do')

  // the owner field Alpha's subscription skips on is edited in ServiceNow: that is a change too
  const [someone] = await h.snRows('sys_user', 'active=true', ['sys_id'])
  await h.snUpdate('cmdb_ci_business_app', rows.get('cwdelta Alpha') as string, {
    it_application_owner: someone?.sys_id as string,
  })
  await settle()
  const ownerEdit = await h.run(id, { kind: 'delta' })
  t.equal(ownerEdit.status, 'OK', ownerEdit.message ?? '')
  t.equal(ownerEdit.counts.read, 1, 'Alpha is read again for its skipped field')
})

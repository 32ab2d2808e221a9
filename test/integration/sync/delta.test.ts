// Delta runs: what changed on either side since the last completed read. The first delta after a
// full sync sees every record the full sync wrote (the target watermark is taken before it
// writes); those are recognised by their links' hashes and their sources are not read again.
// What a user changed on the target in the meantime still reaches the plan: drift against a
// field's direction is put back, a field mastered in the target flows to the source.
import { test } from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { APP_FIELDS, appsNamed, syncHarness } from '../../helpers/sync-harness.ts'
import { until } from '../../helpers/until.ts'

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

test("an edit made between a full run's read and its write is caught from the write's answer", async (t) => {
  // the hook edits Beta's ServiceNow record after the first page commits: after the run staged
  // the targets (at its start), before it writes Beta (on the second page)
  let edit: (() => Promise<void>) | undefined
  const h = await syncHarness(t, {
    servicenowSettings: { deltaSafetyLagSeconds: LAG_MS / 1000 },
    leanixSettings: { pageSize: 1 },
    app: {
      sync: {
        engine: {
          hooks: {
            afterCommit: async () => {
              const once = edit
              edit = undefined
              await once?.()
            },
          },
        },
      },
    },
  })
  const [alpha, beta] = await Promise.all(
    ['Alpha', 'Beta'].map((n) =>
      h.lxCreate('Application', `cwmeanwhile ${n}`, [{ op: 'replace', path: '/description', value: n }]),
    ),
  )
  if (!alpha || !beta) throw new Error('two applications')
  const id = await h.createMapping({
    name: 'meanwhile',
    ...appsNamed(h, 'cwmeanwhile'),
    mode: 'conservative',
    fields: APP_FIELDS,
    matching: { rules: [] },
    events: { partialSync: 'skip' },
  })
  t.equal((await h.run(id)).status, 'OK')
  const rows = new Map(
    (await h.snRows('cmdb_ci_business_app', 'nameSTARTSWITHcwmeanwhile')).map((r) => [r.name, r.sys_id as string]),
  )
  t.equal(rows.size, 2)
  // LeanIX changes both descriptions, so the next full run updates both records in ServiceNow
  await h.lxUpdate(alpha.id, [{ op: 'replace', path: '/description', value: 'Alpha, second words' }])
  await h.lxUpdate(beta.id, [{ op: 'replace', path: '/description', value: 'Beta, second words' }])
  edit = () => h.snUpdate('cmdb_ci_business_app', rows.get('cwmeanwhile Beta') as string, { comments: 'BETA-NEW' })
  const full = await h.run(id)
  t.equal(full.status, 'OK', full.message ?? '')
  t.equal(edit, undefined, 'the edit was made during the run')
  const [betaRow] = await h.snRows('cmdb_ci_business_app', `sys_id=${rows.get('cwmeanwhile Beta')}`)
  t.equal(
    betaRow?.sys_updated_by,
    'crosswalk.hub',
    "the hub's write came after the edit: a delta leaves the record out",
  )

  // the write's answer showed the edit: a partial run takes Beta's comments to LeanIX
  const alias = async () =>
    (
      await h.lxGraphql<{ factSheet: { alias: string | null } }>(
        'query ($id: ID!) { factSheet(id: $id) { ... on Application { alias } } }',
        { id: beta.id },
      )
    ).factSheet.alias
  await until(async () => (await alias()) === 'BETA-NEW', "Beta's edit to reach LeanIX")
  const runs = (await h.hub.inject(`/api/v1/runs?mappingId=${id}&limit=10`)).json().items as Array<{
    kind: string
    trigger: string
    id: string
  }>
  const partial = runs.find((r) => r.kind === 'partial')
  t.ok(partial, 'by a partial run')
  t.equal((await h.waitFor(partial?.id as string)).counts.read, 1, 'of Beta alone')

  await settle()
  const delta = await h.run(id, { kind: 'delta' })
  t.equal(delta.status, 'OK', delta.message ?? '')
  t.equal(delta.counts.updated, 0, 'nothing left for a delta')
})

// Every field mapping type on the emulators, written both ways: LeanIX applications (the source
// of truth) kept in cmdb_ci_business_app, with two fields written back against the mapping's
// direction. Assertions read what each system holds, not what the hub says it did.
import { test } from 'tap'
import { syncHarness, type SyncHarness } from '../../helpers/sync-harness.ts'

const PREFIX = 'cwfield'

interface Setup {
  h: SyncHarness
  mappingId: string
  owner: { email: string; sysId: string }
  apps: { payroll: string; ledger: string }
  capability: string
}

async function setup(t: { teardown(fn: () => unknown): void }): Promise<Setup> {
  const h = await syncHarness(t)
  // a person known on both sides by email: LeanIX subscriptions and ServiceNow references meet there
  const lxUser = [...h.lx.runtime.store.users.values()].find((u) => !u.technicalUser && u.status === 'ACTIVE')
  if (!lxUser) throw new Error('the LeanIX seed has no active user')
  const snUser = await h.snInsert('sys_user', {
    user_name: 'field.owner',
    name: `${lxUser.firstName} ${lxUser.lastName}`,
    email: lxUser.email,
  })
  const capability = (await h.lxCreate('BusinessCapability', `${PREFIX} Payroll accounting`)).id
  const payroll = (
    await h.lxCreate('Application', `${PREFIX} Payroll`, [
      { op: 'replace', path: '/description', value: 'Pays people' },
      { op: 'replace', path: '/businessCriticality', value: 'missionCritical' },
      {
        op: 'replace',
        path: '/lifecycle',
        value: JSON.stringify({
          phases: [
            { phase: 'plan', startDate: '2019-01-01' },
            { phase: 'active', startDate: '2020-03-01' },
          ],
        }),
      },
      { op: 'add', path: '/tags', value: JSON.stringify([{ tagName: 'Cloud', tagGroupName: 'Hosting Type' }]) },
      {
        op: 'add',
        path: '/relApplicationToBusinessCapability/new_1',
        value: JSON.stringify({ factSheetId: capability }),
      },
    ])
  ).id
  await h.lxGraphql(
    'mutation ($fs: ID!, $user: UserInput!) { createSubscription(factSheetId: $fs, user: $user, type: RESPONSIBLE) { id } }',
    { fs: payroll, user: { email: lxUser.email } },
  )
  const ledger = (
    await h.lxCreate('Application', `${PREFIX} Ledger`, [
      { op: 'replace', path: '/businessCriticality', value: 'administrativeService' },
      {
        op: 'replace',
        path: '/lifecycle',
        value: JSON.stringify({ phases: [{ phase: 'plan', startDate: '2024-06-01' }] }),
      },
    ])
  ).id
  const mappingId = await h.createMapping({
    name: 'every field type',
    source: {
      connectionId: h.lxConnectionId,
      entity: 'Application',
      filter: JSON.stringify({ fullTextSearch: PREFIX }),
    },
    target: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app', filter: `nameSTARTSWITH${PREFIX}` },
    mode: 'conservative',
    fields: [
      { type: 'field', source: 'name', target: 'name' },
      { type: 'field', source: 'description', target: 'short_description' },
      {
        type: 'valueMap',
        source: 'businessCriticality',
        target: 'business_criticality',
        values: [
          { source: 'missionCritical', target: '1 - most critical' },
          { source: 'businessCritical', target: '2 - somewhat critical' },
          { source: 'businessOperational', target: '3 - less critical' },
          { source: 'administrativeService', target: '4 - not critical' },
        ],
      },
      { type: 'fixed', target: 'install_type', value: 'cloud' },
      { type: 'url', target: 'comments' },
      { type: 'externalId', target: 'asset_tag' },
      {
        type: 'lifecycle',
        source: 'lifecycle',
        target: 'life_cycle_stage',
        values: [
          { source: 'plan', target: 'Design' },
          { source: 'phaseIn', target: 'Develop' },
          { source: 'active', target: 'Operational' },
          { source: 'endOfLife', target: 'End of Life' },
        ],
      },
      { type: 'lifecycle', source: 'lifecycle', target: 'install_date', phase: 'active' },
      { type: 'tagGroup', tagGroup: 'Hosting Type', field: 'platform' },
      { type: 'subscription', subscriptionType: 'RESPONSIBLE', field: 'it_application_owner' },
      { type: 'relatedNames', relation: 'relApplicationToBusinessCapability', field: 'description' },
      { type: 'archivedStatus', target: 'operational_status', value: '6' },
      // against the mapping's direction: ServiceNow's number and architecture land in LeanIX
      { type: 'field', source: 'alias', target: 'number', direction: 'toSource' },
      {
        type: 'valueMap',
        source: 'supportedPlatforms',
        target: 'architecture_type',
        direction: 'toSource',
        values: [
          { source: 'web', target: 'web_based' },
          { source: 'windows', target: 'desktop' },
        ],
      },
    ],
    matching: { rules: [] },
  })
  return {
    h,
    mappingId,
    owner: { email: lxUser.email, sysId: snUser.sys_id as string },
    apps: { payroll, ledger },
    capability,
  }
}

async function targetOf(h: SyncHarness, sourceId: string) {
  const rows = await h.snRows('cmdb_ci_business_app', `correlation_id=${sourceId}`)
  if (rows.length !== 1) throw new Error(`expected one target of ${sourceId}, found ${rows.length}`)
  return rows[0] as Record<string, string>
}

async function factSheet(h: SyncHarness, id: string) {
  const data = await h.lxGraphql<{ factSheet: Record<string, unknown> }>(
    `query ($id: ID!) { factSheet(id: $id) { id name rev status ... on Application { alias supportedPlatforms businessCriticality } } }`,
    { id },
  )
  return data.factSheet
}

test('each field mapping type writes what the other side holds, both ways', async (t) => {
  const { h, mappingId, owner, apps, capability } = await setup(t)
  const first = await h.run(mappingId)
  t.equal(first.status, 'OK', first.message ?? '')
  t.match(first.counts, { read: 2, created: 2 })

  const payroll = await targetOf(h, apps.payroll)
  t.equal(payroll.name, `${PREFIX} Payroll`, 'plain field')
  t.equal(payroll.short_description, 'Pays people', 'plain field')
  t.equal(payroll.business_criticality, '1 - most critical', 'value map toward the target')
  t.equal(payroll.install_type, 'cloud', 'fixed value')
  t.match(payroll.comments, new RegExp(`/factsheet/Application/${apps.payroll}$`), 'fact sheet URL')
  t.equal(payroll.asset_tag, apps.payroll, 'external id: the counterpart id')
  t.equal(payroll.life_cycle_stage, 'Operational', 'current lifecycle phase through the value table')
  t.match(payroll.install_date, /^2020-03-01/, 'the start of the active phase')
  t.equal(payroll.platform, 'Cloud', 'tag group as comma-separated names')
  t.equal(payroll.it_application_owner, owner.sysId, 'subscription: the user with the same email')
  t.equal(payroll.description, `${PREFIX} Payroll accounting`, 'related fact sheet names')
  t.not(payroll.operational_status, '6', 'not retired while the source is active')
  t.equal(payroll.correlation_id, apps.payroll, "the hub's identity on what it created")
  const ledger = await targetOf(h, apps.ledger)
  t.equal(ledger.business_criticality, '4 - not critical')
  t.equal(ledger.life_cycle_stage, 'Design')
  t.equal(ledger.platform, '', 'no tag of the group: the field is empty')

  // toSource: the ServiceNow number came back into LeanIX's alias on the same run
  let payrollFs = await factSheet(h, apps.payroll)
  t.equal(payrollFs.alias, payroll.number, 'a field written against the mapping direction')
  t.match(payroll.number, /^APM/)

  // an unchanged pair costs no write
  const quiet = await h.run(mappingId)
  t.match(quiet.counts, { read: 2, created: 0, updated: 0, unchanged: 2 }, quiet.message ?? '')

  // changes on both sides, each in its own field's direction
  await h.lxUpdate(apps.payroll, [
    { op: 'replace', path: '/businessCriticality', value: 'businessCritical' },
    { op: 'replace', path: '/tags', value: JSON.stringify([{ tagName: 'On-Premise', tagGroupName: 'Hosting Type' }]) },
  ])
  await h.snUpdate('cmdb_ci_business_app', payroll.sys_id as string, { architecture_type: 'web_based' })
  const second = await h.run(mappingId)
  t.equal(second.status, 'OK', second.message ?? '')
  const payroll2 = await targetOf(h, apps.payroll)
  t.equal(payroll2.business_criticality, '2 - somewhat critical')
  t.equal(payroll2.platform, 'On-Premise')
  t.equal(payroll2.architecture_type, 'web_based', 'the toSource field is not overwritten on ServiceNow')
  payrollFs = await factSheet(h, apps.payroll)
  t.same(payrollFs.supportedPlatforms, ['web'], 'value map toward the source')
  const updates = await h.actions(second.id, 'action=UPDATE')
  const fields = updates.flatMap((a) => (a.changes ?? []).map((c) => `${c.side}:${c.field}`)).sort()
  t.same(fields, ['source:supportedPlatforms', 'target:business_criticality', 'target:platform'])

  // a value the table does not name: ignored (the default), nothing else changes
  await h.snUpdate('cmdb_ci_business_app', payroll.sys_id as string, { architecture_type: 'mainframe' })
  const third = await h.run(mappingId)
  t.equal(third.status, 'OK', third.message ?? '')
  t.same((await factSheet(h, apps.payroll)).supportedPlatforms, ['web'], 'unmapped value ignored')

  // archived in LeanIX: the target is retired (archived status), not deleted
  await h.lxArchive(apps.ledger)
  const fourth = await h.run(mappingId)
  t.equal(fourth.status, 'OK', fourth.message ?? '')
  t.equal(fourth.counts.deleted, 0)
  const ledger2 = await targetOf(h, apps.ledger)
  t.equal(ledger2.operational_status, '6', 'retired instead of deleted')
  const named = await h.lxGraphql<{ factSheet: { name: string } }>('query ($id: ID!) { factSheet(id: $id) { name } }', {
    id: capability,
  })
  t.ok(capability)
  t.equal(
    (await targetOf(h, apps.payroll)).description,
    named.factSheet.name,
    "related names follow the capability's name in LeanIX after the other runs",
  )
})

test('a value map refuses values the other side does not know, naming the field mapping', async (t) => {
  const h = await syncHarness(t)
  const res = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/mappings',
    payload: {
      name: 'bad values',
      source: { connectionId: h.lxConnectionId, entity: 'Application' },
      target: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app' },
      mode: 'conservative',
      fields: [
        { type: 'field', source: 'name', target: 'name' },
        {
          type: 'valueMap',
          source: 'businessCriticality',
          target: 'business_criticality',
          values: [
            { source: 'missionCritical', target: '1 - most critical' },
            { source: 'veryCritical', target: '0 - beyond critical' },
          ],
        },
        {
          type: 'valueMap',
          source: 'supportedPlatforms',
          target: 'architecture_type',
          direction: 'toSource',
          values: [
            { source: 'web', target: 'web_based' },
            { source: 'web', target: 'client_server' },
          ],
        },
      ],
    },
  })
  t.equal(res.statusCode, 400, res.body)
  const body = res.json()
  t.equal(body.code, 'CW_MAPPING_INVALID')
  const pointers = (body.problems as Array<{ pointer: string; message: string }>).map((p) => p.pointer)
  t.ok(
    pointers.some((p) => p.startsWith('/fields/1')),
    `the unknown choice and source value are reported at /fields/1: ${JSON.stringify(body.problems)}`,
  )
  t.ok(
    pointers.some((p) => p.startsWith('/fields/2')),
    `a map that is not reversible toward the source is reported at /fields/2: ${JSON.stringify(body.problems)}`,
  )
  t.equal((await h.hub.inject('/api/v1/mappings')).json().items.length, 0, 'nothing was stored')
})

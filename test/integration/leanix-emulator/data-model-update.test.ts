// A workspace admin changes the data model at run time (PUT /models/dataModel): a new fact sheet
// type and fields are served at once by GraphQL (filter by type, fields, create and update
// patches), an update that would delete data waits for force=true, and what the API could not
// serve (bad keys, names of the API's own types, base fields) is refused with nothing changed.
import { test } from 'tap'
import { startLeanixEmulator } from '../../../connectors/leanix/emulator/index.ts'
import { clientFor, startForTest } from './emulator-client.ts'
import { addCloudAccountType, editDataModel } from './data-model-admin.ts'

test('a fact sheet type added to the data model is served by GraphQL at once', async (t) => {
  const emulator = await startForTest(t, { seed: { seed: 7, factSheets: 60 } })
  const { gql } = await clientFor(emulator)
  const before = await gql('{ allFactSheets(factSheetType: CloudAccount) { totalCount } }')
  t.ok(before.body.errors?.length, 'unknown before the update')

  const added = await editDataModel(emulator.url, emulator.apiToken, (model) => {
    addCloudAccountType(model)
    model.factSheets.Application!.fields.cloudCost = { type: 'DOUBLE' }
  })
  t.equal(added.status, 200, JSON.stringify(added.body))
  t.same(added.body.data, [], 'nothing deleted')

  const created = await gql(
    `mutation($input: BaseFactSheetInput!, $patches: [Patch]) {
      createFactSheet(input: $input, patches: $patches) { factSheet { id ... on CloudAccount { accountId provider monthlyCost } } }
    }`,
    {
      input: { name: 'Payments AWS', type: 'CloudAccount' },
      patches: [
        { op: 'replace', path: '/accountId', value: 'aws-1' },
        { op: 'replace', path: '/provider', value: 'aws' },
        { op: 'replace', path: '/monthlyCost', value: '1250.5' },
      ],
    },
  )
  t.equal(created.body.errors, null, JSON.stringify(created.body.errors))
  const account = (created.body.data?.createFactSheet as { factSheet: Record<string, unknown> }).factSheet
  t.match(account, { accountId: 'aws-1', provider: 'aws', monthlyCost: 1250.5 })

  const refused = await gql(
    'mutation($id: ID!, $patches: [Patch]!) { updateFactSheet(id: $id, patches: $patches) { factSheet { id } } }',
    { id: account.id, patches: [{ op: 'replace', path: '/provider', value: 'oracle' }] },
  )
  t.ok(refused.body.errors?.length, 'a value the select does not offer is refused')
  const updated = await gql(
    `mutation($id: ID!, $patches: [Patch]!) {
      updateFactSheet(id: $id, patches: $patches) { factSheet { ... on CloudAccount { provider notes } } }
    }`,
    {
      id: account.id,
      patches: [
        { op: 'replace', path: '/provider', value: 'azure' },
        { op: 'replace', path: '/notes', value: 'moved' },
      ],
    },
  )
  t.same((updated.body.data?.updateFactSheet as { factSheet: unknown }).factSheet, {
    provider: 'azure',
    notes: 'moved',
  })

  const listed = await gql(
    '{ allFactSheets(factSheetType: CloudAccount) { totalCount edges { node { name ... on CloudAccount { accountId } } } } }',
  )
  t.same(listed.body.data?.allFactSheets, {
    totalCount: 1,
    edges: [{ node: { name: 'Payments AWS', accountId: 'aws-1' } }],
  })
  const app = await gql(
    '{ allFactSheets(factSheetType: Application, first: 1) { edges { node { ... on Application { cloudCost } } } } }',
  )
  t.equal(app.body.errors, null, 'an extra field of a built-in type is served too')

  const model = await fetch(`${emulator.url}/services/pathfinder/v1/models/dataModel`, {
    headers: { authorization: `Bearer ${(await clientFor(emulator)).token}` },
  })
  const data = ((await model.json()) as { data: { factSheets: Record<string, { fields: Record<string, unknown> }> } })
    .data
  t.match(data.factSheets.CloudAccount?.fields, {
    provider: { type: 'SINGLE_SELECT', values: ['aws', 'azure', 'gcp'] },
    monthlyCost: { type: 'DOUBLE' },
  })
  t.ok(data.factSheets.CloudAccount?.fields.name, 'with the fields every fact sheet has')
})

test('an update that deletes data waits for force; the values go with it', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  t.equal((await editDataModel(emulator.url, emulator.apiToken, addCloudAccountType)).status, 200)
  const { gql } = await clientFor(emulator)
  await gql(
    'mutation($input: BaseFactSheetInput!, $patches: [Patch]) { createFactSheet(input: $input, patches: $patches) { factSheet { id } } }',
    {
      input: { name: 'Lab GCP', type: 'CloudAccount' },
      patches: [
        { op: 'replace', path: '/notes', value: 'temporary' },
        { op: 'replace', path: '/provider', value: 'gcp' },
      ],
    },
  )
  const dropNotes = (model: Parameters<Parameters<typeof editDataModel>[2]>[0]) => {
    delete model.factSheets.CloudAccount!.fields.notes
    model.factSheets.CloudAccount!.fields.provider = { type: 'SINGLE_SELECT', values: ['aws', 'azure'] }
  }
  const unforced = await editDataModel(emulator.url, emulator.apiToken, dropNotes)
  t.equal(unforced.status, 400)
  t.equal(unforced.body.status, 'ERROR')
  t.same(unforced.body.data.map((d) => `${d.deletionType} ${d.info1}.${d.name} ${d.count}`).sort(), [
    'FACT_SHEET_FIELD CloudAccount.notes 1',
    'FACT_SHEET_FIELD_VALUE CloudAccount.provider 1',
  ])
  t.ok('notes' in (emulator.runtime.store.metaModel.factSheets.CloudAccount?.fields ?? {}), 'nothing changed')

  const forced = await editDataModel(emulator.url, emulator.apiToken, dropNotes, { force: true })
  t.equal(forced.status, 200, JSON.stringify(forced.body))
  t.equal(forced.body.data.length, 2, 'the deletions made')
  const [fs] = [...emulator.runtime.store.factSheets.values()].filter((f) => f.type === 'CloudAccount')
  t.same(fs?.fields, {}, 'the values that no longer fit are gone')
  const asked = await gql(
    '{ allFactSheets(factSheetType: CloudAccount) { edges { node { ... on CloudAccount { notes } } } } }',
  )
  t.ok(asked.body.errors?.length, 'the removed field is no longer in the schema')
})

test('a data model the API could not serve is refused, and only admins change it', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  const cases: Array<[string, (model: Parameters<Parameters<typeof editDataModel>[2]>[0]) => void, RegExp]> = [
    [
      'a type key that is no GraphQL name',
      (m) => void (m.factSheets['Cloud-Account'] = { fields: {} }),
      /not a valid fact sheet type key/,
    ],
    [
      'a type named like one of the API types',
      (m) => void (m.factSheets.BaseFactSheet = { fields: {} }),
      /cannot serve/,
    ],
    [
      'a field with a base field name',
      (m) => void (m.factSheets.Provider!.fields.rev = { type: 'STRING' }),
      /every fact sheet has/,
    ],
    ['an unknown data type', (m) => void (m.factSheets.Provider!.fields.size = { type: 'BLOB' }), /unknown data type/],
    [
      'a select without values',
      (m) => void (m.factSheets.Provider!.fields.tier = { type: 'SINGLE_SELECT' }),
      /list of strings/,
    ],
    [
      'a field key made to reach a query',
      (m) => void (m.factSheets.Provider!.fields['x { id }'] = { type: 'STRING' }),
      /not a valid field key/,
    ],
  ]
  for (const [what, edit, message] of cases) {
    const answer = await editDataModel(emulator.url, emulator.apiToken, edit)
    t.equal(answer.status, 400, what)
    t.match(answer.body.errorMessage, message, what)
  }
  t.notOk('BaseFactSheet' in emulator.runtime.store.metaModel.factSheets, 'nothing changed')

  const member = emulator.apiTokens.MEMBER
  t.ok(member, 'the emulator has a MEMBER technical user')
  const denied = await editDataModel(emulator.url, member as string, addCloudAccountType)
  t.equal(denied.status, 403)
  t.notOk('CloudAccount' in emulator.runtime.store.metaModel.factSheets)
})

test('a data model update outlives a restart with a state folder, with the fact sheets of its types', async (t) => {
  const stateDir = t.testdir()
  const first = await startLeanixEmulator({ seed: false, stateDir })
  t.equal((await editDataModel(first.url, first.apiToken, addCloudAccountType)).status, 200)
  const created = await (
    await clientFor(first)
  ).gql('mutation($input: BaseFactSheetInput!) { createFactSheet(input: $input) { factSheet { id } } }', {
    input: { name: 'Payments AWS', type: 'CloudAccount' },
  })
  t.equal(created.body.errors, null)
  await first.close()

  const second = await startForTest(t, { seed: false, stateDir })
  const listed = await (
    await clientFor(second)
  ).gql('{ allFactSheets(factSheetType: CloudAccount) { edges { node { name ... on CloudAccount { provider } } } } }')
  t.same(listed.body, {
    data: { allFactSheets: { edges: [{ node: { name: 'Payments AWS', provider: null } }] } },
    errors: null,
  })
})

import { test } from 'tap'
import { clientFor, startForTest } from './emulator-client.ts'

const CREATE = `mutation($input: BaseFactSheetInput!, $patches: [Patch]) {
  createFactSheet(input: $input, patches: $patches) {
    factSheet { id rev name description status ... on Application { businessCriticality lifecycle { asString phases { phase startDate } } } }
  }
}`

const UPDATE = `mutation($id: ID!, $rev: Long, $patches: [Patch]!, $comment: String) {
  updateFactSheet(id: $id, rev: $rev, patches: $patches, comment: $comment) {
    factSheet { id rev name description status }
  }
}`

test('createFactSheet applies string patches and starts at rev 1', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const answer = await gql(CREATE, {
    input: { name: 'Payments Hub', type: 'Application' },
    patches: [
      { op: 'replace', path: '/description', value: 'Settles card payments' },
      { op: 'replace', path: '/businessCriticality', value: 'missionCritical' },
      {
        op: 'replace',
        path: '/lifecycle',
        value: JSON.stringify({ phases: [{ phase: 'active', startDate: '2020-01-01' }] }),
      },
    ],
  })
  t.equal(answer.status, 200)
  t.same(answer.body.errors, undefined)
  const fs = (answer.body.data?.createFactSheet as { factSheet: Record<string, unknown> }).factSheet
  t.equal(fs.rev, 1)
  t.equal(fs.description, 'Settles card payments')
  t.equal(fs.businessCriticality, 'missionCritical')
  t.same(fs.lifecycle, { asString: 'active', phases: [{ phase: 'active', startDate: '2020-01-01' }] })
})

test('a stale rev answers REVISION_CLASH with HTTP 200 and LeanIX wording', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const created = await gql(CREATE, { input: { name: 'Rev Test', type: 'Application' } })
  const id = (created.body.data?.createFactSheet as { factSheet: { id: string } }).factSheet.id
  const first = await gql(UPDATE, { id, rev: 1, patches: [{ op: 'replace', path: '/description', value: 'one' }] })
  t.equal((first.body.data?.updateFactSheet as { factSheet: { rev: number } }).factSheet.rev, 2)
  const stale = await gql(UPDATE, { id, rev: 1, patches: [{ op: 'replace', path: '/description', value: 'two' }] })
  t.equal(stale.status, 200)
  t.same(stale.body.data, { updateFactSheet: null })
  t.equal(stale.body.errors?.[0]?.message, 'DB revision of Fact Sheet has changed: 2 instead of given 1')
  t.match(stale.body.errors?.[0]?.extensions, { errorType: 'REVISION_CLASH' })
})

test('aliased mutation batches are all-or-nothing', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const created = await gql(CREATE, { input: { name: 'Batch Test', type: 'Application' } })
  const id = (created.body.data?.createFactSheet as { factSheet: { id: string } }).factSheet.id
  const batch = await gql(`mutation {
    m1: updateFactSheet(id: "${id}", patches: [{ op: replace, path: "/description", value: "first" }]) { factSheet { id } }
    m2: updateFactSheet(id: "${id}", patches: [{ op: replace, path: "/descriptio", value: "bad" }]) { factSheet { id } }
  }`)
  t.equal(batch.status, 200)
  t.equal(batch.body.data, null)
  t.same(batch.body.errors, [
    {
      message: "The path '/descriptio' is invalid in FactSheet schema Application.",
      path: ['m2'],
      extensions: { errorType: 'BUSINESS_LOGIC' },
    },
    { message: 'Error in Request. Transaction is rolled back!', path: [], extensions: { errorType: 'BUSINESS_LOGIC' } },
  ])
  const after = await gql(`{ factSheet(id: "${id}") { rev description } }`)
  t.same(after.body.data?.factSheet, { rev: 1, description: null }, 'm1 was rolled back too')
})

// Lifecycle phase patches, `replace` only on /name, and the quality seal (issue 17 points 6-7):
// a MEMBER who is neither RESPONSIBLE nor ACCOUNTABLE breaks an approved seal when editing, an
// ADMIN or the fact sheet's owner does not; the legacy /qualitySeal path still answers.
import { test } from 'tap'
import { clientFor, startForTest } from './emulator-client.ts'

const UPDATE = `mutation($id: ID!, $patches: [Patch]!) {
  updateFactSheet(id: $id, patches: $patches) { factSheet { id rev lxState ... on Application { name lifecycle { phases { phase startDate } } } } }
}`

async function setup(t: Parameters<typeof startForTest>[0]) {
  const emulator = await startForTest(t, { seed: false })
  const admin = await clientFor(emulator)
  const member = await clientFor(emulator, emulator.apiTokens.MEMBER)
  const created = await admin.gql(
    'mutation { createFactSheet(input: {name: "Seal App", type: Application}) { factSheet { id } } }',
  )
  const id = (created.body.data?.createFactSheet as { factSheet: { id: string } }).factSheet.id
  return { emulator, admin, member, id }
}

type FactSheet = {
  rev: number
  lxState: string
  name: string
  lifecycle: { phases: Array<{ phase: string; startDate: string }> } | null
}
const fsOf = (body: { data?: Record<string, unknown> | null }) =>
  (body.data?.updateFactSheet as { factSheet: FactSheet } | null)?.factSheet

test('/lifecycle/<phase> sets and removes one phase and keeps the others', async (t) => {
  const { admin, id } = await setup(t)
  const whole = JSON.stringify({
    phases: [
      { phase: 'plan', startDate: '2020-01-01' },
      { phase: 'active', startDate: '2021-01-01' },
    ],
  })
  await admin.gql(UPDATE, { id, patches: [{ op: 'replace', path: '/lifecycle', value: whole }] })
  const added = await admin.gql(UPDATE, {
    id,
    patches: [{ op: 'add', path: '/lifecycle/phaseIn', value: '2020-06-01' }],
  })
  t.equal(added.body.errors, null)
  t.same(fsOf(added.body)?.lifecycle?.phases, [
    { phase: 'plan', startDate: '2020-01-01' },
    { phase: 'phaseIn', startDate: '2020-06-01' },
    { phase: 'active', startDate: '2021-01-01' },
  ])
  const replaced = await admin.gql(UPDATE, {
    id,
    patches: [{ op: 'replace', path: '/lifecycle/active', value: '2021-03-01' }],
  })
  t.same(
    fsOf(replaced.body)?.lifecycle?.phases.map((p) => p.startDate),
    ['2020-01-01', '2020-06-01', '2021-03-01'],
  )
  const removed = await admin.gql(UPDATE, { id, patches: [{ op: 'remove', path: '/lifecycle/plan' }] })
  t.same(
    fsOf(removed.body)?.lifecycle?.phases.map((p) => p.phase),
    ['phaseIn', 'active'],
  )
  const badPhase = await admin.gql(UPDATE, {
    id,
    patches: [{ op: 'replace', path: '/lifecycle/sunset', value: '2030-01-01' }],
  })
  t.match(badPhase.body.errors?.[0]?.message, /path '\/lifecycle\/sunset' is invalid/)
  const badDate = await admin.gql(UPDATE, {
    id,
    patches: [{ op: 'replace', path: '/lifecycle/endOfLife', value: 'soon' }],
  })
  t.match(badDate.body.errors?.[0], {
    extensions: { errorType: 'MODEL_COMPLIANT', objectPath: '/lifecycle/endOfLife' },
  })
})

test('/name takes replace only: add and remove are refused', async (t) => {
  const { admin, id } = await setup(t)
  const add = await admin.gql(UPDATE, { id, patches: [{ op: 'add', path: '/name', value: 'Other' }] })
  t.same(add.body.data, { updateFactSheet: null })
  t.match(add.body.errors?.[0], {
    message: /'add' is not allowed on path '\/name'/,
    extensions: { errorType: 'BUSINESS_LOGIC' },
  })
  const remove = await admin.gql(UPDATE, { id, patches: [{ op: 'remove', path: '/name' }] })
  t.match(remove.body.errors?.[0]?.message, /'remove' is not allowed/)
  const replace = await admin.gql(UPDATE, { id, patches: [{ op: 'replace', path: '/name', value: 'Renamed' }] })
  t.equal(fsOf(replace.body)?.name, 'Renamed')
})

test('a MEMBER who does not own the fact sheet breaks an approved seal; owners and admins do not', async (t) => {
  const { emulator, admin, member, id } = await setup(t)
  const approve = async () =>
    fsOf((await admin.gql(UPDATE, { id, patches: [{ op: 'replace', path: '/lxState', value: 'APPROVED' }] })).body)
  t.equal((await approve())?.lxState, 'APPROVED')

  const byAdmin = await admin.gql(UPDATE, {
    id,
    patches: [{ op: 'replace', path: '/description', value: 'admin edit' }],
  })
  t.equal(fsOf(byAdmin.body)?.lxState, 'APPROVED', 'an admin keeps the seal')

  const byMember = await member.gql(UPDATE, {
    id,
    patches: [{ op: 'replace', path: '/description', value: 'member edit' }],
  })
  t.equal(fsOf(byMember.body)?.lxState, 'BROKEN_QUALITY_SEAL', 'a member without subscription breaks it')
  const log = await admin.gql(
    `{ allLogEvents(factSheetId: "${id}", eventTypes: [FACT_SHEET_FIELD_UPDATED]) { edges { node { path newValue user { userName } } } } }`,
  )
  const paths = (
    log.body.data?.allLogEvents as { edges: Array<{ node: { path: string; newValue: string } }> }
  ).edges.map((e) => e.node)
  t.match(paths[0], { path: '/lxState', newValue: 'BROKEN_QUALITY_SEAL' }, 'the break is logged')

  await approve()
  const memberId = emulator.technicalUsers.find((u) => u.role === 'MEMBER')?.id
  await admin.gql(
    `mutation { createSubscription(factSheetId: "${id}", user: {id: "${memberId}"}, type: RESPONSIBLE) { id } }`,
  )
  const approved = await approve()
  t.equal(approved?.lxState, 'APPROVED', 'subscribing does not break the seal')
  const byOwner = await member.gql(UPDATE, {
    id,
    patches: [{ op: 'replace', path: '/description', value: 'owner edit' }],
  })
  t.equal(fsOf(byOwner.body)?.lxState, 'APPROVED', 'a RESPONSIBLE member keeps it')
})

test('the legacy /qualitySeal path sets lxState', async (t) => {
  const { admin, id } = await setup(t)
  const legacy: Array<[string, string]> = [
    ['approve', 'APPROVED'],
    ['break', 'BROKEN_QUALITY_SEAL'],
    ['reject', 'REJECTED'],
    ['DRAFT', 'DRAFT'],
  ]
  for (const [value, state] of legacy) {
    const answer = await admin.gql(UPDATE, { id, patches: [{ op: 'replace', path: '/qualitySeal', value }] })
    t.equal(fsOf(answer.body)?.lxState, state, value)
  }
  const bad = await admin.gql(UPDATE, { id, patches: [{ op: 'replace', path: '/qualitySeal', value: 'maybe' }] })
  t.match(bad.body.errors?.[0]?.message, /qualitySeal takes one of/)
})

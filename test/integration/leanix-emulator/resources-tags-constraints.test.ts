// Documents, tag administration and constraining relations (issue 17 points 8-10), with the
// request shapes LeanIX's own scripts send (leanix-public/scripts createDocuments.py,
// deleteDocuments.py, deleteTags/deleteTag.py, importConstrainingRelations.py).
import { test } from 'tap'
import { clientFor, exchangeToken, startForTest } from './emulator-client.ts'

async function appWithItc(t: Parameters<typeof startForTest>[0]) {
  const emulator = await startForTest(t, { seed: false })
  const admin = await clientFor(emulator)
  const made = await admin.gql(`mutation {
    app: createFactSheet(input: {name: "Docs App", type: Application}) { factSheet { id } }
    bc: createFactSheet(input: {name: "Billing", type: BusinessCapability}) { factSheet { id } }
    org: createFactSheet(input: {name: "Finance", type: Organization}) { factSheet { id } }
  }`)
  const id = (alias: string) => (made.body.data?.[alias] as { factSheet: { id: string } }).factSheet.id
  return { emulator, admin, app: id('app'), bc: id('bc'), org: id('org') }
}

test('documents: create, read on the fact sheet, update, delete; each bumps rev and is published', async (t) => {
  const { emulator, admin, app } = await appWithItc(t)
  const seen: string[] = []
  emulator.runtime.store.onEvent((e) => seen.push(e.event.kind))
  // exactly the mutation createDocuments.py sends
  const created = await admin.gql(`
    mutation {
      createDocument(factSheetId: "${app}", name: "ServiceNow record", url: "https://acme.service-now.com/nav_to.do?uri=cmdb_ci_business_app.do?sys_id=1", description: "", validateOnly: false) {
        id
      }
    }`)
  t.equal(created.body.errors, null)
  const docId = (created.body.data?.createDocument as { id: string }).id
  const read = await admin.gql(
    `{ factSheet(id: "${app}") { rev documents { totalCount edges { node { id name url description } } } } }`,
  )
  const fs = read.body.data?.factSheet as {
    rev: number
    documents: { totalCount: number; edges: Array<{ node: Record<string, unknown> }> }
  }
  t.equal(fs.documents.totalCount, 1)
  t.match(fs.documents.edges[0]?.node, { id: docId, name: 'ServiceNow record', url: /^https:\/\/acme/ })
  t.equal(fs.rev, 2)
  const updated = await admin.gql(`mutation { updateDocument(id: "${docId}", name: "SN CI") { id name url } }`)
  t.match(updated.body.data?.updateDocument, { name: 'SN CI', url: /^https:/ })
  const badUrl = await admin.gql(
    `mutation { createDocument(factSheetId: "${app}", name: "x", url: "not a url") { id } }`,
  )
  t.match(badUrl.body.errors?.[0]?.message, /not a URL/)
  const dry = await admin.gql(
    `mutation { createDocument(factSheetId: "${app}", name: "dry", validateOnly: true) { id } }`,
  )
  t.equal(dry.body.errors, null)
  t.equal(emulator.runtime.store.documentsOf(app).length, 1, 'validateOnly leaves nothing')
  // exactly the mutation deleteDocuments.py sends
  const deleted = await admin.gql(`mutation { deleteDocument(id: "${docId}") { id } }`)
  t.same(deleted.body.data, { deleteDocument: { id: docId } })
  t.equal(emulator.runtime.store.documentsOf(app).length, 0)
  t.same(
    seen.filter((k) => k.startsWith('DOCUMENT_')),
    ['DOCUMENT_CREATED', 'DOCUMENT_UPDATED', 'DOCUMENT_DELETED'],
  )
  const missing = await admin.gql(`mutation { deleteDocument(id: "${docId}") { id } }`)
  t.match(missing.body.errors?.[0], { extensions: { errorType: 'NOT_FOUND' } })
  const viewer = await clientFor(emulator, emulator.apiTokens.VIEWER)
  const refused = await viewer.gql(`mutation { createDocument(factSheetId: "${app}", name: "no") { id } }`)
  t.match(refused.body.errors?.[0], { extensions: { errorType: 'ACCESS_DENIED' } })
})

test('tags: upsertTagGroup, upsertTag, allTags(filter), deleteTag takes the tag off fact sheets', async (t) => {
  const { emulator, admin, app } = await appWithItc(t)
  const group = await admin.gql('mutation { upsertTagGroup(name: "Hosting", mode: SINGLE) { id name mode } }')
  const groupId = (group.body.data?.upsertTagGroup as { id: string }).id
  const again = await admin.gql(
    `mutation { upsertTagGroup(name: "Hosting", description: "where it runs") { id description mode } }`,
  )
  t.same(
    again.body.data?.upsertTagGroup,
    { id: groupId, description: 'where it runs', mode: 'SINGLE' },
    'by name: updated',
  )
  const cloud = await admin.gql(
    `mutation { upsertTag(name: "Cloud", tagGroupId: "${groupId}", color: "#00f") { id name tagGroup { id } } }`,
  )
  const cloudId = (cloud.body.data?.upsertTag as { id: string }).id
  const renamed = await admin.gql(`mutation { upsertTag(id: "${cloudId}", name: "Public Cloud") { id name color } }`)
  t.same(renamed.body.data?.upsertTag, { id: cloudId, name: 'Public Cloud', color: '#00f' })
  await admin.gql('mutation { upsertTag(name: "Loose") { id } }')
  const filtered = await admin.gql(
    `{ allTags(filter: {tagGroupIds: ["${groupId}"]}) { totalCount edges { node { name } } } }`,
  )
  t.same(filtered.body.data?.allTags, { totalCount: 1, edges: [{ node: { name: 'Public Cloud' } }] })
  const byName = await admin.gql('{ allTags(filter: {name: "loo"}) { edges { node { name } } } }')
  t.same((byName.body.data?.allTags as { edges: unknown[] }).edges, [{ node: { name: 'Loose' } }])

  await admin.gql(
    `mutation { updateFactSheet(id: "${app}", patches: [{op: add, path: "/tags", value: "[{\\"tagId\\":\\"${cloudId}\\"}]"}]) { factSheet { rev } } }`,
  )
  const member = await clientFor(emulator, emulator.apiTokens.MEMBER)
  const memberDelete = await member.gql(`mutation { deleteTag(id: "${cloudId}") { id } }`)
  t.match(
    memberDelete.body.errors?.[0],
    { extensions: { errorType: 'ACCESS_DENIED' } },
    'deleting tags is an admin task',
  )
  // exactly the mutation deleteTag.py sends
  const deleted = await admin.gql(`
        mutation {
        deleteTag(id: "${cloudId}") {
            id
        }
    }`)
  t.same(deleted.body.data, { deleteTag: { id: cloudId } })
  const after = await admin.gql(`{ factSheet(id: "${app}") { rev tags { id } } }`)
  t.same((after.body.data?.factSheet as { tags: unknown[] }).tags, [], 'the fact sheet lost the tag')
  t.equal(emulator.runtime.store.tags.has(cloudId), false)
})

test('constraining relations: createRelationConstraint / deleteRelationConstraint and the constrainingRelations field', async (t) => {
  const { emulator, admin, app, bc, org } = await appWithItc(t)
  const rel = (path: string, target: string) =>
    `{op: add, path: "${path}/new_1", value: "{\\"factSheetId\\":\\"${target}\\"}"}`
  await admin.gql(
    `mutation { updateFactSheet(id: "${app}", patches: [${rel('/relApplicationToBusinessCapability', bc)}, ${rel('/relApplicationToOrganization', org)}]) { factSheet { rev } } }`,
  )
  const constraint = (verb: string) => `mutation {
      ${verb}(factSheetId: "${app}", constrainedRelationType: "relApplicationToBusinessCapability", constrainedRelationTargetFactSheetId: "${bc}", constrainingRelationType: "relApplicationToOrganization", constrainingRelationTargetFactSheetId: "${org}")
      {
       id
      }
    }`
  const made = await admin.gql(constraint('createRelationConstraint'))
  t.same(made.body.data, { createRelationConstraint: { id: app } })
  const twice = await admin.gql(constraint('createRelationConstraint'))
  t.match(twice.body.errors?.[0]?.message, /already exists/)
  const read = await admin.gql(
    `{ factSheet(id: "${app}") { ... on Application { relApplicationToBusinessCapability { edges { node { factSheet { id } constrainingRelations { relations { type factSheet { id } } } } } } } } }`,
  )
  const edge = (
    read.body.data?.factSheet as {
      relApplicationToBusinessCapability: {
        edges: Array<{ node: { constrainingRelations: { relations: unknown[] } } }>
      }
    }
  ).relApplicationToBusinessCapability.edges[0]
  t.same(edge?.node.constrainingRelations.relations, [{ type: 'RelApplicationToOrganization', factSheet: { id: org } }])
  const wrongWay = await admin.gql(
    constraint('createRelationConstraint').replace('relApplicationToOrganization"', 'relApplicationToITComponent"'),
  )
  t.ok(wrongWay.body.errors?.length, 'a relation the data model does not list cannot constrain')
  const removed = await admin.gql(constraint('deleteRelationConstraint'))
  t.same(removed.body.data, { deleteRelationConstraint: { id: app } })
  t.equal(emulator.runtime.store.relationConstraints.size, 0)

  const token = await exchangeToken(emulator.url, emulator.apiToken)
  const model = (await (
    await fetch(`${emulator.url}/services/pathfinder/v1/models/dataModel`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json()) as { data: { relations: Record<string, { constrainingRelations: string[]; constraints: string[] }> } }
  t.same(model.data.relations.relApplicationToBusinessCapability?.constrainingRelations, [
    'relApplicationToOrganization',
  ])
  t.same(model.data.relations['Application:relToParent']?.constraints, ['TYPE_EQUAL'])
})

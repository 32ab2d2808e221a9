// The seeded workspace: the same seed gives the same workspace (ids included), and it looks like
// a real one: every type present, capabilities three levels deep, IT components with a provider
// and a tech category, applications with lifecycles and relations.
import { test } from 'tap'
import { buildMetaModel } from '../../../connectors/leanix/emulator/meta-model.ts'
import { level } from '../../../connectors/leanix/emulator/pathfinder/derived-fields.ts'
import { seedWorkspace } from '../../../connectors/leanix/emulator/seed/workspace-seed.ts'
import { WorkspaceStore } from '../../../connectors/leanix/emulator/workspace/store.ts'

function seeded(seed: number, factSheets: number, preset: 'v4' | 'v3' = 'v4') {
  const store = new WorkspaceStore({
    identity: { id: 'w', name: 'w', accountId: 'a', accountName: 'a' },
    metaModel: buildMetaModel(preset),
  })
  const summary = seedWorkspace(store, { seed, factSheets })
  return { store, summary }
}

const fingerprint = (store: WorkspaceStore) =>
  JSON.stringify([
    [...store.factSheets.values()].map((f) => [f.id, f.type, f.name, f.fields]),
    [...store.relations.values()].map((r) => [r.id, r.fromId, r.toId]),
  ])

test('the same seed gives the same workspace; another seed another one', async (t) => {
  const a = seeded(11, 600)
  const b = seeded(11, 600)
  const c = seeded(12, 600)
  t.equal(fingerprint(a.store), fingerprint(b.store))
  t.not(fingerprint(a.store), fingerprint(c.store))
  t.same(a.summary, b.summary)
})

test('a realistic workspace at 3000 fact sheets', async (t) => {
  const { store, summary } = seeded(5, 3000)
  t.ok(Math.abs(summary.factSheets - 3000) <= 30, `about 3000 (${summary.factSheets})`)
  for (const type of Object.keys(store.metaModel.factSheets)) t.ok((summary.byType[type] ?? 0) > 0, `${type} present`)
  const all = [...store.factSheets.values()]
  const apps = all.filter((f) => f.type === 'Application')
  t.ok(
    apps.every((a) => ((a.fields.lifecycle as { phases: unknown[] } | null)?.phases.length ?? 0) > 0),
    'applications have lifecycles',
  )
  const itcView = store.relationViews.get('ITComponent')
  const itcs = all.filter((f) => f.type === 'ITComponent')
  t.ok(
    itcs.every((i) => store.relationsAs(i.id, itcView?.get('relITComponentToProvider') as never).length === 1),
    'every IT component has one provider',
  )
  t.ok(
    itcs.every((i) => store.relationsAs(i.id, itcView?.get('relITComponentToTechnologyStack') as never).length === 1),
    'and one tech category',
  )
  t.ok(new Set(itcs.map((i) => i.category)).size >= 3, 'software, hardware and SaaS')
  const levels = all.filter((f) => f.type === 'BusinessCapability').map((f) => level(store, f))
  t.equal(Math.max(...levels), 3, 'capabilities three levels deep')
  const appView = store.relationViews.get('Application')
  t.ok(
    apps.every((a) => store.relationsAs(a.id, appView?.get('relApplicationToITComponent') as never).length > 0),
    'applications run on IT components',
  )
  t.ok(store.subscriptions.size > 0 && store.tags.size > 0)
})

test('a v3-origin seed uses the v3 keys', async (t) => {
  const { summary } = seeded(5, 400, 'v3')
  t.ok((summary.byType.UserGroup ?? 0) > 0 && (summary.byType.Project ?? 0) > 0 && (summary.byType.Process ?? 0) > 0)
  t.equal(summary.byType.Organization, undefined)
})

test('seed realism: every type has relations, relations carry attributes, fact sheets have a history', async (t) => {
  for (const preset of ['v4', 'v3'] as const) {
    const { store } = seeded(3, 300, preset)
    const related = new Set<string>()
    for (const r of store.relations.values()) {
      related.add(store.factSheets.get(r.fromId)?.type ?? '')
      related.add(store.factSheets.get(r.toId)?.type ?? '')
    }
    for (const type of Object.keys(store.metaModel.factSheets))
      t.ok(related.has(type), `${preset}: ${type} has relations`)
    const appToItc = [...store.relations.values()].filter((r) => r.definitionKey === 'relApplicationToITComponent')
    t.ok(
      appToItc.every(
        (r) => typeof r.fields.costTotalAnnual === 'number' && typeof r.fields.technicalSuitability === 'string',
      ),
      `${preset}: application to IT component relations carry costs and technical suitability`,
    )
    const fs = [...store.factSheets.values()]
    t.ok(fs.every((f) => f.updatedAt >= f.createdAt))
    const history = new Map<string, string[]>()
    for (const h of store.history) history.set(h.factSheetId, [...(history.get(h.factSheetId) ?? []), h.eventType])
    t.ok(
      fs.every((f) => history.get(f.id)?.[0] === 'FACT_SHEET_CREATED'),
      `${preset}: every fact sheet was created by someone`,
    )
    t.ok(
      fs.some((f) => (history.get(f.id)?.length ?? 0) > 1),
      `${preset}: and some were edited since`,
    )
    const authors = new Set(store.history.map((h) => h.userId))
    t.ok(
      [...authors].every((id) => store.users.get(id)?.technicalUser === false),
      'authored by the workspace users',
    )
  }
})

test('the history reads through allLogEvents; recovering logs its comment', async (t) => {
  const { startForTest, clientFor } = await import('./emulator-client.ts')
  const emulator = await startForTest(t, { seed: { seed: 3, factSheets: 60 } })
  const { gql } = await clientFor(emulator)
  const app = [...emulator.runtime.store.factSheets.values()].find((f) => f.type === 'Application')
  const logOf = async () =>
    (
      (
        await gql(
          `{ allLogEvents(factSheetId: "${app?.id}") { edges { node { eventType message createdAt user { userName } } } } }`,
        )
      ).body.data?.allLogEvents as {
        edges: Array<{ node: { eventType: string; message: string | null; user: { userName: string } } }>
      }
    ).edges.map((e) => e.node)
  const seededLog = await logOf()
  t.equal(seededLog.at(-1)?.eventType, 'FACT_SHEET_CREATED', 'the oldest entry is the creation')
  t.match(seededLog.at(-1)?.user.userName, /@example\.com$/)
  await gql(
    `mutation { updateFactSheet(id: "${app?.id}", comment: "retired", patches: [{op: add, path: "/status", value: "ARCHIVED"}]) { factSheet { rev } } }`,
  )
  await gql(
    `mutation { updateFactSheet(id: "${app?.id}", comment: "Recover the application from archive", patches: [{op: add, path: "/status", value: "ACTIVE"}]) { factSheet { rev } } }`,
  )
  const log = await logOf()
  t.match(log.slice(0, 3), [
    { eventType: 'FACT_SHEET_CREATED' },
    {
      eventType: 'FACT_SHEET_RECOVERED',
      message: 'Recover the application from archive',
      user: { userName: 'crosswalk-hub' },
    },
    { eventType: 'RELATION_CREATED' },
  ])
  t.ok(log.some((e) => e.eventType === 'FACT_SHEET_ARCHIVED' && e.message === 'retired'))
})

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

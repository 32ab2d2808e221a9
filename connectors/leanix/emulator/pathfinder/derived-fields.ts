// Fields LeanIX computes rather than stores: displayName (IT components carry their provider's
// name in front, docs/reference/leanix.md §3.2 / gotcha 8), fullName (the hierarchy path), level, completion.
import type { RelationView } from '../meta-model.ts'
import type { FactSheetRecord, LifecycleValue, RelationRecord } from '../workspace/records.ts'
import type { WorkspaceStore } from '../workspace/store.ts'

/** Parent chain, nearest first; stops on a cycle (the patch engine refuses them anyway). */
export function ancestors(store: WorkspaceStore, fs: FactSheetRecord): FactSheetRecord[] {
  const chain: FactSheetRecord[] = []
  const seen = new Set<string>([fs.id])
  let cursor: FactSheetRecord | undefined = fs
  while (cursor !== undefined) {
    const view: RelationView | undefined = store.relationViews.get(cursor.type)?.get('relToParent')
    if (view === undefined) break
    const up: RelationRecord | undefined = store.relationsAs(cursor.id, view)[0]
    const parent: FactSheetRecord | undefined = up === undefined ? undefined : store.factSheets.get(up.toId)
    if (parent === undefined || seen.has(parent.id)) break
    seen.add(parent.id)
    chain.push(parent)
    cursor = parent
  }
  return chain
}

export function level(store: WorkspaceStore, fs: FactSheetRecord): number {
  return store.memo(`level:${fs.id}`, () => ancestors(store, fs).length + 1)
}

export function fullName(store: WorkspaceStore, fs: FactSheetRecord): string {
  return store.memo(`fullName:${fs.id}`, () => [...ancestors(store, fs).reverse(), fs].map((f) => f.name).join(' / '))
}

export function displayName(store: WorkspaceStore, fs: FactSheetRecord): string {
  return store.memo(`displayName:${fs.id}`, () => computeDisplayName(store, fs))
}

function computeDisplayName(store: WorkspaceStore, fs: FactSheetRecord): string {
  const release = typeof fs.fields.release === 'string' && fs.fields.release !== '' ? ` ${fs.fields.release}` : ''
  if (fs.type === 'ITComponent') {
    const view = store.relationViews.get('ITComponent')?.get('relITComponentToProvider')
    const provider = view ? store.relationsAs(fs.id, view)[0] : undefined
    const providerName = provider ? store.factSheets.get(provider.toId)?.name : undefined
    return `${providerName ? `${providerName} ` : ''}${fs.name}${release}`
  }
  return `${fullName(store, fs)}${release}`
}

/** Share of the type's fields (and the description) that are filled or marked not applicable. */
export function completion(store: WorkspaceStore, fs: FactSheetRecord): number {
  const names = Object.keys(store.metaModel.factSheets[fs.type]?.fields ?? {})
  const checks = ['description', ...names]
  let filled = 0
  for (const name of checks) {
    const value = name === 'description' ? fs.description : fs.fields[name]
    const lifecycleEmpty = name === 'lifecycle' && ((value as LifecycleValue | null)?.phases.length ?? 0) === 0
    const empty = value === null || value === undefined || value === '' || lifecycleEmpty
    if (!empty || fs.naFields.includes(name)) filled++
  }
  return checks.length === 0 ? 1 : Math.round((filled / checks.length) * 100) / 100
}

// allFactSheets { filterOptions { facets { facetKey results { key name count } } } }: every facet
// the listed fact sheets can be filtered by, with how many of them each key matches, as LeanIX
// lists them (https://help.sap.com/docs/leanix/ea/graphql-basics, "Retrieving a List of Filtering Facet Keys": FactSheetTypes,
// hierarchyLevel, DataQuality with `_noResponsible_`..., `_TAGS_`), plus the type's own fields
// and relations. Computed only when asked for.
import type { FieldDefinition } from '../meta-model.ts'
import type { FactSheetRecord, LifecycleValue } from '../workspace/records.ts'
import { LX_STATES } from '../workspace/records.ts'
import type { WorkspaceStore } from '../workspace/store.ts'
import { displayName, level } from './derived-fields.ts'

export interface FacetResult {
  key: string
  name: string
  count: number
}

export interface Facet {
  facetKey: string
  results: FacetResult[]
}

class Counter {
  private readonly counts = new Map<string, { name: string; count: number }>()

  add(key: string, name: string = key): void {
    const entry = this.counts.get(key)
    if (entry === undefined) this.counts.set(key, { name, count: 1 })
    else entry.count++
  }

  seed(key: string, name: string = key): void {
    if (!this.counts.has(key)) this.counts.set(key, { name, count: 0 })
  }

  results(): FacetResult[] {
    return [...this.counts].map(([key, { name, count }]) => ({ key, name, count }))
  }
}

const DATA_QUALITY: ReadonlyArray<[string, string]> = [
  ['_noResponsible_', 'noResponsible'],
  ['_qualitySealBroken_', 'qualitySealBroken'],
  ['_noDescription_', 'noDescription'],
  ['_noLifecycle_', 'noLifecycle'],
]

function isSelect(definition: FieldDefinition): boolean {
  return definition.type === 'SINGLE_SELECT' || definition.type === 'MULTIPLE_SELECT'
}

export function facetsFor(
  store: WorkspaceStore,
  list: readonly FactSheetRecord[],
  factSheetType: string | null,
): Facet[] {
  const types = factSheetType === null ? Object.keys(store.metaModel.factSheets) : [factSheetType]
  const facets: Facet[] = []
  const push = (facetKey: string, counter: Counter) => facets.push({ facetKey, results: counter.results() })

  const byType = new Counter()
  for (const type of Object.keys(store.metaModel.factSheets)) byType.seed(type)
  for (const fs of list) byType.add(fs.type)
  push('FactSheetTypes', byType)

  const levels = new Counter()
  for (const fs of list) levels.add(String(level(store, fs)))
  push('hierarchyLevel', levels)

  const quality = new Counter()
  for (const [key, name] of DATA_QUALITY) quality.seed(key, name)
  for (const fs of list) {
    const subs = store.subscriptionsOf(fs.id)
    if (!subs.some((s) => s.type === 'RESPONSIBLE')) quality.add('_noResponsible_', 'noResponsible')
    if (fs.lxState === 'BROKEN_QUALITY_SEAL') quality.add('_qualitySealBroken_', 'qualitySealBroken')
    if (fs.description === null || fs.description === '') quality.add('_noDescription_', 'noDescription')
    if (((fs.fields.lifecycle as LifecycleValue | null | undefined)?.phases.length ?? 0) === 0) {
      quality.add('_noLifecycle_', 'noLifecycle')
    }
  }
  push('DataQuality', quality)

  const seal = new Counter()
  for (const state of LX_STATES) seal.seed(state)
  for (const fs of list) seal.add(fs.lxState)
  push('lxState', seal)

  const trash = new Counter()
  trash.seed('archived')
  for (const fs of store.factSheets.values())
    if (fs.status === 'ARCHIVED' && types.includes(fs.type)) trash.add('archived')
  push('TrashBin', trash)

  // tags without a group under _TAGS_, grouped ones under their group's id
  const tagCounters = new Map<string, Counter>([['_TAGS_', new Counter()]])
  for (const group of store.tagGroups.values()) {
    if (group.restrictToFactSheetTypes.length > 0 && !group.restrictToFactSheetTypes.some((t) => types.includes(t)))
      continue
    tagCounters.set(group.id, new Counter())
  }
  for (const tag of store.tags.values()) tagCounters.get(tag.tagGroupId ?? '_TAGS_')?.seed(tag.id, tag.name)
  for (const fs of list) {
    for (const id of fs.tagIds) {
      const tag = store.tags.get(id)
      if (tag !== undefined) tagCounters.get(tag.tagGroupId ?? '_TAGS_')?.add(tag.id, tag.name)
    }
  }
  for (const [key, counter] of tagCounters) push(key, counter)

  const subscribers = new Counter()
  for (const fs of list) {
    for (const userId of new Set(store.subscriptionsOf(fs.id).map((s) => s.userId))) {
      const user = store.users.get(userId)
      subscribers.add(
        userId,
        user ? [user.firstName, user.lastName].filter(Boolean).join(' ') || user.userName : userId,
      )
    }
  }
  push('Subscriptions', subscribers)

  // the types' own fields: lifecycle phases, subtypes, selects
  const fieldCounters = new Map<string, Counter>()
  const category = new Counter()
  for (const type of types) {
    const definition = store.metaModel.factSheets[type]
    for (const c of definition?.categories ?? []) category.seed(c)
    for (const [name, field] of Object.entries(definition?.fields ?? {})) {
      if (field.type !== 'LIFECYCLE' && !isSelect(field)) continue
      const counter = fieldCounters.get(name) ?? new Counter()
      for (const value of field.values ?? []) counter.seed(value)
      fieldCounters.set(name, counter)
    }
  }
  for (const fs of list) {
    if (fs.category !== null) category.add(fs.category)
    for (const [name, counter] of fieldCounters) {
      const value = fs.fields[name]
      if (value == null) continue
      if (Array.isArray(value)) for (const v of value) counter.add(String(v))
      else if (typeof value === 'object') {
        for (const p of (value as LifecycleValue).phases ?? []) counter.add(p.phase)
      } else counter.add(String(value))
    }
  }
  if (types.some((t) => (store.metaModel.factSheets[t]?.categories.length ?? 0) > 0)) push('category', category)
  for (const [name, counter] of fieldCounters) push(name, counter)

  // relations, keyed by the fact sheets at the other end (only for one type: the names are per type)
  if (factSheetType !== null) {
    for (const view of store.relationViews.get(factSheetType)?.values() ?? []) {
      const counter = new Counter()
      for (const fs of list) {
        for (const r of store.relationsAs(fs.id, view)) {
          const other = store.factSheets.get(view.side === 'from' ? r.toId : r.fromId)
          if (other !== undefined) counter.add(other.id, displayName(store, other))
        }
      }
      push(view.name, counter)
    }
  }
  return facets
}

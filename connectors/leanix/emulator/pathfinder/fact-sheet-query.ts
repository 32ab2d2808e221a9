// allFactSheets: facet filters, full-text search, ids, external ids, sorting, relay paging with
// the 15 000-edge cap (docs/reference/leanix.md §3.1, S1 filtering-in-graphql / filtering-fact-sheets).
import type { ExternalIdValue, FactSheetRecord, LifecycleValue } from '../workspace/records.ts'
import type { UpdateOrderEntry, WorkspaceStore } from '../workspace/store.ts'
import { displayName, level } from './derived-fields.ts'
import { PathfinderErrors } from './graphql-errors.ts'

/** Largest number of edges one allFactSheets answer holds (docs/reference/leanix.md §3.1, S5). */
export const MAX_EDGES_PER_QUERY = 15_000

export interface DateFilterInput {
  type?: string | null
  from?: string | null
  to?: string | null
}

export interface FacetFilterInput {
  facetKey: string
  keys?: readonly (string | null)[] | null
  operator?: 'OR' | 'AND' | 'NOR' | null
  dateFilter?: DateFilterInput | null
  subscriptionFilter?: { type?: string | null; roleId?: string | null } | null
  relationFieldsFilter?: ReadonlyArray<{ fieldName: string; values?: readonly string[] | null }> | null
  relationFieldsFilterOperator?: 'INCLUSIVE' | 'EXCLUSIVE' | null
  subFilter?: FilterInput | null
}

export interface FilterInput {
  facetFilters?: readonly FacetFilterInput[] | null
  fullTextSearch?: string | null
  ids?: readonly string[] | null
  externalIds?: readonly string[] | null
}

export interface SortingInput {
  key?: string | null
  order?: 'asc' | 'desc' | null
  mode?: 'BY_FIELD' | 'BY_LIFECYCLE_LAST_PHASE' | null
}

type Predicate = (fs: FactSheetRecord) => boolean

const ANY = '__any__'
const MISSING = '__missing__'

function combine(
  operator: FacetFilterInput['operator'],
  keys: readonly string[],
  test: (key: string) => boolean,
): boolean {
  if (operator === 'AND') return keys.every(test)
  if (operator === 'NOR') return !keys.some(test)
  return keys.some(test)
}

function today(store: WorkspaceStore): string {
  return store.now().toISOString().slice(0, 10)
}

/** The [from, to] window a lifecycle date filter asks about; undefined = no date restriction. */
function dateWindow(store: WorkspaceStore, filter: DateFilterInput | null | undefined): [string, string] | undefined {
  if (filter == null || filter.type == null) return undefined
  const now = today(store)
  switch (filter.type) {
    case 'TODAY':
      return [now, now]
    case 'POINT':
      return [filter.from ?? now, filter.from ?? now]
    case 'END_OF_MONTH': {
      const d = new Date(`${now}T00:00:00Z`)
      const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10)
      return [end, end]
    }
    case 'END_OF_YEAR': {
      const end = `${now.slice(0, 4)}-12-31`
      return [end, end]
    }
    case 'RANGE_STARTS':
      return [filter.from ?? '0000-01-01', filter.from ?? '0000-01-01']
    case 'RANGE_ENDS':
      return [filter.to ?? '9999-12-31', filter.to ?? '9999-12-31']
    default:
      return [filter.from ?? '0000-01-01', filter.to ?? '9999-12-31']
  }
}

/** Phases in effect somewhere in [from, to]: a phase lasts from its start to the next phase's. */
function phasesIn(lifecycle: LifecycleValue | null | undefined, window: [string, string] | undefined): Set<string> {
  const phases = lifecycle?.phases ?? []
  if (window === undefined) return new Set(phases.map((p) => p.phase))
  const sorted = [...phases].sort((a, b) => a.startDate.localeCompare(b.startDate))
  const out = new Set<string>()
  sorted.forEach((p, i) => {
    const end = sorted[i + 1]?.startDate ?? '9999-12-31'
    if (p.startDate <= window[1] && end > window[0]) out.add(p.phase)
  })
  return out
}

function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
}

export class FactSheetQuery {
  private readonly store: WorkspaceStore

  constructor(store: WorkspaceStore) {
    this.store = store
  }

  /** Matching fact sheets, sorted; paging happens in page(). Cached until the next write, so paging is cheap. */
  run(args: {
    factSheetType?: string | null
    filter?: FilterInput | null
    sort?: readonly SortingInput[] | null
  }): FactSheetRecord[] {
    return this.store.memo(
      `query:${JSON.stringify([args.factSheetType ?? null, args.filter ?? null, args.sort ?? null])}`,
      () => this.evaluate(args),
    )
  }

  private evaluate(args: {
    factSheetType?: string | null
    filter?: FilterInput | null
    sort?: readonly SortingInput[] | null
  }): FactSheetRecord[] {
    const predicate = this.compile(args.filter ?? null, args.factSheetType ?? null, true)
    const ids = args.filter?.ids
    const source: Iterable<FactSheetRecord> =
      ids != null && ids.length > 0
        ? ids.map((id) => this.store.factSheets.get(id)).filter((fs): fs is FactSheetRecord => fs !== undefined)
        : this.store.factSheets.values()
    const byUpdate = ids != null && ids.length > 0 ? undefined : this.inUpdateOrder(args.sort ?? null, predicate)
    if (byUpdate) return byUpdate
    const out: FactSheetRecord[] = []
    for (const fs of source) if (predicate(fs)) out.push(fs)
    return this.sort(out, args.sort ?? null)
  }

  /**
   * A sort by updatedAt alone, answered from the store's maintained order (the sort below gives
   * the same: by instant in the asked direction, ties by id ascending); undefined for any other sort.
   */
  private inUpdateOrder(sort: readonly SortingInput[] | null, predicate: Predicate): FactSheetRecord[] | undefined {
    if (sort?.length !== 1) return undefined
    const [only] = sort
    if (only?.key !== 'updatedAt' || (only.mode != null && only.mode !== 'BY_FIELD')) return undefined
    const entries = this.store.byUpdatedAt()
    if (entries === undefined) return undefined
    const out: FactSheetRecord[] = []
    if (only.order !== 'desc') {
      for (const e of entries) if (predicate(e.fs)) out.push(e.fs)
      return out
    }
    // newest first; fact sheets updated at the same instant stay in id order
    for (let end = entries.length; end > 0;) {
      let start = end - 1
      const at = (entries[start] as UpdateOrderEntry).at
      while (start > 0 && (entries[start - 1] as UpdateOrderEntry).at === at) start--
      for (let i = start; i < end; i++) {
        const fs = (entries[i] as UpdateOrderEntry).fs
        if (predicate(fs)) out.push(fs)
      }
      end = start
    }
    return out
  }

  /** A predicate for a FilterInput; `topLevel` applies the archived-unless-TrashBin rule. */
  compile(filter: FilterInput | null, factSheetType: string | null, topLevel: boolean): Predicate {
    const tests: Predicate[] = []
    if (factSheetType !== null) tests.push((fs) => fs.type === factSheetType)
    const facets = filter?.facetFilters ?? []
    const trash = facets.find((f) => f.facetKey === 'TrashBin')
    if (topLevel || trash !== undefined) {
      if (trash === undefined) tests.push((fs) => fs.status === 'ACTIVE')
      else {
        const keys = (trash.keys ?? []).filter((k): k is string => k !== null)
        tests.push((fs) =>
          combine(trash.operator, keys, (k) => (k === 'archived' ? fs.status === 'ARCHIVED' : fs.status === 'ACTIVE')),
        )
      }
    } else tests.push((fs) => fs.status === 'ACTIVE')
    for (const facet of facets) if (facet.facetKey !== 'TrashBin') tests.push(this.facet(facet))
    const ids = filter?.ids
    if (ids != null && ids.length > 0) {
      const set = new Set(ids)
      tests.push((fs) => set.has(fs.id))
    }
    const externalIds = filter?.externalIds
    if (externalIds != null && externalIds.length > 0) {
      const allowed = new Set<string>()
      for (const ref of externalIds) {
        const slash = ref.indexOf('/')
        if (slash <= 0) continue
        for (const id of this.store.factSheetIdsByExternalId(ref.slice(0, slash), ref.slice(slash + 1))) allowed.add(id)
      }
      tests.push((fs) => allowed.has(fs.id))
    }
    const text = filter?.fullTextSearch?.trim().toLowerCase()
    if (text) tests.push((fs) => this.searchText(fs).includes(text))
    return (fs) => tests.every((t) => t(fs))
  }

  private searchText(fs: FactSheetRecord): string {
    const parts = [fs.name, displayName(this.store, fs), fs.description ?? '']
    const alias = fs.fields.alias
    if (typeof alias === 'string') parts.push(alias)
    for (const field of Object.keys(this.store.metaModel.externalIdFields)) {
      const ext = fs.fields[field] as ExternalIdValue | null | undefined
      if (ext?.externalId) parts.push(ext.externalId)
    }
    return parts.join('\n').toLowerCase()
  }

  private facet(facet: FacetFilterInput): Predicate {
    const keys = (facet.keys ?? []).filter((k): k is string => k !== null)
    const op = facet.operator ?? 'OR'
    if (keys.length === 0) return () => true
    switch (facet.facetKey) {
      case 'FactSheetTypes':
        return (fs) => combine(op, keys, (k) => fs.type === k)
      case 'lxState':
        return (fs) => combine(op, keys, (k) => fs.lxState === k)
      case 'hierarchyLevel':
        return (fs) => combine(op, keys, (k) => String(level(this.store, fs)) === k)
      case '_TAGS_':
        return (fs) => combine(op, keys, (k) => this.tagKeyMatches(fs, k, null))
      case 'Subscriptions':
        return this.subscriptionFacet(facet, keys)
      case 'DataQuality':
        return (fs) => combine(op, keys, (k) => this.dataQuality(fs, k))
    }
    if (this.store.tagGroups.has(facet.facetKey)) {
      const groupId = facet.facetKey
      return (fs) => combine(op, keys, (k) => this.tagKeyMatches(fs, k, groupId))
    }
    if (facet.facetKey === 'lifecycle') {
      const window = dateWindow(this.store, facet.dateFilter)
      return (fs) => {
        const inEffect = phasesIn(fs.fields.lifecycle as LifecycleValue | null | undefined, window)
        return combine(op, keys, (k) =>
          k === MISSING ? inEffect.size === 0 : k === ANY ? inEffect.size > 0 : inEffect.has(k),
        )
      }
    }
    const relationTest = this.relationFacet(facet, keys)
    if (relationTest !== undefined) return relationTest
    // A field of some fact sheet type: selects match by key, other fields by text.
    return (fs) => {
      const value = fs.fields[facet.facetKey] ?? (facet.facetKey === 'category' ? fs.category : undefined)
      return combine(op, keys, (k) => {
        if (k === MISSING) return isEmptyValue(value)
        if (k === ANY) return !isEmptyValue(value)
        if (Array.isArray(value)) return value.includes(k)
        return value === k || String(value ?? '') === k
      })
    }
  }

  private tagKeyMatches(fs: FactSheetRecord, key: string, groupId: string | null): boolean {
    const inGroup = fs.tagIds.filter((id) => (this.store.tags.get(id)?.tagGroupId ?? null) === groupId)
    if (key === MISSING) return inGroup.length === 0
    if (key === ANY) return inGroup.length > 0
    return inGroup.includes(key)
  }

  private subscriptionFacet(facet: FacetFilterInput, keys: readonly string[]): Predicate {
    const wantType = facet.subscriptionFilter?.type ?? null
    const wantRole = facet.subscriptionFilter?.roleId ?? null
    return (fs) => {
      const subs = this.store
        .subscriptionsOf(fs.id)
        .filter(
          (s) =>
            (wantType === null || s.type === wantType) && (wantRole === null || s.roles.some((r) => r.id === wantRole)),
        )
      return combine(facet.operator, keys, (k) =>
        k === MISSING ? subs.length === 0 : k === ANY ? subs.length > 0 : subs.some((s) => s.userId === k),
      )
    }
  }

  private dataQuality(fs: FactSheetRecord, key: string): boolean {
    switch (key) {
      case '_noDescription_':
        return isEmptyValue(fs.description)
      case '_noLifecycle_':
        return ((fs.fields.lifecycle as LifecycleValue | null | undefined)?.phases.length ?? 0) === 0
      case '_noResponsible_':
        return !this.store.subscriptionsOf(fs.id).some((s) => s.type === 'RESPONSIBLE')
      case '_qualitySealBroken_':
        return fs.lxState === 'BROKEN_QUALITY_SEAL'
      default:
        return false
    }
  }

  /** facetKey = relation name (relApplicationToITComponent), keys = fact sheet ids at the other end. */
  private relationFacet(facet: FacetFilterInput, keys: readonly string[]): Predicate | undefined {
    const byType = new Map<string, ReturnType<typeof this.viewFor>>()
    for (const type of Object.keys(this.store.metaModel.factSheets)) {
      const view = this.viewFor(type, facet.facetKey)
      if (view !== undefined) byType.set(type, view)
    }
    if (byType.size === 0) return undefined
    const sub = facet.subFilter ? this.compile(facet.subFilter, null, false) : null
    const fieldFilters = facet.relationFieldsFilter ?? []
    const exclusive = facet.relationFieldsFilterOperator === 'EXCLUSIVE'
    return (fs) => {
      const view = byType.get(fs.type)
      if (view === undefined) return false
      const others = this.store
        .relationsAs(fs.id, view)
        .filter((r) => {
          if (fieldFilters.length === 0) return true
          const hit = fieldFilters.every((f) => (f.values ?? []).includes(String(r.fields[f.fieldName] ?? '')))
          return exclusive ? !hit : hit
        })
        .map((r) => (view.side === 'from' ? r.toId : r.fromId))
        .filter((id) => {
          if (sub === null) return true
          const other = this.store.factSheets.get(id)
          return other !== undefined && sub(other)
        })
      return combine(facet.operator, keys, (k) =>
        k === MISSING ? others.length === 0 : k === ANY ? others.length > 0 : others.includes(k),
      )
    }
  }

  private viewFor(type: string, name: string) {
    return this.store.relationViews.get(type)?.get(name)
  }

  private sort(list: FactSheetRecord[], sort: readonly SortingInput[] | null): FactSheetRecord[] {
    const keys = sort != null && sort.length > 0 ? sort : [{ key: 'displayName', order: 'asc' as const }]
    const directions = keys.map((k) => (k.order === 'desc' ? -1 : 1))
    // each fact sheet's sort values are computed once; a delta read sorts the whole type by
    // updatedAt after every write, so the comparison itself must stay cheap
    const decorated = list.map((fs) => ({ fs, values: keys.map((k) => this.sortValue(fs, k)) }))
    decorated.sort((a, b) => {
      for (let i = 0; i < directions.length; i++) {
        const cmp = compareValues(a.values[i], b.values[i])
        if (cmp !== 0) return cmp * (directions[i] as number)
      }
      return a.fs.id < b.fs.id ? -1 : a.fs.id > b.fs.id ? 1 : 0
    })
    return decorated.map((d) => d.fs)
  }

  private sortValue(fs: FactSheetRecord, sorting: SortingInput): string | number | null {
    const key = sorting.key ?? 'displayName'
    if (sorting.mode === 'BY_LIFECYCLE_LAST_PHASE' || key === 'lifecycle') {
      const phases = (fs.fields.lifecycle as LifecycleValue | null | undefined)?.phases ?? []
      return phases.length === 0 ? null : (phases[phases.length - 1]?.startDate ?? null)
    }
    switch (key) {
      case 'name':
        return fs.name.toLowerCase()
      case 'displayName':
      case 'fullName':
        return displayName(this.store, fs).toLowerCase()
      // as instants: numbers compare faster than text, and offsets written differently still order right
      case 'updatedAt':
        return instant(fs.updatedAt)
      case 'createdAt':
        return instant(fs.createdAt)
      case 'rev':
        return fs.rev
      case 'type':
        return fs.type
      case 'level':
        return level(this.store, fs)
      case 'lxState':
        return fs.lxState
    }
    const value = fs.fields[key]
    if (typeof value === 'number') return value
    if (typeof value === 'string') return value.toLowerCase()
    return null
  }
}

function compareValues(a: string | number | null | undefined, b: string | number | null | undefined): number {
  if (a == null) return b == null ? 0 : 1
  if (b == null) return -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const x = typeof a === 'string' ? a : String(a)
  const y = typeof b === 'string' ? b : String(b)
  return x < y ? -1 : x > y ? 1 : 0
}

function instant(value: string | null | undefined): number | null {
  if (!value) return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}

export interface Page<T> {
  totalCount: number
  edges: Array<{ node: T; cursor: string }>
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }
}

// Cursors are opaque base64 like LeanIX's; they carry an offset, so pages are not a snapshot.
export function encodeCursor(offset: number): string {
  return Buffer.from(`mix:1#${offset}`).toString('base64')
}

export function decodeCursor(cursor: string): number {
  const match = /^mix:1#(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))
  if (match === null) throw PathfinderErrors.badCursor(cursor)
  return Number(match[1])
}

/** Relay paging with `first`/`after`; never more than `cap` edges in one answer. */
export function page<T>(
  list: readonly T[],
  first: number | null | undefined,
  after: string | null | undefined,
  cap: number,
): Page<T> {
  // `after: ""` is the first page, as LeanIX takes it (port-labs/LeanIX-Sync starts its loop so)
  const start = after == null || after === '' ? 0 : decodeCursor(after) + 1
  const size = Math.max(0, Math.min(first ?? cap, cap))
  const slice = list.slice(start, start + size)
  const edges = slice.map((node, i) => ({ node, cursor: encodeCursor(start + i) }))
  return {
    totalCount: list.length,
    edges,
    pageInfo: {
      hasNextPage: start + slice.length < list.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  }
}

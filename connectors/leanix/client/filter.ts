// LeanIX FilterInput: the filter language users paste (a facet-filter JSON as the inventory's
// "copy filter" or a custom report gives it), parsed once and combined with the type facet.
import { LeanixErrors } from '../errors.ts'

export type FacetOperator = 'OR' | 'AND' | 'NOR'

export interface DateFilter {
  type: 'POINT' | 'TODAY' | 'END_OF_MONTH' | 'END_OF_YEAR' | 'RANGE' | 'RANGE_STARTS' | 'RANGE_ENDS' | 'TIMELINE'
  from?: string
  to?: string
}

export interface FacetFilter {
  facetKey: string
  keys?: string[]
  operator?: FacetOperator
  dateFilter?: DateFilter
  subFilter?: FilterInput
  excludeTransitiveRelations?: boolean
}

export interface FilterInput {
  facetFilters?: FacetFilter[]
  fullTextSearch?: string
  ids?: string[]
  externalIds?: string[]
}

/** facet key of the fact sheet type, and the key LeanIX uses for "field has no value" */
export const TYPE_FACET = 'FactSheetTypes'
export const MISSING_KEY = '__missing__'

/** Reads a filter given as FilterInput JSON, `{ "filter": FilterInput }`, or a list of facet filters. */
export function parseFilter(text: string | undefined | null): FilterInput {
  if (text === undefined || text === null || text.trim() === '') return {}
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new LeanixErrors.FILTER_INVALID((err as Error).message)
  }
  if (Array.isArray(raw)) raw = { facetFilters: raw }
  if (typeof raw !== 'object' || raw === null) throw new LeanixErrors.FILTER_INVALID('expected an object or a list')
  const obj = raw as Record<string, unknown>
  const input = (typeof obj.filter === 'object' && obj.filter !== null ? obj.filter : obj) as Record<string, unknown>
  return checkFilter(input, 'filter')
}

function checkFilter(input: Record<string, unknown>, where: string): FilterInput {
  const out: FilterInput = {}
  if (input.facetFilters !== undefined) {
    if (!Array.isArray(input.facetFilters))
      throw new LeanixErrors.FILTER_INVALID(`${where}.facetFilters must be a list`)
    out.facetFilters = input.facetFilters.map((f, i) => checkFacet(f, `${where}.facetFilters[${i}]`))
  }
  if (input.fullTextSearch !== undefined) {
    if (typeof input.fullTextSearch !== 'string')
      throw new LeanixErrors.FILTER_INVALID(`${where}.fullTextSearch must be a string`)
    out.fullTextSearch = input.fullTextSearch
  }
  for (const key of ['ids', 'externalIds'] as const) {
    const v = input[key]
    if (v === undefined) continue
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      throw new LeanixErrors.FILTER_INVALID(`${where}.${key} must be a list of strings`)
    }
    out[key] = v as string[]
  }
  return out
}

function checkFacet(f: unknown, where: string): FacetFilter {
  if (typeof f !== 'object' || f === null) throw new LeanixErrors.FILTER_INVALID(`${where} must be an object`)
  const o = f as Record<string, unknown>
  if (typeof o.facetKey !== 'string' || o.facetKey === '')
    throw new LeanixErrors.FILTER_INVALID(`${where}.facetKey is required`)
  const keys = o.keys === undefined ? undefined : Array.isArray(o.keys) ? o.keys : [o.keys]
  if (keys?.some((k) => typeof k !== 'string')) throw new LeanixErrors.FILTER_INVALID(`${where}.keys must be strings`)
  const operator = o.operator ?? 'OR'
  if (operator !== 'OR' && operator !== 'AND' && operator !== 'NOR') {
    throw new LeanixErrors.FILTER_INVALID(`${where}.operator must be OR, AND or NOR`)
  }
  const facet: FacetFilter = { facetKey: o.facetKey, operator }
  if (keys) facet.keys = keys as string[]
  if (o.dateFilter !== undefined) facet.dateFilter = o.dateFilter as DateFilter
  if (typeof o.subFilter === 'object' && o.subFilter !== null) {
    facet.subFilter = checkFilter(o.subFilter as Record<string, unknown>, `${where}.subFilter`)
  }
  if (typeof o.excludeTransitiveRelations === 'boolean') facet.excludeTransitiveRelations = o.excludeTransitiveRelations
  return facet
}

/**
 * One filter matching exactly what both match. Facets are ANDed by the inventory, so the two
 * lists join; but each part may be set by one filter only: two full-text searches, two id lists
 * or one facet narrowed twice have no single equivalent that the inventory is documented to
 * treat as an AND, so they are refused, saying which part to keep in one place.
 */
export function andFilterInputs(left: FilterInput, right: FilterInput): FilterInput {
  // an empty search is no search
  const [l, r] = [left, right].map(({ fullTextSearch, ...rest }) =>
    fullTextSearch?.trim() ? { ...rest, fullTextSearch } : rest,
  ) as [FilterInput, FilterInput]
  for (const key of ['fullTextSearch', 'ids', 'externalIds'] as const) {
    if (l[key] !== undefined && r[key] !== undefined)
      throw new LeanixErrors.FILTER_INVALID(`both filters set ${key}; set it in one of them only`)
  }
  const leftFacets = l.facetFilters ?? []
  const rightFacets = r.facetFilters ?? []
  const twice = leftFacets.find((f) => rightFacets.some((g) => g.facetKey === f.facetKey))
  if (twice) {
    throw new LeanixErrors.FILTER_INVALID(
      `both filters narrow the facet ${twice.facetKey}; give its keys in one of them only`,
    )
  }
  const joined: FilterInput = { ...l, ...r }
  if (leftFacets.length + rightFacets.length > 0) joined.facetFilters = [...leftFacets, ...rightFacets]
  return joined
}

/** The filter narrowed to one fact sheet type (replacing any type facet the user gave) plus extra facets. */
export function narrow(filter: FilterInput, type: string, extra: readonly FacetFilter[] = []): FilterInput {
  const facets = (filter.facetFilters ?? []).filter((f) => f.facetKey !== TYPE_FACET)
  return { ...filter, facetFilters: [{ facetKey: TYPE_FACET, operator: 'OR', keys: [type] }, ...facets, ...extra] }
}

/** The [from, to] dates (YYYY-MM-DD) a lifecycle dateFilter asks about; undefined = any time. */
export function dateFilterWindow(filter: DateFilter | undefined, today: string): [string, string] | undefined {
  if (!filter?.type) return undefined
  const from = filter.from ?? '0000-01-01'
  const to = filter.to ?? '9999-12-31'
  switch (filter.type) {
    case 'TODAY':
      return [today, today]
    case 'POINT':
      return [filter.from ?? today, filter.from ?? today]
    case 'END_OF_MONTH': {
      const d = new Date(`${today}T00:00:00Z`)
      const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10)
      return [end, end]
    }
    case 'END_OF_YEAR':
      return [`${today.slice(0, 4)}-12-31`, `${today.slice(0, 4)}-12-31`]
    case 'RANGE_STARTS':
      return [from, from]
    case 'RANGE_ENDS':
      return [to, to]
    default:
      return [from, to]
  }
}

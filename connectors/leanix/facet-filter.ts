// Evaluates a LeanIX facet filter against a fact sheet record locally, with the semantics the
// inventory gives it: facets are ANDed, keys inside a facet combine by the facet's operator
// (OR, AND, NOR), "__missing__" means no value and "__any__" some value, and archived fact
// sheets only match when the TrashBin facet asks for them. Used to decide whether an incoming
// change still falls inside a mapping's constraint without a round trip.
import {
  dateFilterWindow,
  MISSING_KEY,
  parseFilter,
  TYPE_FACET,
  type FacetFilter,
  type FilterInput,
} from './client/filter.ts'

const ANY_KEY = '__any__'
type Rec = Record<string, unknown>

export function matchesFilter(
  filter: string | FilterInput,
  record: Rec,
  today = new Date().toISOString().slice(0, 10),
): boolean {
  const input = typeof filter === 'string' ? parseFilter(filter) : filter
  return matchInput(input, record, today, true)
}

function matchInput(input: FilterInput, record: Rec, today: string, topLevel: boolean): boolean {
  const facets = input.facetFilters ?? []
  const trash = facets.find((f) => f.facetKey === 'TrashBin')
  const archived = record.status === 'ARCHIVED'
  if (trash) {
    if (!combine(trash, (k) => (k === 'archived' ? archived : !archived))) return false
  } else if (topLevel && archived) return false
  for (const facet of facets) {
    if (facet.facetKey === 'TrashBin') continue
    if (!(facet.keys ?? []).length) continue
    if (!matchFacet(facet, record, today)) return false
  }
  if (input.ids?.length && !input.ids.includes(String(record.id))) return false
  if (input.externalIds?.length && !input.externalIds.some((ref) => hasExternalId(record, ref))) return false
  if (input.fullTextSearch?.trim()) {
    const text = input.fullTextSearch.trim().toLowerCase()
    const hay = [record.name, record.displayName, record.description, record.alias].filter((v) => typeof v === 'string')
    if (!hay.some((h) => (h as string).toLowerCase().includes(text))) return false
  }
  return true
}

function matchFacet(facet: FacetFilter, record: Rec, today: string): boolean {
  switch (facet.facetKey) {
    case TYPE_FACET:
      return combine(facet, (k) => record.type === k)
    case 'hierarchyLevel':
      return combine(facet, (k) => String(record.level) === k)
    case '_TAGS_':
      return tagFacet(facet, record, null)
    case 'lifecycle':
      return lifecycleFacet(facet, record, today)
  }
  const value = record[facet.facetKey]
  if (Array.isArray(value) && value.some((v) => isRecord(v) && 'factSheetId' in v)) {
    // a relation: keys are the fact sheet ids at the other end
    const ids = (value as Rec[]).map((v) => String(v.factSheetId))
    return combine(facet, (k) =>
      k === MISSING_KEY ? ids.length === 0 : k === ANY_KEY ? ids.length > 0 : ids.includes(k),
    )
  }
  if (
    value === undefined &&
    Array.isArray(record.tags) &&
    (record.tags as Rec[]).some((t) => tagGroupId(t) === facet.facetKey)
  ) {
    return tagFacet(facet, record, facet.facetKey)
  }
  return combine(facet, (k) => {
    if (k === MISSING_KEY) return isEmpty(value)
    if (k === ANY_KEY) return !isEmpty(value)
    if (Array.isArray(value)) return value.map(String).includes(k)
    if (isRecord(value) && 'externalId' in value) return value.externalId === k
    return value !== null && value !== undefined && String(value) === k
  })
}

function tagFacet(facet: FacetFilter, record: Rec, groupId: string | null): boolean {
  const tags = (Array.isArray(record.tags) ? (record.tags as Rec[]) : []).filter(
    (t) => groupId === null || tagGroupId(t) === groupId,
  )
  const ids = tags.map((t) => String(t.id))
  return combine(facet, (k) =>
    k === MISSING_KEY ? ids.length === 0 : k === ANY_KEY ? ids.length > 0 : ids.includes(k),
  )
}

/** Phases in effect in the date window of the facet (all phases when it has none). */
function lifecycleFacet(facet: FacetFilter, record: Rec, today: string): boolean {
  const lc = record.lifecycle as { phases?: Array<{ phase: string; startDate: string }> } | null | undefined
  const phases = [...(lc?.phases ?? [])].sort((a, b) => a.startDate.localeCompare(b.startDate))
  const window = dateFilterWindow(facet.dateFilter, today)
  const inEffect = new Set<string>()
  phases.forEach((p, i) => {
    const end = phases[i + 1]?.startDate ?? '9999-12-31'
    if (!window || (p.startDate <= window[1] && end > window[0])) inEffect.add(p.phase)
  })
  return combine(facet, (k) =>
    k === MISSING_KEY ? inEffect.size === 0 : k === ANY_KEY ? inEffect.size > 0 : inEffect.has(k),
  )
}

function combine(facet: FacetFilter, test: (key: string) => boolean): boolean {
  const keys = facet.keys ?? []
  if (facet.operator === 'AND') return keys.every(test)
  if (facet.operator === 'NOR') return !keys.some(test)
  return keys.some(test)
}

function hasExternalId(record: Rec, ref: string): boolean {
  const slash = ref.indexOf('/')
  if (slash <= 0) return false
  const field = record[ref.slice(0, slash)]
  return isRecord(field) && field.externalId === ref.slice(slash + 1)
}

function tagGroupId(tag: Rec): string | undefined {
  const group = tag.tagGroup
  return isRecord(group) && typeof group.id === 'string' ? group.id : undefined
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
}

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

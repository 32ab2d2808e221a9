// Table API query parameters with their documented defaults (docs/reference/servicenow.md §1.2).

export type DisplayValueMode = 'false' | 'true' | 'all'

export interface TableParams {
  query: string
  fields: string[] | undefined
  limit: number
  offset: number
  displayValue: DisplayValueMode
  excludeReferenceLink: boolean
  noCount: boolean
  suppressPaginationHeader: boolean
  inputDisplayValue: boolean
  queryNoDomain: boolean
  /** name=value filters given instead of sysparm_query (display values accepted) */
  nameValueFilters: Array<[string, string]>
}

/** documented default page size */
export const DEFAULT_LIMIT = 10000

const flag = (v: string | undefined): boolean => v?.toLowerCase() === 'true'

/** the platform treats unparseable numbers as absent */
const intParam = (v: string | undefined): number | undefined => {
  if (v === undefined || v.trim() === '') return undefined
  const n = Number.parseInt(v, 10)
  return Number.isFinite(n) ? n : undefined
}

export function parseTableParams(search: URLSearchParams): TableParams {
  const dv = (search.get('sysparm_display_value') ?? 'false').toLowerCase()
  const fields = search.get('sysparm_fields')
  const nameValueFilters: Array<[string, string]> = []
  for (const [k, v] of search) if (!k.startsWith('sysparm_')) nameValueFilters.push([k, v])
  const limit = intParam(search.get('sysparm_limit') ?? undefined)
  return {
    query: search.get('sysparm_query') ?? '',
    fields: fields
      ? fields
          .split(',')
          .map((f) => f.trim())
          .filter((f) => f !== '')
      : undefined,
    limit: limit === undefined || limit <= 0 ? DEFAULT_LIMIT : limit,
    offset: Math.max(0, intParam(search.get('sysparm_offset') ?? undefined) ?? 0),
    displayValue: dv === 'true' || dv === 'all' ? dv : 'false',
    excludeReferenceLink: flag(search.get('sysparm_exclude_reference_link') ?? undefined),
    noCount: flag(search.get('sysparm_no_count') ?? undefined),
    suppressPaginationHeader: flag(search.get('sysparm_suppress_pagination_header') ?? undefined),
    inputDisplayValue: flag(search.get('sysparm_input_display_value') ?? undefined),
    queryNoDomain: flag(search.get('sysparm_query_no_domain') ?? undefined),
    nameValueFilters,
  }
}

// The Link header of a list answer, as captured from real instances (docs/reference/servicenow.md §1.4): rels in
// the order first, prev, next, last, comma-separated without spaces; the request's own
// parameters echoed with sysparm_limit and sysparm_offset re-appended at the end; last =
// floor((total-1)/limit)*limit; prev is given even when it goes negative (observed quirk);
// next is absent on the last page.
export function linkHeader(
  baseUrl: string,
  path: string,
  search: URLSearchParams,
  limit: number,
  offset: number,
  total: number | undefined,
  pageWasFull: boolean,
): string {
  const kept = new URLSearchParams()
  for (const [k, v] of search) if (k !== 'sysparm_limit' && k !== 'sysparm_offset') kept.append(k, v)
  const url = (o: number): string => {
    const q = kept.toString()
    return `<${baseUrl}${path}?${q ? `${q}&` : ''}sysparm_limit=${limit}&sysparm_offset=${o}>`
  }
  const parts = [`${url(0)};rel="first"`]
  const multiPage = total === undefined ? offset > 0 || pageWasFull : total > limit
  if (multiPage) parts.push(`${url(offset - limit)};rel="prev"`)
  const hasNext = total === undefined ? pageWasFull : offset + limit < total
  if (hasNext) parts.push(`${url(offset + limit)};rel="next"`)
  if (total !== undefined) parts.push(`${url(total > 0 ? Math.floor((total - 1) / limit) * limit : 0)};rel="last"`)
  return parts.join(',')
}

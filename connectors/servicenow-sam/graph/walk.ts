// The reads a graph rule is made of, each a stream of rows through the ServiceNow client
// (keyset paging) with encoded-query IN batches: nothing reads a whole table into memory.
import type { ServiceNowClient, SnRecord } from '../../servicenow/index.ts'
import { combineQuery, queryInList } from '../../servicenow/index.ts'

/** ids per IN condition: keeps each URL well under what instances and proxies accept */
export const IN_BATCH = 100

/** A reference value as the Table API gives it (a sys_id, or {value, link} without exclude_reference_link). */
export function refValue(value: unknown): string {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string')
    return (value as { value: string }).value
  return ''
}

export function chunks<T>(items: readonly T[], size = IN_BATCH): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Every row of `table` matching `filter`, page by page (one partition: the rule's reads are narrow). */
export async function* rowsOf(
  client: ServiceNowClient,
  table: string,
  filter: string,
  fields: readonly string[] | undefined,
  signal?: AbortSignal,
): AsyncIterable<SnRecord> {
  const pages = client.readTable(table, {
    filter,
    partitions: 1,
    ...(fields ? { fields } : {}),
    ...(signal ? { signal } : {}),
  })
  for await (const page of pages) yield* page.records
}

/** Rows whose `field` is one of `ids`, `filter` ANDed, in IN batches run side by side (the client paces them). */
export async function rowsIn(
  client: ServiceNowClient,
  table: string,
  field: string,
  ids: readonly string[],
  /** all columns when undefined */
  fields: readonly string[] | undefined,
  filter: string | undefined,
  signal?: AbortSignal,
): Promise<SnRecord[]> {
  const batches = await Promise.all(
    chunks(ids).map(async (chunk) => {
      const rows: SnRecord[] = []
      for await (const row of rowsOf(client, table, combineQuery(filter, [queryInList(field, chunk)]), fields, signal))
        rows.push(row)
      return rows
    }),
  )
  return batches.flat()
}

/**
 * A walk through cmdb_rel_ci from `start`, `hops` steps along `direction` (downstream: parent to
 * child; upstream: child to parent): every CI met, each with the start CIs it was met from. Bounded
 * by what these start CIs reach.
 */
async function walk(
  client: ServiceNowClient,
  start: readonly string[],
  hops: number,
  direction: 'downstream' | 'upstream',
  signal?: AbortSignal,
): Promise<Map<string, Set<string>>> {
  const [from, to] = direction === 'downstream' ? (['parent', 'child'] as const) : (['child', 'parent'] as const)
  const met = new Map<string, Set<string>>()
  let frontier = new Map<string, Set<string>>(start.map((ci) => [ci, new Set([ci])]))
  for (let hop = 0; hop < hops && frontier.size > 0; hop++) {
    const rows = await rowsIn(client, 'cmdb_rel_ci', from, [...frontier.keys()], ['parent', 'child'], undefined, signal)
    const next = new Map<string, Set<string>>()
    for (const row of rows) {
      const origins = frontier.get(refValue(row[from]))
      const ci = refValue(row[to])
      if (!origins || !ci) continue
      const known = met.get(ci) ?? new Set<string>()
      const fresh = [...origins].filter((o) => !known.has(o))
      if (fresh.length === 0) continue // a cycle, or a CI met from these origins already
      for (const o of fresh) known.add(o)
      met.set(ci, known)
      const onward = next.get(ci) ?? new Set<string>()
      for (const o of fresh) onward.add(o)
      next.set(ci, onward)
    }
    frontier = next
  }
  return met
}

/** The CIs that `apps` reach downstream within `hops`, each with the applications that reach it. */
export function reachedFrom(client: ServiceNowClient, apps: readonly string[], hops: number, signal?: AbortSignal) {
  return walk(client, apps, hops, 'downstream', signal)
}

/** The CIs that reach `cis` upstream within `hops`, each with the CIs of `cis` it reaches. */
export function reachingTo(client: ServiceNowClient, cis: readonly string[], hops: number, signal?: AbortSignal) {
  return walk(client, cis, hops, 'upstream', signal)
}

// Row counts through the Aggregate API (GET /api/now/stats/{table}): one cheap call instead of
// X-Total-Count on a Table API read. ServiceNow returns the count as a string.
import { ServiceNowErrors } from '../errors.ts'
import { assertName, combine } from './query.ts'
import type { Transport } from './transport.ts'

export async function countRows(
  transport: Transport,
  table: string,
  filter?: string,
  signal?: AbortSignal,
): Promise<number> {
  const query = combine(filter, [])
  const res = await transport.request({
    method: 'GET',
    path: `/api/now/stats/${assertName(table)}`,
    query: { sysparm_count: 'true', ...(query ? { sysparm_query: query } : {}) },
    idempotent: true,
    ...(signal ? { signal } : {}),
  })
  const count = (res.body as { result?: { stats?: { count?: unknown } } } | undefined)?.result?.stats?.count
  const n = typeof count === 'string' || typeof count === 'number' ? Number(count) : Number.NaN
  if (!Number.isInteger(n) || n < 0) {
    throw new ServiceNowErrors.UNEXPECTED_RESPONSE('GET', `/api/now/stats/${table}`, 'no result.stats.count')
  }
  return n
}

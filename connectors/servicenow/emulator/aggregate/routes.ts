// Aggregate API: GET /api/now/stats/{table} and /api/now/v1/stats/{table} (docs/reference/servicenow.md §3.1).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { compareForSort, parseEncodedQuery } from '../../encoded-query/index.ts'
import type { ServiceNowEmulator } from '../emulator.ts'
import { respond, respondError, stateOf } from '../http/respond.ts'
import { countMatches, executeList } from '../query/execute.ts'
import type { RecordRef } from '../instance/instance.ts'
import { dateDisplayOf } from '../table-api/date-display.ts'
import { SnErrors } from '../table-api/envelope.ts'
import { isQueryError } from '../query/query-error.ts'
import { DisplayCache, displayOf, resolvesStatically } from '../table-api/serialize.ts'
import { computeStats, groupRefs, type AggregateRequest } from './compute.ts'

const list = (v: string | null): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')

interface StatsRoute {
  Params: { table: string }
}

export function registerAggregateApi(app: FastifyInstance, emulator: ServiceNowEmulator): void {
  const data = emulator.data
  const handler = async (request: FastifyRequest<StatsRoute>, reply: FastifyReply) => {
    const { table } = request.params
    if (!data.schema.has(table)) return respondError(request, reply, SnErrors.invalidTable(table))
    const user = stateOf(request).user
    if (!user || !emulator.acl.canAccessTable(user, table, 'read'))
      return respondError(request, reply, SnErrors.readDenied())
    const q = request.url.indexOf('?')
    const search = new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1))
    const t = data.table(table)
    const known = (f: string) => t.fields.has(f)
    // group_by may dot-walk (assigned_to.department), like sysparm_fields
    const groupable = (f: string) => known(f) || (f.includes('.') && resolvesStatically(data, table, f))
    const req: AggregateRequest = {
      count: search.get('sysparm_count')?.toLowerCase() === 'true',
      avg: list(search.get('sysparm_avg_fields')).filter(known),
      sum: list(search.get('sysparm_sum_fields')).filter(known),
      min: list(search.get('sysparm_min_fields')).filter(known),
      max: list(search.get('sysparm_max_fields')).filter(known),
      groupBy: list(search.get('sysparm_group_by')).filter(groupable),
    }
    const nameValue = [...search]
      .filter(([k]) => !k.startsWith('sysparm_') && known(k))
      .map(([k, v]) => `${k}=${v}`)
      .join('^')
    const evaluation = { now: data.now(), userSysId: user.sysId, caseSensitive: emulator.caseSensitiveQueries }
    const countOnly = req.avg.length + req.sum.length + req.min.length + req.max.length + req.groupBy.length === 0
    let refs: RecordRef[]
    try {
      const query = { ...parseEncodedQuery(search.get('sysparm_query') || nameValue), orderBy: [] }
      if (countOnly && !emulator.acl.hasRowRules(table, 'read')) {
        // a count needs no rows: sys_id bounds alone are a binary search, other filters one pass
        const stats = req.count ? { count: String(countMatches(data, table, query, evaluation)) } : {}
        return respond(request, reply, 200, { result: { stats } })
      }
      const all = { table, query, offset: 0, limit: Number.MAX_SAFE_INTEGER, withCount: false, evaluation }
      refs = executeList(data, all).refs
    } catch (err) {
      // an invalid query is answered as the Table API answers it (400), whether the parser or the
      // evaluator finds the fault
      if (isQueryError(err)) return respondError(request, reply, SnErrors.invalidQuery(err.message))
      throw err
    }
    refs = refs.filter((ref) => emulator.acl.canAccessRow(user, table, 'read', ref))
    if (req.groupBy.length === 0)
      return respond(request, reply, 200, { result: { stats: computeStats(data, refs, req) } })

    const displayMode = (search.get('sysparm_display_value') ?? 'false').toLowerCase()
    const cache = new DisplayCache(data, dateDisplayOf(data, user.sysId))
    const groups = [...groupRefs(data, refs, req.groupBy)].map(([key, members]) => ({
      values: JSON.parse(key) as string[],
      members,
    }))
    const orderBy = search.get('sysparm_order_by')
    const orderField = orderBy ? (orderBy.split('^')[0] ?? '') : ''
    const descending = orderBy?.toUpperCase().endsWith('^DESC') ?? false
    const gi = req.groupBy.indexOf(orderField)
    groups.sort((a, b) => {
      const c =
        orderField.toUpperCase() === 'COUNT'
          ? a.members.length - b.members.length
          : compareForSort(a.values[gi < 0 ? 0 : gi] ?? '', b.values[gi < 0 ? 0 : gi] ?? '')
      return descending ? -c : c
    })
    const having = parseHaving(search.get('sysparm_having'))
    const result = groups
      .map((g) => ({
        stats: computeStats(data, g.members, req),
        groupby_fields: req.groupBy.map((field, i) => {
          const value = g.values[i] ?? ''
          const def = t.fields.get(field) ?? (g.members[0] ? data.walk(g.members[0], field)?.def : undefined)
          return displayMode === 'true' || displayMode === 'all'
            ? { field, value, display_value: def ? displayOf(data, def, value, cache) : value }
            : { field, value }
        }),
        count: g.members.length,
      }))
      .filter((g) => having.every((h) => h(g.count)))
      .map(({ stats, groupby_fields }) => ({ stats, groupby_fields }))
    return respond(request, reply, 200, { result })
  }
  app.get<StatsRoute>('/api/now/stats/:table', handler)
  app.get<StatsRoute>('/api/now/v1/stats/:table', handler)
}

/** sysparm_having=count^*^>^3 (aggregate^field^operator^value), comma-separated; only count is supported */
function parseHaving(text: string | null): Array<(count: number) => boolean> {
  if (!text) return []
  return text.split(',').flatMap((part) => {
    const [agg, , op, raw] = part.split('^')
    if (agg?.toLowerCase() !== 'count' || raw === undefined) return []
    const n = Number(raw)
    switch (op) {
      case '>':
        return [(c: number) => c > n]
      case '<':
        return [(c: number) => c < n]
      case '>=':
        return [(c: number) => c >= n]
      case '<=':
        return [(c: number) => c <= n]
      case '=':
        return [(c: number) => c === n]
      case '!=':
        return [(c: number) => c !== n]
      default:
        return []
    }
  })
}

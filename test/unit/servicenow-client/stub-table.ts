// A scripted Table API over an in-memory table, evaluating sysparm_query with the hub's
// encoded-query module, with hooks to shorten pages (ACLs), truncate answers (size cap), change
// rows between pages and count requests in flight. For protocol tests of the reader.
import type { ServerResponse } from 'node:http'
import { matchesEncodedQuery, parseEncodedQuery } from '../../../connectors/servicenow/encoded-query/index.ts'
import type { EncodedQuery } from '../../../connectors/servicenow/encoded-query/index.ts'
import { json } from './stub-server.ts'
import type { StubHandler, StubRequest } from './stub-server.ts'

export type Row = Record<string, string> & { sys_id: string }

export interface TableHooks {
  /** rows the integration user may not see (removed after the limit, like ACLs) */
  hidden?: (row: Row) => boolean
  /** answer instead of the page (e.g. a truncated body); return true when handled */
  intercept?: (req: StubRequest, res: ServerResponse, limit: number) => boolean
  /** called before each page is computed */
  beforePage?: (req: StubRequest) => void
  /** ms to hold each answer, to observe concurrency */
  delayMs?: number
  /** ms to hold each Aggregate API answer (a count that scans a big table) */
  statsDelayMs?: number
  /** the Aggregate API answers 403 (a user without access to stats) */
  statsForbidden?: boolean
  /** the instance clock sent in the Date header (default: now) */
  date?: () => Date
}

export interface StubTable {
  rows: Row[]
  handler: StubHandler
  pages: StubRequest[]
  maxInFlight: number
  /** table requests being answered now */
  inFlight: number
}

export function hexId(n: number): string {
  // spread ids over the whole key space so that partitions get a share each
  const mixed = Math.imul(n + 1, 2654435761) >>> 0
  return mixed.toString(16).padStart(8, '0') + n.toString(16).padStart(24, '0')
}

// Every column of the stub is a string (sys_id is a GUID column): compare as text, as the database does.
const AS_TEXT = { fieldType: () => 'string' }

function byOrder(query: EncodedQuery) {
  return (a: Row, b: Row) => {
    for (const { field, descending } of query.orderBy) {
      const x = a[field] ?? ''
      const y = b[field] ?? ''
      if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1)
    }
    return 0
  }
}

export function stubTable(rows: Row[], hooks: TableHooks = {}): StubTable {
  const table: StubTable = { rows, pages: [], maxInFlight: 0, inFlight: 0, handler: () => {} }
  table.handler = async (req, res) => {
    if (req.url.pathname.startsWith('/api/now/stats/')) {
      if (hooks.statsDelayMs) await new Promise((resolve) => setTimeout(resolve, hooks.statsDelayMs))
      if (hooks.statsForbidden) {
        return json(res, 403, { error: { message: 'User Not Authorized', detail: null }, status: 'failure' })
      }
      const query = parseEncodedQuery(req.url.searchParams.get('sysparm_query') ?? '')
      const count = table.rows.filter((r) => matchesEncodedQuery(query, r, AS_TEXT)).length
      return json(res, 200, { result: { stats: { count: String(count) } } })
    }
    table.inFlight++
    table.maxInFlight = Math.max(table.maxInFlight, table.inFlight)
    try {
      if (hooks.delayMs) await new Promise((resolve) => setTimeout(resolve, hooks.delayMs))
      table.pages.push(req)
      hooks.beforePage?.(req)
      const params = req.url.searchParams
      const limit = Number(params.get('sysparm_limit') ?? '10000')
      if (hooks.intercept?.(req, res, limit)) return
      const query = parseEncodedQuery(params.get('sysparm_query') ?? '')
      const offset = Number(params.get('sysparm_offset') ?? '0')
      const matching = table.rows.filter((r) => matchesEncodedQuery(query, r, AS_TEXT)).sort(byOrder(query))
      const page = matching.slice(offset, offset + limit).filter((r) => !hooks.hidden?.(r))
      const fields = params.get('sysparm_fields')?.split(',')
      const result = fields ? page.map((r) => Object.fromEntries(fields.map((f) => [f, r[f] ?? '']))) : page
      json(res, 200, { result }, { date: (hooks.date?.() ?? new Date()).toUTCString() })
    } finally {
      table.inFlight--
    }
  }
  return table
}

// A small connector for tests of the connection machinery: it keeps records in memory and
// "checks" by looking at its settings, so tests can drive success and failure without a network.
// Given a `store`, it is a whole system a mapping can sync: it discovers, reads, writes and looks
// up the store's records, filters with `field=value^field=value`, and (with `graphRules`)
// computes the graph rules ONLY_RED and ANY_SHADE. Every read and lookup is recorded in `store.requests`.
import { Type } from 'typebox'
import type {
  Change,
  ChangeResult,
  Connector,
  ConnectionContext,
  EntityDescription,
  GraphRuleDescription,
  GraphRuleRef,
  LookupRequest,
  ReadRequest,
  SourceRecord,
} from '../../core/connector/contract.ts'

// a type alias (not an interface) so it fits Record<string, unknown>
export type MemoSettings = {
  url: string
  username: string
  password: string
  auth?: { clientId: string; clientSecret: string }
  pageSize: number
}

export interface MemoStore {
  entities: EntityDescription[]
  /** records by entity */
  records: Map<string, SourceRecord[]>
  /** every read and lookup, as asked */
  requests: Array<{ op: 'read' | 'lookup'; entity: string; request: ReadRequest | LookupRequest }>
}

export interface MemoOptions {
  /** a system to sync: discover, read, write, lookup and matches over it */
  store?: MemoStore
  /** with a store: the rules ONLY_RED and ANY_SHADE on every entity with a `color` field */
  graphRules?: boolean
}

export function memoStore(entities: EntityDescription[], records: Record<string, SourceRecord[]> = {}): MemoStore {
  return { entities, records: new Map(Object.entries(records)), requests: [] }
}

/** ONLY_RED: records whose color is red, each with `graph_peers`, the other red records (its filter narrows them). */
export const ONLY_RED: GraphRuleDescription = {
  name: 'ONLY_RED',
  description: 'records whose color is red; graph_peers lists the other red records',
  filterApplies: 'the red records, peers included',
  fields: [{ name: 'graph_peers', type: 'list', label: 'Red peers' }],
  // it walks nothing, but says it would, so tests can check a mapping's hops against the rule's bound
  hops: { default: 1, max: 2 },
}

/** ANY_SHADE: records with any color; it takes no filter and adds no field. */
export const ANY_SHADE: GraphRuleDescription = {
  name: 'ANY_SHADE',
  description: 'records with a color',
  fields: [],
}

/** `field=value` conditions joined by `^`; undefined when malformed. */
function parseFilter(filter: string): Array<[string, string]> | undefined {
  const parts = filter.split('^').map((p) => /^([A-Za-z_]\w*)=(.*)$/.exec(p))
  if (parts.some((p) => !p)) return undefined
  return parts.map((p) => [p?.[1] as string, p?.[2] as string])
}

function memoMatches(filter: string, record: Record<string, unknown>): boolean {
  return (parseFilter(filter) ?? []).every(([field, value]) => String(record[field] ?? '') === value)
}

function project(record: SourceRecord, fields: readonly string[] | undefined): SourceRecord {
  if (!fields) return { ...record }
  const out: SourceRecord = { id: record.id }
  for (const f of fields) if (f in record) out[f] = record[f]
  return out
}

function syncingMemo(base: Connector<MemoSettings>, store: MemoStore, withRules: boolean): Connector<MemoSettings> {
  let created = 0
  const rulesOf = (entity: string): GraphRuleDescription[] =>
    withRules && store.entities.find((e) => e.name === entity)?.fields.some((f) => f.name === 'color')
      ? [ONLY_RED, ANY_SHADE]
      : []
  /** what the rules let through, with their fields; all records without rules */
  const select = (entity: string, filter: string | undefined, rules: readonly GraphRuleRef[] | undefined) => {
    const all = (store.records.get(entity) ?? []).filter((r) => !filter || memoMatches(filter, r))
    if (!rules || rules.length === 0) return all
    const out = new Map<string, SourceRecord>()
    for (const rule of rules) {
      if (!rulesOf(entity).some((d) => d.name === rule.rule)) throw new Error(`no graph rule ${rule.rule}`)
      if (rule.rule === 'ANY_SHADE') {
        for (const r of all) if (r.color && !out.has(r.id)) out.set(r.id, { ...r })
        continue
      }
      const passed = all.filter((r) => r.color === 'red' && (!rule.filter || memoMatches(rule.filter, r)))
      for (const r of passed) {
        const peers = passed.filter((p) => p.id !== r.id).map((p) => p.id)
        out.set(r.id, { ...out.get(r.id), ...r, graph_peers: peers })
      }
    }
    return [...out.values()]
  }
  return {
    ...base,
    capabilities: ['discover', 'read', 'write', 'lookup', 'matches'],
    async discover(_conn, entities) {
      return store.entities.filter((e) => !entities || entities.length === 0 || entities.includes(e.name))
    },
    async *read(_conn, entity, request) {
      store.requests.push({ op: 'read', entity, request })
      const records = select(entity, request.filter, request.graphRules)
      yield { records: records.map((r) => project(r, request.fields)), cursor: null, watermark: null }
    },
    async lookup(_conn, entity, request) {
      store.requests.push({ op: 'lookup', entity, request })
      const ids = request.ids ? new Set(request.ids) : undefined
      const values = request.values ? new Set(request.values) : undefined
      return select(entity, request.filter, request.graphRules)
        .filter((r) => (ids ? ids.has(r.id) : values && request.field ? values.has(String(r[request.field])) : false))
        .map((r) => project(r, request.fields))
    },
    async write(_conn, entity, changes: Change[]): Promise<ChangeResult[]> {
      const records = store.records.get(entity) ?? []
      store.records.set(entity, records)
      return changes.map((c) => {
        if (c.op === 'create') {
          const id = `${entity}-${++created}`
          records.push({ ...c.values, id })
          return { key: c.key, ok: true, id }
        }
        const i = records.findIndex((r) => r.id === c.id)
        if (i < 0) return { key: c.key, ok: false, error: { code: 'CW_MEMO_NOT_FOUND', message: 'no such record' } }
        if (c.op === 'delete') records.splice(i, 1)
        else records[i] = { ...records[i], ...c.values, id: c.id as string }
        return { key: c.key, ok: true, id: c.id as string }
      })
    },
    matches: memoMatches,
    filterError: (filter) => (parseFilter(filter) ? undefined : `"${filter}" is not field=value^field=value`),
    identityField: () => 'correlation_id',
    ...(withRules ? { graphRules: rulesOf } : {}),
  }
}

export function memoConnector(name = 'memo', options: MemoOptions = {}): Connector<MemoSettings> {
  const base = plainMemo(name)
  return options.store ? syncingMemo(base, options.store, options.graphRules === true) : base
}

function plainMemo(name: string): Connector<MemoSettings> {
  return {
    name,
    title: 'In-memory test connector',
    version: '1.0.0',
    configSchema: Type.Object(
      {
        url: Type.String({ format: 'uri', pattern: '^https?://' }),
        username: Type.String({ minLength: 1 }),
        password: Type.String({ minLength: 1, secret: true }),
        auth: Type.Optional(
          Type.Object({ clientId: Type.String(), clientSecret: Type.String({ minLength: 1, secret: true }) }),
        ),
        pageSize: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
      },
      { additionalProperties: false },
    ),
    secretFields: ['password', 'auth.clientSecret'],
    capabilities: ['read'],
    async check(conn: ConnectionContext<MemoSettings>) {
      if (conn.settings.password !== conn.secrets.password) return { ok: false, message: 'secret not merged' }
      if (conn.settings.password === 'wrong')
        return { ok: false, message: `login as ${conn.settings.username} was refused` }
      return { ok: true, message: `reached ${conn.settings.url} as ${conn.settings.username}` }
    },
    async *read() {
      yield { records: [{ id: '1' }], cursor: null }
    },
  } as Connector<MemoSettings>
}

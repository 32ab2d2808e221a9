// Graph rules for the ServiceNow connector (its useGraphRules hook): a read that a mapping side
// constrains with graph rules first walks ServiceNow and stages, in the hub's store, the records
// the rules let through with their applications (one application batch at a time), then pages
// through what it staged, reading the records themselves by sys_id. Memory stays at one batch
// whatever the size of cmdb_rel_ci or the installation table. A lookup (a partial run) walks the
// other way, from the few records asked for up to their applications.
import { randomUUID } from 'node:crypto'
import type {
  ConnectionContext,
  GraphRuleRef,
  LookupRequest,
  Page,
  ReadRequest,
  SourceRecord,
} from '../../../core/connector/contract.ts'
import type { ServiceNowClient, ServiceNowGraphRules, ServiceNowSettings, SnRecord } from '../../servicenow/index.ts'
import { combineQuery, queryInList } from '../../servicenow/index.ts'
import { SamErrors } from '../errors.ts'
import {
  APPLICATIONS_FIELD,
  DEFAULT_HOPS,
  GRAPH_RULES,
  describeGraphRules,
  graphRule,
  type GraphRule,
} from './rules.ts'
import type { GraphStage } from './stage.ts'
import { type StagedPair } from './stage.ts'
import { chunks, reachedFrom, reachingTo, refValue, rowsIn, rowsOf } from './walk.ts'

/** business applications walked from at once */
const APPLICATION_BATCH = 100
/** records per page of the staged read */
const ITEM_PAGE = 200
/** staged pairs written per insert */
const STAGE_FLUSH = 5000

interface ReadState {
  v: 1
  key: string
  phase: 'stage' | 'items'
  /** stage: the next rule to walk; items: unused */
  rule: number
  /** items: the last item id handed out */
  after: string | null
}

function encodeState(state: ReadState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url')
}

function decodeState(cursor: string): ReadState {
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as ReadState
    if (state.v === 1 && typeof state.key === 'string' && (state.phase === 'stage' || state.phase === 'items'))
      return state
  } catch {
    // reported below
  }
  throw new SamErrors.BAD_CURSOR(cursor.slice(0, 40))
}

interface AppliedRule {
  rule: GraphRule
  ref: GraphRuleRef
  index: number
  hops: number
}

function rulesFor(entity: string, refs: readonly GraphRuleRef[]): AppliedRule[] {
  return refs.map((ref, index) => {
    const rule = graphRule(ref.rule)
    if (!rule || rule.entity !== entity) {
      const known = GRAPH_RULES.filter((r) => r.entity === entity).map((r) => r.name)
      throw new SamErrors.GRAPH_RULE_UNKNOWN(ref.rule, entity, known.join(', ') || 'none')
    }
    return { rule, ref, index, hops: ref.hops ?? DEFAULT_HOPS }
  })
}

/** The columns to read of the records: the rule fields are ours, not the table's. */
function tableFields(fields: readonly string[] | undefined): string[] | undefined {
  if (!fields) return undefined
  return [...new Set(['sys_id', ...fields.filter((f) => f !== APPLICATIONS_FIELD)])]
}

function toSource(row: SnRecord, applications: readonly string[] | undefined): SourceRecord {
  // in place, as the ServiceNow connector maps its rows: no copy of every record of a page
  const record = row as SnRecord & SourceRecord
  record.id = row.sys_id
  if (applications) record[APPLICATIONS_FIELD] = [...applications].sort().join(',')
  return record
}

/** Pairs collected for the stage, written in bulk and deduplicated before each write. */
class PairBuffer {
  readonly #pairs = new Map<string, StagedPair>()
  readonly #stage: GraphStage
  readonly #key: string
  constructor(stage: GraphStage, key: string) {
    this.#stage = stage
    this.#key = key
  }
  async add(pair: StagedPair): Promise<void> {
    this.#pairs.set(`${pair.rule}\u0000${pair.item}\u0000${pair.app}`, pair)
    if (this.#pairs.size >= STAGE_FLUSH) await this.flush()
  }
  async flush(): Promise<void> {
    const pairs = [...this.#pairs.values()]
    this.#pairs.clear()
    await this.#stage.add(this.#key, pairs)
  }
}

/** The usages (model, CI) of the models used on `cis`, the rule's filter applied where it narrows usages. */
async function usagesOn(client: ServiceNowClient, a: AppliedRule, cis: readonly string[], signal?: AbortSignal) {
  const { usage } = a.rule
  const filter = combineQuery(a.rule.filterApplies === 'usages' ? a.ref.filter : undefined, [
    `${usage.modelField}ISNOTEMPTY`,
  ])
  const rows = await rowsIn(client, usage.table, usage.ciField, cis, [usage.ciField, usage.modelField], filter, signal)
  return rows.map((row) => ({ model: refValue(row[usage.modelField]), ci: refValue(row[usage.ciField]) }))
}

async function stageRule(
  client: ServiceNowClient,
  buffer: PairBuffer,
  a: AppliedRule,
  signal?: AbortSignal,
): Promise<void> {
  const { rule } = a
  if (!rule.fromApplications) {
    const filter = combineQuery(a.ref.filter, [`${rule.usage.modelField}ISNOTEMPTY`])
    for await (const row of rowsOf(client, rule.usage.table, filter, [rule.usage.modelField], signal))
      for (const item of modelsOf(rule, row)) await buffer.add({ rule: a.index, item, app: '' })
    return
  }
  const appFilter = rule.filterApplies === 'applications' ? (a.ref.filter ?? '') : ''
  let batch: string[] = []
  const walk = async () => {
    const reached = await reachedFrom(client, batch, a.hops, signal)
    batch = []
    if (reached.size === 0) return
    for (const { model, ci } of await usagesOn(client, a, [...reached.keys()], signal))
      for (const app of reached.get(ci) ?? []) await buffer.add({ rule: a.index, item: model, app })
  }
  for await (const app of rowsOf(client, 'cmdb_ci_business_app', appFilter, ['sys_id'], signal)) {
    batch.push(app.sys_id)
    if (batch.length >= APPLICATION_BATCH) await walk()
  }
  if (batch.length > 0) await walk()
}

export class SamGraphRules implements ServiceNowGraphRules {
  readonly #stage: GraphStage

  constructor(stage: GraphStage) {
    this.#stage = stage
  }

  describe(entity: string) {
    return describeGraphRules(entity)
  }

  async *read(
    client: ServiceNowClient,
    conn: ConnectionContext<ServiceNowSettings>,
    entity: string,
    request: ReadRequest,
  ): AsyncIterable<Page> {
    const rules = rulesFor(entity, request.graphRules ?? [])
    const related = rules.some((a) => a.rule.fromApplications)
    const signal = conn.signal
    let state: ReadState = request.cursor
      ? decodeState(request.cursor)
      : { v: 1, key: randomUUID(), phase: 'stage', rule: 0, after: null }
    if (state.phase === 'stage') {
      await this.#stage.open(state.key)
      for (let i = state.rule; i < rules.length; i++) {
        const buffer = new PairBuffer(this.#stage, state.key)
        await stageRule(client, buffer, rules[i] as AppliedRule, signal)
        await buffer.flush()
        // a checkpoint: a restart walks the rules after this one only
        state = { ...state, rule: i + 1 }
        yield { records: [], cursor: encodeState(state) }
      }
      state = { ...state, phase: 'items', after: null }
    }
    const fields = tableFields(request.fields)
    let handed = 0
    for (;;) {
      const items = await this.#stage.items(state.key, state.after, ITEM_PAGE)
      if (items.length === 0) break
      const rows = await rowsIn(client, entity, 'sys_id', items, fields, request.filter, signal)
      const applications = related ? await this.#stage.applications(state.key, items) : undefined
      const records = rows
        .sort((x, y) => (x.sys_id < y.sys_id ? -1 : x.sys_id > y.sys_id ? 1 : 0))
        .map((row) => toSource(row, applications ? (applications.get(row.sys_id) ?? []) : undefined))
      state = { ...state, after: items.at(-1) as string }
      handed += records.length
      if (request.limit !== undefined && handed >= request.limit) {
        yield { records: records.slice(0, records.length - (handed - request.limit)), cursor: null }
        return
      }
      yield { records, cursor: encodeState(state) }
    }
    await this.#stage.drop(state.key)
    // a graph rule has no delta of its own: every read walks the graph again
    yield { records: [], cursor: null, watermark: null }
  }

  async lookup(
    client: ServiceNowClient,
    conn: ConnectionContext<ServiceNowSettings>,
    entity: string,
    request: LookupRequest,
  ): Promise<SourceRecord[]> {
    const rules = rulesFor(entity, request.graphRules ?? [])
    const signal = conn.signal
    const field = request.ids ? 'sys_id' : request.field
    const values = [...new Set(request.ids ?? request.values ?? [])].filter((v) => v !== '' && !v.includes('^'))
    if (!field || values.length === 0) return []
    const fields = tableFields(request.fields)
    const candidates = await rowsIn(client, entity, field, values, fields, request.filter, signal)
    const ids = candidates.map((r) => r.sys_id)
    const passed = new Set<string>()
    const applications = new Map<string, Set<string>>()
    for (const a of rules) {
      const usages = (await usagesOfModels(client, a, ids, signal)).filter((u) => u.model && u.ci)
      if (!a.rule.fromApplications) {
        for (const u of usages) passed.add(u.model)
        continue
      }
      const appsOfCi = await applicationsReaching(client, a, [...new Set(usages.map((u) => u.ci))], signal)
      for (const u of usages) {
        for (const app of appsOfCi.get(u.ci) ?? []) {
          passed.add(u.model)
          const set = applications.get(u.model) ?? new Set<string>()
          set.add(app)
          applications.set(u.model, set)
        }
      }
    }
    const related = rules.some((a) => a.rule.fromApplications)
    return candidates
      .filter((row) => passed.has(row.sys_id))
      .map((row) => toSource(row, related ? [...(applications.get(row.sys_id) ?? [])] : undefined))
  }
}

/** The models a usage row names: one reference, or each of a glide list's. */
function modelsOf(rule: GraphRule, row: SnRecord): string[] {
  const value = refValue(row[rule.usage.modelField])
  return rule.usage.list ? value.split(',').filter((v) => v !== '') : value ? [value] : []
}

/** The usages (model, CI) of `models`, the rule's filter applied where it narrows usages. */
async function usagesOfModels(
  client: ServiceNowClient,
  a: AppliedRule,
  models: readonly string[],
  signal?: AbortSignal,
) {
  const { usage } = a.rule
  const filter = a.rule.filterApplies === 'usages' ? a.ref.filter : undefined
  const fields = [usage.ciField, usage.modelField]
  const asked = new Set(models)
  // a glide list holds several references: IN compares the whole value, LIKE finds one of them;
  // where the field is a plain reference (some releases, the emulator) IN finds it
  const rows = usage.list
    ? (
        await Promise.all(
          chunks(models).map(async (chunk) => {
            const anyOf = [
              queryInList(usage.modelField, chunk),
              ...chunk.map((id) => `${usage.modelField}LIKE${id}`),
            ].join('^OR')
            const found: SnRecord[] = []
            for await (const row of rowsOf(client, usage.table, combineQuery(filter, [anyOf]), fields, signal))
              found.push(row)
            return found
          }),
        )
      ).flat()
    : await rowsIn(client, usage.table, usage.modelField, models, fields, filter, signal)
  return rows.flatMap((row) =>
    modelsOf(a.rule, row)
      .filter((model) => asked.has(model))
      .map((model) => ({ model, ci: refValue(row[usage.ciField]) })),
  )
}

/** For each of `cis`, the business applications (under the rule's application filter) that reach it. */
async function applicationsReaching(
  client: ServiceNowClient,
  a: AppliedRule,
  cis: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>()
  if (cis.length === 0) return out
  const reaching = await reachingTo(client, cis, a.hops, signal)
  const appFilter = a.rule.filterApplies === 'applications' ? a.ref.filter : undefined
  // rowsIn batches the ids itself
  const apps = await rowsIn(
    client,
    'cmdb_ci_business_app',
    'sys_id',
    [...reaching.keys()],
    ['sys_id'],
    appFilter,
    signal,
  )
  for (const { sys_id: app } of apps)
    for (const ci of reaching.get(app) ?? []) {
      const set = out.get(ci) ?? new Set<string>()
      set.add(app)
      out.set(ci, set)
    }
  return out
}

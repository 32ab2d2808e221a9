// The connector conformance suite: what connectors/README.md promises of every connector, checked
// against the connector's own emulator. A connector's test calls `conformance(t, subject)` with the
// connector, a way to start its emulator and a few facts (what to read, what to write, how to
// change records for a delta); `runConformance(subject)` gives the same checks as data, which is
// how test/conformance/broken.test.ts shows that each check can fail.
//
// Checks, each named in the report:
//   settings   the emulator's settings fit configSchema; secretFields are exactly the `secret: true` settings
//   check      check() answers ok on the emulator, and { ok: false } (not a throw) with a wrong secret
//   discover   entities with unique field names of the kernel's field types; the read fields exist
//   read       a full read pages to the end: a cursor on every page but the last, no record twice
//   resume     a read stopped after any page and resumed from its cursor gives every record once
//   delta      the last page carries a watermark, and a read since it returns what changed meanwhile
//   write      one result per change, by key; a failed change fails alone, with a CW_ code;
//              the operations the facts claim idempotent give the same answer when repeated
//   cancel     an aborted signal stops a read: it rejects, before or after its first page
//   secrets    no secret value in any log line, check message or error met along the way
import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { Value } from 'typebox/value'
import type {
  ChangeOperation,
  ChangeResult,
  ConnectionContext,
  Connector,
  ConnectorLogger,
  EmulatorHandle,
  FieldType,
  Page,
  ReadRequest,
} from '../../core/connector/contract.ts'

export type CheckName = 'settings' | 'check' | 'discover' | 'read' | 'resume' | 'delta' | 'write' | 'cancel' | 'secrets'

export interface ReadCase {
  /** how the report names this read (default: the entity) */
  name?: string
  entity: string
  /** fields, filter, graph rules; the suite sets cursor and since */
  request?: Omit<ReadRequest, 'cursor' | 'since' | 'limit'>
  /** a full read must give at least this many pages, so that resuming is put to the test (default 3) */
  minPages?: number
}

export interface ConformanceSubject<Settings = Record<string, unknown>> {
  connector: Connector<Settings>
  /** starts the seeded system the suite runs against (default: the connector's own emulator()) */
  emulator?: () => Promise<EmulatorHandle>
  /** the entity every read check uses; its page size (a setting) should make a few pages */
  read: ReadCase
  /** more reads checked for paging and resuming (graph rules, other entities) */
  moreReads?: readonly ReadCase[]
  /**
   * The connector reads deltas: `change` changes or creates records the way someone else would,
   * after a full read, and names them. `conn` is the connection the suite reads with (a client that
   * learns the system's clock from its answers may need one after the emulator's clock moved).
   */
  delta?: {
    entity?: string
    change(handle: EmulatorHandle, conn: ConnectionContext<Settings>): Promise<string[]>
  }
  /** the connector writes: values of the n-th record to create, and of an update to it */
  write?: {
    entity: string
    create(n: number): Record<string, unknown>
    update(n: number): Record<string, unknown>
    /** operations that may be repeated with the same answer (a create by the identity field) */
    idempotent: readonly ChangeOperation[]
  }
}

export interface CheckReport {
  check: CheckName
  problems: string[]
}

const FIELD_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'string',
  'integer',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'reference',
  'choice',
  'json',
  'list',
  'lifecycle',
  'externalId',
  'tags',
  'subscriptions',
  'relation',
])

/** pages a read may take before the suite calls it endless */
const MAX_PAGES = 500
/** an entity no system has */
const MISSING_ENTITY = 'cw_conformance_missing'
const CODE = /^CW_[A-Z0-9_]+$/

/** Everything said along the way, as text: log lines, check messages, errors with their causes. */
class Transcript {
  readonly lines: string[] = []
  logger(): ConnectorLogger {
    const say = (level: string) => (obj: object | string, msg?: string) => this.add(level, obj, msg ?? '')
    return { debug: say('debug'), info: say('info'), warn: say('warn'), error: say('error') }
  }
  add(...parts: unknown[]): void {
    this.lines.push(parts.map(text).join(' '))
  }
}

/** An error as a log line would carry it: message, code, stack, own properties, causes. */
function text(value: unknown): string {
  const seen = new Set<unknown>()
  const replacer = (_key: string, v: unknown): unknown => {
    if (typeof v === 'bigint') return String(v)
    if (v && typeof v === 'object') {
      if (seen.has(v)) return '[seen]'
      seen.add(v)
      if (v instanceof Error) {
        return { ...v, name: v.name, message: v.message, stack: v.stack, cause: (v as { cause?: unknown }).cause }
      }
    }
    return v
  }
  return typeof value === 'string' ? value : (JSON.stringify(value, replacer) ?? String(value))
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function secretSettingsOf(connector: Connector<unknown>): string[] {
  const properties = connector.configSchema.properties as Record<string, { secret?: unknown }>
  return Object.entries(properties)
    .filter(([, schema]) => schema.secret === true)
    .map(([name]) => name)
}

export async function runConformance<Settings>(subject: ConformanceSubject<Settings>): Promise<CheckReport[]> {
  const connector = subject.connector as Connector<Record<string, unknown>>
  const transcript = new Transcript()
  const handle = await (subject.emulator ?? (() => connector.emulator?.() ?? missingEmulator(connector.name)))()
  const reports: CheckReport[] = []
  try {
    const all = handle.connectionSettings
    const secretNames = new Set(connector.secretFields)
    const settings = Object.fromEntries(Object.entries(all).filter(([k]) => !secretNames.has(k)))
    const secrets = Object.fromEntries(
      Object.entries(all).filter(([k, v]) => secretNames.has(k) && typeof v === 'string') as Array<[string, string]>,
    )
    const context = (overrides: Partial<ConnectionContext> = {}): ConnectionContext => ({
      id: 'conformance',
      name: 'conformance',
      settings,
      secrets,
      logger: transcript.logger(),
      ...overrides,
    })
    const run = async (check: CheckName, fn: (problems: string[]) => Promise<void>) => {
      const problems: string[] = []
      try {
        await fn(problems)
      } catch (error) {
        transcript.add(error)
        problems.push(`threw: ${messageOf(error)}`)
      }
      reports.push({ check, problems })
    }
    const wrongSecrets = Object.fromEntries(Object.keys(secrets).map((k) => [k, `wrong-${randomUUID()}`]))

    await run('settings', async (problems) => {
      // as the admin API stores them: defaults filled in
      const stored = Value.Default(connector.configSchema, structuredClone(all))
      if (!Value.Check(connector.configSchema, stored)) {
        const first = [...Value.Errors(connector.configSchema, stored)][0]
        problems.push(`the emulator's settings do not fit configSchema: ${first?.instancePath} ${first?.message}`)
      }
      const marked = secretSettingsOf(connector).sort()
      const listed = [...connector.secretFields].sort()
      if (marked.join() !== listed.join())
        problems.push(`secretFields [${listed}] are not the settings marked secret [${marked}]`)
      if (Object.keys(secrets).length === 0) problems.push('the emulator connection has no secret to keep out of logs')
    })

    await run('check', async (problems) => {
      const good = await connector.check(context())
      transcript.add(good)
      if (!good.ok) problems.push(`check() on the emulator failed: ${good.message}`)
      if (!good.message) problems.push('check() answered without a message')
      if (Object.keys(wrongSecrets).length === 0) return
      try {
        const bad = await connector.check(context({ id: 'conformance-wrong', secrets: wrongSecrets }))
        transcript.add(bad)
        if (bad.ok) problems.push('check() with a wrong secret answered ok')
        if (!bad.message) problems.push('check() with a wrong secret answered without a message')
      } catch (error) {
        transcript.add(error)
        problems.push(`check() with a wrong secret threw instead of answering { ok: false }: ${messageOf(error)}`)
      }
    })

    await run('discover', async (problems) => {
      if (!connector.discover) return void problems.push('no discover()')
      const wanted = [subject.read.entity, ...(subject.write ? [subject.write.entity] : [])]
      const entities = await connector.discover(context(), wanted)
      for (const name of wanted)
        if (!entities.some((e) => e.name === name)) problems.push(`discover() does not describe ${name}`)
      for (const entity of entities) {
        const names = new Set<string>()
        for (const field of entity.fields) {
          if (names.has(field.name)) problems.push(`${entity.name}.${field.name} is described twice`)
          names.add(field.name)
          if (!FIELD_TYPES.has(field.type)) problems.push(`${entity.name}.${field.name} has type ${String(field.type)}`)
          if (field.choices && !field.choices.every((c) => typeof c.value === 'string'))
            problems.push(`${entity.name}.${field.name} has a choice without a string value`)
        }
        if (entity.name === subject.read.entity) {
          for (const f of subject.read.request?.fields ?? [])
            if (!names.has(f)) problems.push(`${entity.name}.${f} is read but not discovered`)
        }
      }
    })

    const reads = [subject.read, ...(subject.moreReads ?? [])]
    const full = new Map<ReadCase, Page[]>()
    await run('read', async (problems) => {
      for (const c of reads) {
        const where = c.name ?? c.entity
        const pages = await readPages(connector, context(), c.entity, { ...c.request })
        full.set(c, pages)
        problems.push(...pageProblems(where, pages))
        if (pages.length < (c.minPages ?? 3))
          problems.push(`${where}: ${pages.length} pages; the facts ask for at least ${c.minPages ?? 3}`)
        if (pages.flatMap((p) => p.records).length === 0) problems.push(`${where}: the read gave no record`)
      }
    })

    await run('resume', async (problems) => {
      for (const c of reads) {
        const where = c.name ?? c.entity
        const pages = full.get(c)
        if (!pages) continue
        const expected = new Set(pages.flatMap((p) => p.records.map((r) => r.id)))
        for (let k = 1; k < pages.length; k++) {
          // a read stopped after k pages (its process gone), then resumed from the cursor it kept
          const first = await readPages(connector, context(), c.entity, { ...c.request }, k)
          const cursor = first.at(-1)?.cursor
          if (!cursor) {
            problems.push(`${where}: page ${k} of a second read has no cursor`)
            continue
          }
          const rest = await readPages(connector, context(), c.entity, { ...c.request, cursor })
          const ids = [...first, ...rest].flatMap((p) => p.records.map((r) => r.id))
          const seen = new Set<string>()
          for (const id of ids) {
            if (seen.has(id)) problems.push(`${where}: resumed after page ${k}, ${id} came twice`)
            seen.add(id)
          }
          for (const id of expected)
            if (!seen.has(id)) problems.push(`${where}: resumed after page ${k}, ${id} was lost`)
          for (const id of seen)
            if (!expected.has(id)) problems.push(`${where}: resumed after page ${k}, ${id} is not in a full read`)
        }
      }
    })

    if (subject.delta) {
      const delta = subject.delta
      await run('delta', async (problems) => {
        const entity = delta.entity ?? subject.read.entity
        const pages = await readPages(connector, context(), entity, {})
        const watermark = pages.at(-1)?.watermark
        if (typeof watermark !== 'string' || watermark === '')
          return void problems.push('the last page of a full read carries no watermark')
        const changed = await delta.change(handle, context() as ConnectionContext<Settings>)
        if (changed.length === 0) problems.push('the facts changed nothing')
        const since = await readPages(connector, context(), entity, { since: watermark })
        problems.push(...pageProblems(`${entity} since the watermark`, since))
        const got = new Set(since.flatMap((p) => p.records.map((r) => r.id)))
        for (const id of changed) if (!got.has(id)) problems.push(`${id} changed, but the delta does not return it`)
        if (typeof since.at(-1)?.watermark !== 'string') problems.push('the last page of a delta carries no watermark')
      })
    }

    if (subject.write) {
      const facts = subject.write
      await run('write', async (problems) => {
        if (!connector.write) return void problems.push('no write()')
        const write = connector.write.bind(connector)
        const entity = facts.entity
        const identity = connector.identityField?.(context(), entity)
        const tag = randomUUID().slice(0, 8)
        const createValues = (n: number) => ({
          ...facts.create(n),
          ...(identity ? { [identity]: `cw-conformance-${tag}-${n}` } : {}),
        })
        // shaped like an id the system could have made (a sys_id, a UUID), so that it is looked up and not found
        const missing = randomUUID().replaceAll('-', '')
        const batch = [
          { op: 'create' as const, key: 'a', values: createValues(1) },
          { op: 'update' as const, key: 'ghost', id: missing, values: facts.update(9) },
          { op: 'create' as const, key: 'b', values: createValues(2) },
        ]
        const results = await write(context(), entity, batch)
        transcript.add(results)
        problems.push(
          ...resultProblems(
            batch.map((c) => c.key),
            results,
          ),
        )
        const by = new Map(results.map((r) => [r.key, r]))
        const a = by.get('a')
        const b = by.get('b')
        const ghost = by.get('ghost')
        if (!a?.ok || !a.id || !b?.ok || !b.id)
          return void problems.push(`creates beside a failing update did not work: ${text([a, b])}`)
        if (ghost?.ok) problems.push(`an update of a record that does not exist (${missing}) answered ok`)
        else if (!ghost?.error || !CODE.test(ghost.error.code))
          problems.push(`a failed change has no CW_ code: ${text(ghost?.error)}`)
        else if (typeof ghost.error.message !== 'string' || ghost.error.message === '')
          problems.push('a failed change has no message')
        const steps: Array<{ op: ChangeOperation; change: Parameters<typeof write>[2][number] }> = [
          { op: 'create', change: { op: 'create', key: 'a', values: createValues(1) } },
          { op: 'update', change: { op: 'update', key: 'a', id: a.id, values: facts.update(1) } },
          { op: 'delete', change: { op: 'delete', key: 'b', id: b.id } },
        ]
        for (const { op, change } of steps) {
          if (op === 'create' && !facts.idempotent.includes('create')) continue
          const times = facts.idempotent.includes(op) ? 2 : 1
          for (let i = 0; i < times; i++) {
            const [result, ...more] = await write(context(), entity, [change])
            transcript.add(result)
            if (!result || more.length > 0 || result.key !== change.key)
              problems.push(`${op}: not one result for one change`)
            else if (!result.ok)
              problems.push(`${op}${i > 0 ? ' repeated' : ''} failed: ${result.error?.code} ${result.error?.message}`)
            else if (op === 'create' && result.id !== a.id)
              problems.push(`a create repeated with the same ${identity} made ${result.id}, not ${a.id}`)
          }
        }
        if (connector.lookup) {
          const found = await connector.lookup(context(), entity, { ids: [a.id, b.id] })
          const ids = found.map((r) => r.id)
          if (ids.filter((id) => id === a.id).length !== 1) problems.push(`${a.id} is not found once after its update`)
          if (ids.includes(b.id)) problems.push(`${b.id} is still found after its delete`)
        }
        if (facts.idempotent.includes('create') && !identity)
          problems.push('creates are said to be idempotent, but the connector names no identity field')
      })
    }

    await run('cancel', async (problems) => {
      const before = new AbortController()
      before.abort(new Error('cancelled by the conformance suite'))
      const early = await drain(connector, context({ signal: before.signal }), subject.read, Infinity)
      if (early.records > 0) problems.push(`a read cancelled before it began gave ${early.records} records`)
      if (!early.rejected) problems.push('a read cancelled before it began did not reject')
      const during = new AbortController()
      const late = await drain(connector, context({ signal: during.signal }), subject.read, 1, () => during.abort())
      if (late.completed) problems.push('a read cancelled after its first page still claimed to be complete')
      else if (!late.rejected) problems.push(`a read cancelled after its first page went on for ${late.after} pages`)
    })

    await run('secrets', async (problems) => {
      // errors a connector raises on bad input, for the scan below
      try {
        await readPages(connector, context(), MISSING_ENTITY, {})
      } catch (error) {
        transcript.add(error)
      }
      try {
        await readPages(connector, context({ id: 'conformance-wrong', secrets: wrongSecrets }), subject.read.entity, {})
      } catch (error) {
        transcript.add(error)
      }
      const values = [...Object.values(secrets), ...Object.values(wrongSecrets)].filter((v) => v.length >= 4)
      for (const line of transcript.lines) {
        for (const value of values) {
          if (line.includes(value))
            problems.push(`a secret appears in: ${line.replaceAll(value, '<secret>').slice(0, 200)}`)
        }
      }
    })
  } finally {
    await handle.close()
  }
  return reports
}

function missingEmulator(name: string): never {
  throw new Error(`connector ${name} has no emulator(); give the suite one`)
}

/** The pages of a read, or its first `stopAfter` pages (the read then abandoned). */
async function readPages(
  connector: Connector<Record<string, unknown>>,
  conn: ConnectionContext,
  entity: string,
  request: ReadRequest,
  stopAfter = MAX_PAGES,
): Promise<Page[]> {
  if (!connector.read) throw new Error(`connector ${connector.name} has no read()`)
  const pages: Page[] = []
  for await (const page of connector.read(conn, entity, request)) {
    pages.push(page)
    if (pages.length >= stopAfter) break
  }
  return pages
}

function pageProblems(where: string, pages: readonly Page[]): string[] {
  const problems: string[] = []
  if (pages.length >= MAX_PAGES) problems.push(`${where}: no end after ${MAX_PAGES} pages`)
  const last = pages.at(-1)
  if (!last) return [`${where}: the read gave no page`]
  if (last.cursor !== null) problems.push(`${where}: the last page has a cursor`)
  pages.slice(0, -1).forEach((p, i) => {
    if (typeof p.cursor !== 'string' || p.cursor === '')
      problems.push(`${where}: page ${i + 1} of ${pages.length} has no cursor`)
  })
  const seen = new Set<string>()
  for (const record of pages.flatMap((p) => p.records)) {
    if (typeof record.id !== 'string' || record.id === '') problems.push(`${where}: a record without an id`)
    else if (seen.has(record.id)) problems.push(`${where}: ${record.id} came twice`)
    seen.add(record.id)
  }
  return problems
}

function resultProblems(keys: readonly string[], results: readonly ChangeResult[]): string[] {
  const problems: string[] = []
  if (results.length !== keys.length) problems.push(`${keys.length} changes, ${results.length} results`)
  for (const key of keys) {
    const n = results.filter((r) => r.key === key).length
    if (n !== 1) problems.push(`change ${key} has ${n} results`)
  }
  return problems
}

/** Reads until the end, rejecting or done; `onPage` runs after the `at`-th page. */
async function drain(
  connector: Connector<Record<string, unknown>>,
  conn: ConnectionContext,
  c: ReadCase,
  at: number,
  onPage?: () => void,
): Promise<{ records: number; rejected: boolean; completed: boolean; after: number }> {
  let records = 0
  let n = 0
  let after = 0
  let completed = false
  try {
    if (!connector.read) throw new Error('no read()')
    for await (const page of connector.read(conn, c.entity, { ...c.request })) {
      n += 1
      if (n > at) {
        after += 1
        if (page.cursor === null) completed = true
      } else records += page.records.length
      if (n === at) onPage?.()
      if (n >= MAX_PAGES) break
    }
  } catch {
    return { records, rejected: true, completed, after }
  }
  return { records, rejected: false, completed, after }
}

/** The suite as tap subtests, one per check: each passes when it found no problem. */
export async function conformance<Settings>(t: Test, subject: ConformanceSubject<Settings>): Promise<CheckReport[]> {
  const reports = await runConformance(subject)
  for (const report of reports) {
    t.test(`${subject.connector.name}: ${report.check}`, (t) => {
      t.same(report.problems, [], report.check)
      t.end()
    })
  }
  return reports
}

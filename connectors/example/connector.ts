// The Example connector: the contract (core/connector/contract.ts) over its client. Made by
// `npm run new:connector`; connectors/README.md says what each method must do, and
// test/conformance/example.test.ts checks it against the emulator (emulator.ts).
// One client per connection is kept (core/http/client-cache.ts), rebuilt when the connection's
// settings or token change.
import { createHash } from 'node:crypto'
import { ClientCache, type CacheEntry } from '../../core/http/client-cache.ts'
import type { EgressPolicy } from '../../core/http/egress.ts'
import type {
  Change,
  ChangeResult,
  CheckResult,
  ConnectionContext,
  Connector,
  EmulatorHandle,
  EmulatorOptions,
  EntityDescription,
  LookupRequest,
  Page,
  ReadRequest,
  SourceRecord,
} from '../../core/connector/contract.ts'
import { isRetryable } from '../../core/retryable.ts'
import { ExampleClient } from './client.ts'
import { ExampleErrors } from './errors.ts'
import { EXAMPLE_SECRET_FIELDS, ExampleSettingsSchema, withDefaults, type ExampleSettings } from './settings.ts'

export const EXAMPLE_CONNECTOR_VERSION = '0.1.0'

export interface ExampleConnectorOptions {
  /** the hub's egress settings, given to every client */
  egress?: EgressPolicy
  /** hears a replaced client that failed to close */
  log?: { warn(obj: object, msg?: string): void }
}

export type ExampleConnector = Connector<ExampleSettings> &
  Required<Pick<Connector<ExampleSettings>, 'discover' | 'read' | 'write' | 'lookup' | 'emulator'>> & {
    close(): Promise<void>
  }

/** Where a read resumes: after the id `after`, in a full read or a delta since `since`. */
interface ReadState {
  v: 1
  after: string | null
  since: string | null
  /** the watermark the read will hand over at its end: the server's time when it began */
  watermark: string
}

function encodeCursor(state: ReadState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url')
}

function decodeCursor(cursor: string): ReadState {
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as ReadState
    if (state.v === 1 && typeof state.watermark === 'string') return state
  } catch {
    // reported below
  }
  throw new ExampleErrors.CURSOR_INVALID(cursor.slice(0, 40))
}

export function createExampleConnector(options: ExampleConnectorOptions = {}): ExampleConnector {
  const clients = new ClientCache<ExampleClient>((err) =>
    options.log?.warn({ err }, 'a replaced Example client did not close'),
  )

  function settingsOf(conn: ConnectionContext<ExampleSettings>): ExampleSettings {
    const settings = withDefaults({ ...(conn.settings as unknown as Record<string, unknown>) })
    const apiToken = conn.secrets.apiToken ?? settings.apiToken
    if (!apiToken) throw new ExampleErrors.SETTINGS_INVALID('apiToken is missing')
    if (/^http:/i.test(settings.baseUrl) && !settings.allowHttp) {
      throw new ExampleErrors.SETTINGS_INVALID(`${settings.baseUrl} is not https; set allowHttp for a local emulator`)
    }
    return { ...settings, apiToken }
  }

  function entryOf(conn: ConnectionContext<ExampleSettings>): CacheEntry<ExampleClient> {
    const s = settingsOf(conn)
    const fingerprint = createHash('sha256').update(JSON.stringify(s)).digest('hex')
    const build = () =>
      new ExampleClient({
        baseUrl: s.baseUrl,
        apiToken: s.apiToken,
        timeoutMs: s.timeoutMs,
        ...(options.egress ? { egress: options.egress } : {}),
      })
    return { key: conn.id, fingerprint, build }
  }

  function use<T>(conn: ConnectionContext<ExampleSettings>, fn: (client: ExampleClient) => Promise<T>): Promise<T> {
    return clients.use(entryOf(conn), fn)
  }

  async function check(conn: ConnectionContext<ExampleSettings>): Promise<CheckResult> {
    let where = '?'
    try {
      where = settingsOf(conn).baseUrl
      const me = await use(conn, (client) => client.me(conn.signal))
      return { ok: true, message: `Connected to ${where} as ${me.user}` }
    } catch (error) {
      const code = (error as { code?: string }).code
      const message = (error as Error).message
      if (isRetryable(error)) {
        return {
          ok: false,
          message: `Cannot reach Example at ${where}: ${message}; check baseUrl and the network`,
          code,
        }
      }
      return { ok: false, message, ...(code ? { code } : {}) }
    }
  }

  async function discover(
    conn: ConnectionContext<ExampleSettings>,
    entities?: readonly string[],
  ): Promise<EntityDescription[]> {
    const all = await use(conn, (client) => client.entities(conn.signal))
    return all
      .filter((e) => !entities || entities.length === 0 || entities.includes(e.name))
      .map((e) => ({
        name: e.name,
        ...(e.label ? { label: e.label } : {}),
        fields: e.fields.map((f) => ({ name: f.name, type: f.type, ...(f.readOnly ? { readOnly: true } : {}) })),
      }))
  }

  async function* read(
    conn: ConnectionContext<ExampleSettings>,
    entity: string,
    request: ReadRequest,
  ): AsyncIterable<Page> {
    const s = settingsOf(conn)
    const limit = request.limit !== undefined ? Math.max(1, Math.min(request.limit, s.pageSize)) : s.pageSize
    yield* clients.iterate(entryOf(conn), async function* (client) {
      let state: ReadState | undefined = request.cursor ? decodeCursor(request.cursor) : undefined
      for (;;) {
        const page = await client.list(
          entity,
          { after: state?.after ?? null, since: state ? state.since : (request.since ?? null), limit },
          conn.signal,
        )
        // the first answer's time is the watermark: what changes from then on is in the next delta
        state ??= { v: 1, after: null, since: request.since ?? null, watermark: page.asOf }
        const records = page.records.map((r) => project(r, request.fields))
        if (page.next === null) {
          yield { records, cursor: null, watermark: state.watermark }
          return
        }
        state = { ...state, after: page.next }
        yield { records, cursor: encodeCursor(state) }
      }
    })
  }

  async function lookup(
    conn: ConnectionContext<ExampleSettings>,
    entity: string,
    request: LookupRequest,
  ): Promise<SourceRecord[]> {
    const ids = [...new Set(request.ids ?? [])]
    if (ids.length === 0) return []
    const page = await use(conn, (client) => client.list(entity, { ids, limit: ids.length }, conn.signal))
    return page.records.map((r) => project(r, request.fields))
  }

  async function write(
    conn: ConnectionContext<ExampleSettings>,
    entity: string,
    changes: Change[],
  ): Promise<ChangeResult[]> {
    return use(conn, async (client) => {
      const results: ChangeResult[] = []
      // one at a time, each with its own result: a failed change never fails the others
      for (const change of changes) results.push(await apply(client, conn, entity, change))
      return results
    })
  }

  async function apply(
    client: ExampleClient,
    conn: ConnectionContext<ExampleSettings>,
    entity: string,
    change: Change,
  ): Promise<ChangeResult> {
    try {
      if (change.op === 'create') {
        const record = await client.create(entity, change.values ?? {}, conn.signal)
        return { key: change.key, ok: true, id: record.id, record }
      }
      if (!change.id) throw new ExampleErrors.SETTINGS_INVALID(`an ${change.op} needs the record's id`)
      if (change.op === 'update') {
        const record = await client.update(entity, change.id, change.values ?? {}, conn.signal)
        return { key: change.key, ok: true, id: record.id, record }
      }
      await client.delete(entity, change.id, conn.signal)
      return { key: change.key, ok: true, id: change.id }
    } catch (error) {
      const e = error as Error & { code?: string }
      return {
        key: change.key,
        ok: false,
        error: {
          code: e.code ?? new ExampleErrors.REQUEST_FAILED().code,
          message: e.message,
          retryable: isRetryable(e),
        },
      }
    }
  }

  return {
    name: 'example',
    title: 'Example',
    version: EXAMPLE_CONNECTOR_VERSION,
    configSchema: ExampleSettingsSchema,
    secretFields: EXAMPLE_SECRET_FIELDS,
    capabilities: ['discover', 'read', 'write', 'lookup', 'emulator'],
    check,
    discover,
    read,
    write,
    lookup,
    displayField: () => 'name',
    /** a seeded local Example for tests and the sandbox; loaded only when called */
    async emulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
      const { startExampleEmulator } = await import('./emulator.ts')
      return startExampleEmulator(options)
    },
    close: () => clients.close(),
  }
}

/** The record with only the fields asked for (and its id). */
function project(
  record: Record<string, unknown> & { id: string },
  fields: readonly string[] | undefined,
): SourceRecord {
  if (!fields) return record
  const out: SourceRecord = { id: record.id }
  for (const f of fields) if (f in record) out[f] = record[f]
  return out
}

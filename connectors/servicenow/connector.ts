// The ServiceNow CMDB connector: the contract (core/connector/contract.ts) over the Table API
// client. One client per connection is kept (core/http/client-cache.ts), so that its pool, token
// and concurrency limit are shared by every call; it is rebuilt when the connection's settings or
// secrets change, and the one it replaces is closed once the operations holding it are done.
import { createHash } from 'node:crypto'
import { ClientCache } from '../../core/http/client-cache.ts'
import type { CacheEntry, ClientLease } from '../../core/http/client-cache.ts'
import type { EgressPolicy } from '../../core/http/egress.ts'
import { isEgressRefusal } from '../../core/http/egress-guard.ts'
import type {
  Change,
  ChangeResult,
  CheckResult,
  ConnectionContext,
  Connector,
  EmulatorHandle,
  EmulatorOptions,
  EntityDescription,
  GraphRuleDescription,
  LookupRequest,
  Page,
  ReadRequest,
  SourceRecord,
} from '../../core/connector/contract.ts'
import { ServiceNowClient } from './client/client.ts'
import type { AuthOptions, ServiceNowClientOptions } from './client/options.ts'
import type { WriteChange } from './client/table-write.ts'
import { conjoinQueries, matchesEncodedQuery, parseEncodedQuery, printEncodedQuery } from './encoded-query/index.ts'
import { combine, condition as encodeEquals, inList } from './client/query.ts'
import { ServiceNowErrors } from './errors.ts'
import { DEFAULT_TABLES, SERVICENOW_SECRET_FIELDS, ServiceNowSettingsSchema, withDefaults } from './settings.ts'
import type { ServiceNowSettings } from './settings.ts'

export const SERVICENOW_CONNECTOR_VERSION = '0.1.0'
/** ids or values per lookup request: keeps the URL well under what instances and proxies accept */
const LOOKUP_CHUNK = 100

export interface ServiceNowConnectorOptions {
  /** the hub's egress settings, given to every client */
  egress?: EgressPolicy
  /** hears a replaced client that failed to close */
  log?: { warn(obj: object, msg?: string): void }
  /** test seam: extra client options (sleep, clock, backoff) */
  clientOptions?: Partial<ServiceNowClientOptions>
}

/**
 * Graph rules (LeanIX's graph-rule constraints) computed over several tables, supplied by another
 * plugin (ServiceNow SAM): the connector lists them and hands it every read and lookup that
 * carries rules, with the connection's client held for as long as it runs.
 */
export interface ServiceNowGraphRules {
  describe(entity: string): readonly GraphRuleDescription[]
  read(
    client: ServiceNowClient,
    conn: ConnectionContext<ServiceNowSettings>,
    entity: string,
    request: ReadRequest,
  ): AsyncIterable<Page>
  lookup(
    client: ServiceNowClient,
    conn: ConnectionContext<ServiceNowSettings>,
    entity: string,
    request: LookupRequest,
  ): Promise<SourceRecord[]>
}

export type ServiceNowConnector = Connector<ServiceNowSettings> &
  Required<
    Pick<
      Connector<ServiceNowSettings>,
      'discover' | 'read' | 'write' | 'lookup' | 'matches' | 'emulator' | 'graphRules'
    >
  > & {
    /** supplies the graph rules reads and lookups may carry (the last one given counts) */
    useGraphRules(provider: ServiceNowGraphRules): void
    /** the cached client of a connection (created on first use) */
    clientFor(conn: ConnectionContext<ServiceNowSettings>): ServiceNowClient
    /** `fn` with the connection's client held, so that a settings change meanwhile does not close it */
    withClient<T>(conn: ConnectionContext<ServiceNowSettings>, fn: (client: ServiceNowClient) => Promise<T>): Promise<T>
    close(): Promise<void>
  }

function secret(
  conn: ConnectionContext<ServiceNowSettings>,
  s: ServiceNowSettings,
  name: (typeof SERVICENOW_SECRET_FIELDS)[number],
) {
  return conn.secrets[name] ?? s[name]
}

/** Client options from a connection's settings and secrets; CW_SN_CONFIG_INVALID when something is missing. */
export function clientOptionsOf(conn: ConnectionContext<ServiceNowSettings>): ServiceNowClientOptions {
  const s = withDefaults(conn.settings)
  let auth: AuthOptions
  if (s.authKind === 'basic') {
    const password = secret(conn, s, 'password')
    if (!s.username || !password) throw new ServiceNowErrors.CONFIG_INVALID('basic auth needs username and password')
    auth = { kind: 'basic', username: s.username, password }
  } else {
    const clientSecret = secret(conn, s, 'clientSecret')
    if (!s.clientId || !clientSecret) throw new ServiceNowErrors.CONFIG_INVALID('OAuth needs clientId and clientSecret')
    const password = secret(conn, s, 'password')
    const refreshToken = secret(conn, s, 'refreshToken')
    auth = {
      kind: 'oauth',
      grant: s.oauthGrant,
      clientId: s.clientId,
      clientSecret,
      ...(s.username ? { username: s.username } : {}),
      ...(password ? { password } : {}),
      ...(refreshToken ? { refreshToken } : {}),
      ...(s.oauthScope ? { scope: s.oauthScope } : {}),
    }
  }
  const proxyPassword = secret(conn, s, 'proxyPassword')
  return {
    instanceUrl: s.instanceUrl,
    auth,
    allowHttp: s.allowHttp,
    ...(s.ca ? { ca: s.ca } : {}),
    ...(s.proxyUrl
      ? {
          proxy: {
            url: s.proxyUrl,
            ...(s.proxyUsername ? { username: s.proxyUsername } : {}),
            ...(proxyPassword ? { password: proxyPassword } : {}),
          },
        }
      : {}),
    pageSize: s.pageSize,
    concurrency: s.concurrency,
    connectTimeoutMs: s.connectTimeoutMs,
    headersTimeoutMs: s.headersTimeoutMs,
    bodyTimeoutMs: s.bodyTimeoutMs,
    backoff: { maxAttempts: s.maxAttempts, baseMs: 250, capMs: s.maxRetryWaitMs },
    deltaSafetyLagSeconds: s.deltaSafetyLagSeconds,
    deltaSkipsOwnWrites: s.deltaSkipsOwnWrites,
    logger: { debug: (o, m) => conn.logger.debug(o, m), warn: (o, m) => conn.logger.warn(o, m) },
  }
}

/** What a person should do about a failed check, from the error the client raised. */
function checkAdvice(origin: string, who: string, table: string, error: unknown): string {
  const said = (error as Error).message
  // the failure a retried request's last attempt ended with, when the error wraps one
  const cause = (error as { cause?: unknown } | null)?.cause
  const E = ServiceNowErrors
  if (error instanceof E.AUTH_FAILED || error instanceof E.OAUTH_FAILED) return `${origin} refused ${who}: ${said}`
  if (error instanceof E.FORBIDDEN) {
    return `Connected to ${origin} as ${who}, but it may not read ${table}: give the user a role whose ACLs allow reading ${table} (e.g. itil, or cmdb_read for CMDB tables)`
  }
  if (error instanceof E.INVALID_TABLE || error instanceof E.NOT_FOUND) {
    return `Connected to ${origin} as ${who}, but table ${table} does not exist or is hidden from the user; check the table name and the user's roles`
  }
  if (error instanceof E.TLS_FAILED || isEgressRefusal(error)) return said
  if (error instanceof E.NOT_JSON || cause instanceof E.NOT_JSON) {
    return `${origin} answered with a web page instead of JSON: a developer instance may be hibernating (wake it in the developer portal), or an SSO or proxy page intercepts API calls`
  }
  if (error instanceof E.CONNECTION_FAILED || cause instanceof E.CONNECTION_FAILED || cause instanceof E.TIMEOUT) {
    return `Cannot reach ${origin}: ${said}; check instanceUrl, the proxy settings and the network`
  }
  return `ServiceNow check at ${origin} failed: ${said}`
}

function toSourceRecord(record: Record<string, unknown> & { sys_id: string }): SourceRecord {
  // in place, without a temporary object per row: a 1M-row read maps every row
  const source: Record<string, unknown> & { sys_id: string; id?: string } = record
  source.id = record.sys_id
  return source as SourceRecord
}

function asQueryRecord(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(record)) {
    out[key] =
      value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
  }
  return out
}

export function createServiceNowConnector(options: ServiceNowConnectorOptions = {}): ServiceNowConnector {
  const clients = new ClientCache<ServiceNowClient>((err) =>
    options.log?.warn({ err }, 'a replaced ServiceNow client did not close'),
  )

  function entryOf(conn: ConnectionContext<ServiceNowSettings>): CacheEntry<ServiceNowClient> {
    let clientOptions: ServiceNowClientOptions
    try {
      clientOptions = {
        ...clientOptionsOf(conn),
        ...(options.egress ? { egress: options.egress } : {}),
        ...options.clientOptions,
      }
    } catch (error) {
      clients.drop(conn.id) // settings now refused: the client of the old ones goes
      throw error
    }
    const { logger: _logger, ...fingerprinted } = clientOptions
    const fingerprint = createHash('sha256').update(JSON.stringify(fingerprinted)).digest('hex')
    return { key: conn.id, fingerprint, build: () => new ServiceNowClient(clientOptions) }
  }

  function clientFor(conn: ConnectionContext<ServiceNowSettings>): ServiceNowClient {
    return clients.get(entryOf(conn))
  }

  /** `fn` with the client held: a settings change meanwhile does not close it under it */
  function withClient<T>(conn: ConnectionContext<ServiceNowSettings>, fn: (client: ServiceNowClient) => Promise<T>) {
    return clients.use(entryOf(conn), fn)
  }

  async function check(conn: ConnectionContext<ServiceNowSettings>): Promise<CheckResult> {
    let lease: ClientLease<ServiceNowClient>
    let s: ServiceNowSettings
    try {
      s = withDefaults(conn.settings)
      lease = clients.lease(entryOf(conn))
    } catch (error) {
      return { ok: false, message: (error as Error).message }
    }
    try {
      return await probeTables(lease.client, s, conn.signal)
    } finally {
      lease.release()
    }
  }

  async function probeTables(
    client: ServiceNowClient,
    s: ServiceNowSettings,
    signal: AbortSignal | undefined,
  ): Promise<CheckResult> {
    const who =
      s.authKind === 'basic' ? `user ${s.username ?? '?'}` : `OAuth client ${s.clientId ?? '?'} (${s.oauthGrant})`
    const tables = s.tables && s.tables.length > 0 ? s.tables : ['sys_db_object']
    const readable: string[] = []
    for (const table of tables) {
      try {
        await client.probeTable(table, signal)
        readable.push(table)
      } catch (error) {
        return {
          ok: false,
          message: checkAdvice(client.origin, who, table, error),
          details: { readable, failed: table },
        }
      }
    }
    return {
      ok: true,
      message: `Connected to ${client.origin} as ${who}; it can read ${readable.join(', ')}`,
      details: { readable },
    }
  }

  async function discover(
    conn: ConnectionContext<ServiceNowSettings>,
    entities?: readonly string[],
  ): Promise<EntityDescription[]> {
    const s = withDefaults(conn.settings)
    const tables =
      entities && entities.length > 0 ? [...entities] : s.tables && s.tables.length > 0 ? s.tables : [...DEFAULT_TABLES]
    return withClient(conn, (client) => client.describeTables(tables, conn.signal))
  }

  let graphRuleProvider: ServiceNowGraphRules | undefined

  /** the provider of graph rules a request carries; CW_SN_GRAPH_RULES_UNAVAILABLE without one */
  function graphRulesFor(entity: string, request: ReadRequest | LookupRequest): ServiceNowGraphRules | undefined {
    if (!request.graphRules || request.graphRules.length === 0) return undefined
    if (!graphRuleProvider) {
      throw new ServiceNowErrors.GRAPH_RULES_UNAVAILABLE(request.graphRules.map((r) => r.rule).join(', '), entity)
    }
    return graphRuleProvider
  }

  async function lookup(
    conn: ConnectionContext<ServiceNowSettings>,
    entity: string,
    request: LookupRequest,
  ): Promise<SourceRecord[]> {
    const rules = graphRulesFor(entity, request)
    if (rules) return withClient(conn, (client) => rules.lookup(client, conn, entity, request))
    const field = request.ids ? 'sys_id' : request.field
    const values = [...new Set(request.ids ?? request.values ?? [])].filter((v) => v !== '')
    if (!field || values.length === 0) return []
    // a value holding "^" or "," cannot be expressed in an IN list (ServiceNow has no escape);
    // such values are looked up on their own with "=", or not at all when they hold "^"
    const listable = values.filter((v) => !v.includes(',') && !v.includes('^'))
    const single = values.filter((v) => v.includes(',') && !v.includes('^'))
    const conditions: string[] = []
    for (let i = 0; i < listable.length; i += LOOKUP_CHUNK)
      conditions.push(inList(field, listable.slice(i, i + LOOKUP_CHUNK)))
    for (const v of single) conditions.push(encodeEquals(field, '=', v))
    return withClient(conn, async (client) => {
      const out: SourceRecord[] = []
      for (const condition of conditions) {
        // the caller's filter ANDed into each of its ^NQ groups
        const filter = combine(request.filter, [condition])
        const pages = client.readTable(entity, {
          filter,
          partitions: 1,
          ...(request.fields ? { fields: request.fields } : {}),
          ...(conn.signal ? { signal: conn.signal } : {}),
        })
        for await (const page of pages) for (const record of page.records) out.push(toSourceRecord(record))
      }
      return out
    })
  }

  function filterError(filter: string): string | undefined {
    try {
      parseEncodedQuery(filter)
      return undefined
    } catch (error) {
      return (error as Error).message
    }
  }

  async function* read(
    conn: ConnectionContext<ServiceNowSettings>,
    entity: string,
    request: ReadRequest,
  ): AsyncIterable<Page> {
    const rules = graphRulesFor(entity, request)
    if (rules) {
      yield* clients.iterate(entryOf(conn), (client) => rules.read(client, conn, entity, request))
      return
    }
    const pages = clients.iterate(entryOf(conn), (client) =>
      client.readTable(entity, {
        ...(request.fields ? { fields: request.fields } : {}),
        ...(request.filter ? { filter: request.filter } : {}),
        cursor: request.cursor ?? null,
        since: request.since ?? null,
        // a preview: one page of that many rows, without counting the table to partition it
        ...(request.limit !== undefined ? { partitions: 1, pageSize: request.limit } : {}),
        ...(conn.signal ? { signal: conn.signal } : {}),
      }),
    )
    for await (const page of pages) {
      yield {
        records: page.records.map(toSourceRecord),
        cursor: page.cursor,
        ...(page.watermark !== undefined ? { watermark: page.watermark } : {}),
      }
    }
  }

  async function write(
    conn: ConnectionContext<ServiceNowSettings>,
    entity: string,
    changes: Change[],
  ): Promise<ChangeResult[]> {
    const s = withDefaults(conn.settings)
    const invalid: ChangeResult[] = []
    const valid: WriteChange[] = []
    for (const change of changes) {
      if (change.op === 'create') {
        const values = change.values ?? {}
        const correlationValue = values[s.correlationField]
        valid.push({
          op: 'create',
          key: change.key,
          values,
          ...(typeof correlationValue === 'string' && correlationValue !== ''
            ? { correlation: { field: s.correlationField, value: correlationValue } }
            : {}),
        })
      } else if (!change.id) {
        invalid.push({
          key: change.key,
          ok: false,
          error: {
            code: 'CW_SN_CONFIG_INVALID',
            message: `an ${change.op} needs the record's sys_id`,
            retryable: false,
          },
        })
      } else if (change.op === 'update') {
        valid.push({ op: 'update', key: change.key, sysId: change.id, values: change.values ?? {} })
      } else {
        valid.push({ op: 'delete', key: change.key, sysId: change.id })
      }
    }
    const results = await withClient(conn, (client) => client.applyChanges(entity, valid, conn.signal))
    const byKey = new Map<string, ChangeResult>()
    for (const r of [...invalid, ...results]) {
      byKey.set(r.key, {
        key: r.key,
        ok: r.ok,
        ...('sysId' in r && r.sysId ? { id: r.sysId } : {}),
        ...('record' in r && r.record ? { record: r.record } : {}),
        ...(r.error
          ? { error: { code: r.error.code, message: r.error.message, retryable: r.error.retryable ?? false } }
          : {}),
      })
    }
    return changes.map((c) => byKey.get(c.key) as ChangeResult)
  }

  function matches(filter: string, record: Record<string, unknown>): boolean {
    return matchesEncodedQuery(filter, asQueryRecord(record))
  }

  return {
    name: 'servicenow',
    title: 'ServiceNow CMDB',
    version: SERVICENOW_CONNECTOR_VERSION,
    configSchema: ServiceNowSettingsSchema,
    secretFields: SERVICENOW_SECRET_FIELDS,
    capabilities: ['discover', 'read', 'write', 'lookup', 'matches', 'emulator'],
    check,
    discover,
    read,
    write,
    lookup,
    matches,
    filterError,
    andFilters: (left, right) => printEncodedQuery(conjoinQueries(parseEncodedQuery(left), parseEncodedQuery(right))),
    graphRules: (entity) => graphRuleProvider?.describe(entity) ?? [],
    useGraphRules: (provider) => {
      graphRuleProvider = provider
    },
    identityField: (conn) => withDefaults(conn.settings).correlationField,
    recordUrl: async (conn, entity, id) => {
      const origin = new URL(withDefaults(conn.settings).instanceUrl).origin
      return `${origin}/nav_to.do?uri=${encodeURIComponent(`${entity}.do?sys_id=${id}`)}`
    },
    displayField: () => 'name',
    ownActor: (conn) => withDefaults(conn.settings).username,
    /** a seeded CSDM instance for the sandbox; its admin password comes with the handle */
    async emulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
      // loaded on demand: the emulator and its seed are not part of a production boot
      const { startSandboxInstance } = await import('./emulator/sandbox.ts')
      return startSandboxInstance(options)
    },
    clientFor,
    withClient,
    close: () => clients.close(),
  }
}

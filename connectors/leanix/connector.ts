// The LeanIX connector: the contract (core/connector/contract.ts) over the Pathfinder client.
// One client per connection is kept (core/http/client-cache.ts) so that its token and rate limiter
// are shared by all calls; it is rebuilt when the connection's settings or token change, and the
// one it replaces is closed once the operations holding it are done.
import { createHash } from 'node:crypto'
import { ClientCache, type CacheEntry, type ClientLease } from '../../core/http/client-cache.ts'
import type { EgressPolicy } from '../../core/http/egress.ts'
import type {
  Change,
  ChangeEvent,
  ChangeResult,
  CheckResult,
  ConnectionContext,
  Connector,
  EmulatorHandle,
  EmulatorOptions,
  EntityDescription,
  LookupRequest,
  Page,
  SourceRecord,
  ReadRequest,
} from '../../core/connector/contract.ts'
import { LeanixClient, type LeanixClientOptions } from './client/client.ts'
import { describeEntities } from './client/data-model.ts'
import { EventSequencer } from './client/events.ts'
import { andFilterInputs, parseFilter, type FilterInput } from './client/filter.ts'
import { HUB_EVENT_TYPES, type WebhookSubscription } from './client/webhooks.ts'
import type { WriteItem } from './client/writer.ts'
import { LeanixErrors } from './errors.ts'
import { isRetryable } from '../../core/retryable.ts'
import { matchesFilter } from './facet-filter.ts'
import { LEANIX_SECRET_FIELDS, LeanixSettingsSchema, withDefaults, type LeanixSettings } from './settings.ts'
import { LeanixEventInbox } from './webhooks/inbox.ts'

export const LEANIX_CONNECTOR_VERSION = '0.1.0'
/** ids or values per lookup request */
const LOOKUP_CHUNK = 100
/** how far a delta watermark reaches back before the read started, against clock skew */
const WATERMARK_SKEW_MS = 5 * 60_000

export interface LeanixConnectorOptions {
  /** shared with the webhook route; a fresh one when not given */
  inbox?: LeanixEventInbox
  /** the hub's egress settings, given to every client */
  egress?: EgressPolicy
  /** hears a replaced client that failed to close */
  log?: { warn(obj: object, msg?: string): void }
  /** test seam: extra client options (dispatcher, clock, result cap) */
  clientOptions?: Partial<LeanixClientOptions>
}

/** the sandbox workspace, with the API token of its ADMIN technical user */
export type LeanixEmulatorHandle = EmulatorHandle & { apiToken: string }

export type LeanixConnector = Omit<Connector<LeanixSettings>, 'emulator'> & {
  emulator(options?: EmulatorOptions): Promise<LeanixEmulatorHandle>
  inbox: LeanixEventInbox
  /** the cached client of a connection (created on first use) */
  clientFor(conn: ConnectionContext<LeanixSettings>): LeanixClient
  close(): Promise<void>
}

export function createLeanixConnector(options: LeanixConnectorOptions = {}): LeanixConnector {
  const inbox = options.inbox ?? new LeanixEventInbox()
  const clients = new ClientCache<LeanixClient>((err) =>
    options.log?.warn({ err }, 'a replaced LeanIX client did not close'),
  )
  /** deliveries pushed to the hub, per connection: duplicates and stale events are dropped */
  const sequencers = new Map<string, EventSequencer>()

  function settingsOf(conn: ConnectionContext<LeanixSettings>): LeanixSettings {
    const settings = withDefaults(conn.settings)
    const apiToken = conn.secrets.apiToken ?? settings.apiToken
    if (!apiToken) throw new LeanixErrors.SETTINGS_INVALID('apiToken is missing')
    if (/^http:/i.test(settings.instanceUrl) && !settings.allowHttp) {
      throw new LeanixErrors.INSECURE_URL(settings.instanceUrl)
    }
    return { ...settings, apiToken, webhookSecret: conn.secrets.webhookSecret ?? settings.webhookSecret }
  }

  function entryOf(conn: ConnectionContext<LeanixSettings>): CacheEntry<LeanixClient> {
    let s: LeanixSettings
    try {
      s = settingsOf(conn)
    } catch (error) {
      clients.drop(conn.id) // settings now refused: the client of the old ones goes
      throw error
    }
    const fingerprint = createHash('sha256').update(JSON.stringify(s)).digest('hex')
    const build = () =>
      new LeanixClient({
        instanceUrl: s.instanceUrl,
        apiToken: s.apiToken,
        requestsPerMinute: s.requestsPerMinute,
        burst: s.burst,
        requestTimeoutMs: s.requestTimeoutMs,
        maxAttempts: s.maxAttempts,
        batchSize: s.batchSize,
        revisionRetries: s.revisionRetries,
        archiveComment: s.archiveComment,
        ...(options.egress ? { egress: options.egress } : {}),
        ...options.clientOptions,
      })
    return { key: conn.id, fingerprint, build }
  }

  function clientFor(conn: ConnectionContext<LeanixSettings>): LeanixClient {
    return clients.get(entryOf(conn))
  }

  async function check(conn: ConnectionContext<LeanixSettings>): Promise<CheckResult> {
    let s: LeanixSettings
    let lease: ClientLease<LeanixClient>
    try {
      s = settingsOf(conn)
      lease = clients.lease(entryOf(conn))
    } catch (err) {
      return { ok: false, message: (err as Error).message }
    }
    try {
      return await checkWith(lease.client, s, conn)
    } finally {
      lease.release()
    }
  }

  async function checkWith(
    client: LeanixClient,
    s: LeanixSettings,
    conn: ConnectionContext<LeanixSettings>,
  ): Promise<CheckResult> {
    const where = client.transport.instanceUrl
    try {
      const claims = await client.claims(conn.signal)
      if (s.workspaceId && claims.workspaceId && claims.workspaceId !== s.workspaceId) {
        return { ok: false, message: new LeanixErrors.WORKSPACE_MISMATCH(claims.workspaceId, s.workspaceId).message }
      }
      const model = await client.dataModel(conn.signal, true)
      const probe = await client.graphql.request<{ allFactSheets: { totalCount: number } }>(
        'query CrosswalkCheck { allFactSheets(first: 1) { totalCount } }',
        {},
        { signal: conn.signal },
      )
      const details = {
        workspaceId: claims.workspaceId,
        workspaceName: claims.workspaceName,
        user: claims.username,
        role: claims.role,
        factSheetTypes: [...model.types.keys()],
        factSheets: probe.allFactSheets.totalCount,
      }
      const who = `${claims.username ?? 'technical user'} in workspace ${claims.workspaceName ?? claims.workspaceId ?? '?'} at ${where}`
      if (s.webhookMode === 'push' && (!s.webhookTargetUrl || !s.webhookSecret)) {
        return {
          ok: false,
          message: `Connected as ${who}, but webhook mode "push" needs webhookTargetUrl and webhookSecret; set both or choose "pull"`,
          details,
        }
      }
      if (s.webhookMode !== 'off' && claims.role && claims.role !== 'ADMIN') {
        return {
          ok: false,
          message: `Connected as ${who} with role ${claims.role}, but managing webhook subscriptions needs ADMIN; give the technical user ADMIN or set webhookMode to "off"`,
          details,
        }
      }
      if (claims.role === 'VIEWER') {
        return {
          ok: true,
          message: `Connected as ${who} with role VIEWER: reads work, writes will be refused; give the technical user MEMBER or ADMIN to write`,
          details,
        }
      }
      return {
        ok: true,
        message: `Connected as ${who}: ${model.types.size} fact sheet types, ${details.factSheets} fact sheets`,
        details,
      }
    } catch (err) {
      const e = err as { code?: string; message?: string }
      if (err instanceof LeanixErrors.AUTH_REJECTED) return { ok: false, message: e.message ?? 'token rejected' }
      // what trying again can cure is the network or the service, not the settings
      if (isRetryable(err)) {
        return {
          ok: false,
          message: `Cannot reach LeanIX at ${where}: ${e.message}; check instanceUrl and the network`,
        }
      }
      return { ok: false, message: `LeanIX check failed at ${where}: ${e.message ?? String(err)}` }
    }
  }

  async function discover(conn: ConnectionContext<LeanixSettings>): Promise<EntityDescription[]> {
    return describeEntities(await clients.use(entryOf(conn), (client) => client.dataModel(conn.signal, true)))
  }

  async function* read(
    conn: ConnectionContext<LeanixSettings>,
    entity: string,
    request: ReadRequest,
  ): AsyncIterable<Page> {
    const s = settingsOf(conn)
    const startedAt = Date.now()
    const pages = clients.iterate(entryOf(conn), (client) =>
      client.readFactSheets(entity, {
        fields: request.fields,
        filter: parseFilter(request.filter),
        cursor: request.cursor,
        since: request.since,
        // a preview asks for no more than it shows
        pageSize: request.limit !== undefined ? Math.max(1, Math.min(request.limit, s.pageSize)) : s.pageSize,
        signal: conn.signal,
      }),
    )
    for await (const page of pages) {
      if (page.cursor !== null) yield { records: page.records, cursor: page.cursor }
      else
        yield { records: page.records, cursor: null, watermark: new Date(startedAt - WATERMARK_SKEW_MS).toISOString() }
    }
  }

  async function write(
    conn: ConnectionContext<LeanixSettings>,
    entity: string,
    changes: Change[],
  ): Promise<ChangeResult[]> {
    const items: WriteItem[] = changes.map((c) => {
      const { comment, ...values } = (c.values ?? {}) as Record<string, unknown> & { comment?: unknown }
      const item: WriteItem = { key: c.key, op: c.op, id: c.id, values: c.op === 'delete' ? {} : values }
      if (c.revision !== undefined && c.revision !== null && c.revision !== '') item.rev = Number(c.revision)
      if (typeof comment === 'string') item.comment = comment
      return item
    })
    const results = await clients.use(entryOf(conn), (client) => client.write(entity, items, conn.signal))
    return results.map((r) => {
      const out: ChangeResult = { key: r.key, ok: r.ok }
      if (r.id !== undefined) out.id = r.id
      if (r.error) out.error = r.error
      return out
    })
  }

  async function lookup(
    conn: ConnectionContext<LeanixSettings>,
    entity: string,
    request: LookupRequest,
  ): Promise<SourceRecord[]> {
    return clients.use(entryOf(conn), (client) => lookupWith(client, conn, entity, request))
  }

  async function lookupWith(
    client: LeanixClient,
    conn: ConnectionContext<LeanixSettings>,
    entity: string,
    request: LookupRequest,
  ): Promise<SourceRecord[]> {
    const base = parseFilter(request.filter)
    const model = await client.dataModel(conn.signal)
    const fieldKind = request.field ? model.types.get(entity)?.fields.get(request.field)?.kind : undefined
    const values = [...new Set(request.ids ?? request.values ?? [])].filter((v) => v !== '')
    const filters: FilterInput[] = []
    let exact: ((record: Record<string, unknown>, value: string) => boolean) | undefined
    for (let i = 0; i < values.length; i += LOOKUP_CHUNK) {
      const chunk = values.slice(i, i + LOOKUP_CHUNK)
      if (request.ids) filters.push({ ...base, ids: chunk })
      else if (fieldKind === 'externalId')
        filters.push({ ...base, externalIds: chunk.map((v) => `${request.field}/${v}`) })
      else if (fieldKind === 'single') {
        filters.push({
          ...base,
          facetFilters: [
            ...(base.facetFilters ?? []),
            { facetKey: request.field as string, operator: 'OR', keys: chunk },
          ],
        })
      } else {
        // no facet for plain text fields: full-text search per value, then the exact value kept
        const field = request.field as string
        exact = (record, value) => String(record[field] ?? '').toLowerCase() === value.toLowerCase()
        for (const value of chunk) filters.push({ ...base, fullTextSearch: value })
      }
    }
    const out = new Map<string, SourceRecord>()
    for (const [n, filter] of filters.entries()) {
      const wanted = exact ? values[n] : undefined
      for await (const page of client.readFactSheets(entity, {
        fields: request.fields,
        filter,
        pageSize: 1000,
        signal: conn.signal,
      })) {
        for (const record of page.records) {
          if (exact && wanted !== undefined && !exact(record, wanted)) continue
          out.set(record.id, record)
        }
      }
    }
    return [...out.values()]
  }

  async function toChangeEvents(
    conn: ConnectionContext<LeanixSettings>,
    raw: readonly unknown[],
  ): Promise<ChangeEvent[]> {
    let sequencer = sequencers.get(conn.id)
    if (!sequencer) {
      // the technical user's own events echo the hub's writes
      const claims = await clients.use(entryOf(conn), (client) => client.claims(conn.signal))
      sequencer = new EventSequencer({ ownUserId: claims.userId })
      sequencers.set(conn.id, sequencer)
    }
    return sequencer.accept(raw)
  }

  async function recordUrl(conn: ConnectionContext<LeanixSettings>, entity: string, id: string) {
    const client = clientFor(conn)
    const claims = await client.claims(conn.signal)
    const origin = new URL(client.transport.instanceUrl).origin
    return claims.workspaceName
      ? `${origin}/${encodeURIComponent(claims.workspaceName)}/factsheet/${encodeURIComponent(entity)}/${encodeURIComponent(id)}`
      : undefined
  }

  function filterError(filter: string): string | undefined {
    try {
      parseFilter(filter)
      return undefined
    } catch (error) {
      return (error as Error).message
    }
  }

  async function* events(
    conn: ConnectionContext<LeanixSettings>,
    { signal }: { signal: AbortSignal },
  ): AsyncIterable<ChangeEvent[]> {
    yield* clients.iterate(entryOf(conn), (client) => eventsWith(client, conn, signal))
  }

  async function* eventsWith(
    client: LeanixClient,
    conn: ConnectionContext<LeanixSettings>,
    signal: AbortSignal,
  ): AsyncIterable<ChangeEvent[]> {
    const s = settingsOf(conn)
    if (s.webhookMode === 'off')
      throw new LeanixErrors.WEBHOOK_SETTINGS('webhookMode is "off"; choose "push" or "pull"')
    const claims = await client.claims(signal)
    const sequencer = new EventSequencer({ ownUserId: claims.userId })
    const wanted: WebhookSubscription = {
      identifier: s.webhookIdentifier,
      deliveryType: s.webhookMode === 'push' ? 'PUSH' : 'PULL',
      tagSets: HUB_EVENT_TYPES.map((t) => ['pathfinder', t]),
      payloadMode: 'DEFAULT',
      workspaceConstraint: 'WORKSPACE',
      active: true,
    }
    if (claims.workspaceId) wanted.workspaceId = claims.workspaceId
    if (s.webhookMode === 'push') {
      if (!s.webhookTargetUrl || !s.webhookSecret) {
        throw new LeanixErrors.WEBHOOK_SETTINGS('push delivery needs webhookTargetUrl and webhookSecret')
      }
      Object.assign(wanted, {
        targetUrl: s.webhookTargetUrl,
        targetMethod: 'POST',
        authorizationHeader: s.webhookSecret,
        ignoreError: false,
      })
    }
    const subscription = await client.webhooks.ensure(wanted, signal)
    if (s.webhookMode === 'push') {
      for await (const batch of inbox.batches(conn.id, signal)) {
        const accepted = sequencer.accept(batch)
        if (accepted.length) yield accepted
      }
      return
    }
    const id = subscription.id
    if (!id) throw new LeanixErrors.WEBHOOK_SETTINGS('LeanIX returned the subscription without an id')
    while (!signal.aborted) {
      let pulled
      try {
        pulled = await client.webhooks.pull(id, s.webhookPullTimeoutSeconds, signal)
      } catch (err) {
        if (signal.aborted) return
        throw err
      }
      const accepted = sequencer.accept(pulled.events.map((e) => e.event))
      // the cursor moves on only after the consumer took the batch: at-least-once
      if (accepted.length) yield accepted
      if (pulled.nextCursor && pulled.events.length) await client.webhooks.commit(id, pulled.nextCursor.offset, signal)
    }
  }

  return {
    name: 'leanix',
    title: 'SAP LeanIX',
    version: LEANIX_CONNECTOR_VERSION,
    configSchema: LeanixSettingsSchema,
    secretFields: LEANIX_SECRET_FIELDS,
    capabilities: ['discover', 'read', 'write', 'lookup', 'matches', 'events', 'emulator'],
    inbox,
    clientFor,
    check,
    discover,
    read,
    write,
    lookup,
    toChangeEvents,
    recordUrl,
    filterError,
    andFilters: (left, right) => JSON.stringify(andFilterInputs(parseFilter(left), parseFilter(right))),
    identityField: () => 'externalId',
    displayField: () => 'name',
    matches: (filter, record) => matchesFilter(filter, record),
    events,
    listensForEvents(conn) {
      try {
        return settingsOf(conn).webhookMode !== 'off'
      } catch {
        return false
      }
    },
    /** a seeded v4 workspace for the sandbox; its ADMIN technical user's API token comes along */
    async emulator(options: EmulatorOptions = {}): Promise<LeanixEmulatorHandle> {
      // loaded on demand: the emulator and its seed are not part of a production boot
      const { startSandboxWorkspace } = await import('./emulator/sandbox.ts')
      return startSandboxWorkspace(options)
    },
    close: () => clients.close(),
  }
}

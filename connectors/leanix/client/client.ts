// One LeanIX workspace as the connector sees it: auth, transport, rate limit and the read,
// write, data-model and webhook operations over them. Built per connection and reused, so the
// token cache and the rate limiter are shared by every call the connection makes.
import type { Dispatcher } from 'undici'
import { DEFAULT_BACKOFF } from '../../../core/http/backoff.ts'
import type { EgressPolicy } from '../../../core/http/egress.ts'
import { MtmTokenProvider, type TokenClaims } from './auth.ts'
import { fetchDataModel, requireType, type WorkspaceModel } from './data-model.ts'
import type { FilterInput } from './filter.ts'
import { GraphqlClient } from './graphql.ts'
import { FactSheetReader, type ReadPage } from './paging.ts'
import { BY_ID_QUERY, selectionFor, toRecord } from './queries.ts'
import { TokenBucket } from './rate-limiter.ts'
import { LeanixTransport } from './transport.ts'
import { WebhooksApi } from './webhooks.ts'
import { FactSheetWriter, type WriteItem, type WriteResult } from './writer.ts'

export interface LeanixClientOptions {
  instanceUrl: string
  apiToken: string
  requestsPerMinute?: number
  burst?: number
  requestTimeoutMs?: number
  maxAttempts?: number
  batchSize?: number
  revisionRetries?: number
  archiveComment?: string
  /** how long the data model is reused before it is read again */
  dataModelTtlMs?: number
  /** cap of allFactSheets edges per query (15 000; lower only in tests) */
  resultCap?: number
  /** the hub's egress settings (private networks allowed or not); all allowed when absent */
  egress?: EgressPolicy
  /** for tests: instead of the pool the client builds */
  dispatcher?: Dispatcher
  /** for tests: the clock of token renewals and server-imposed pauses, and how to wait */
  now?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

export interface LeanixClientStats {
  requests: number
  retries: number
  reauthorized: number
  tokenExchanges: number
}

export class LeanixClient {
  readonly transport: LeanixTransport
  readonly auth: MtmTokenProvider
  readonly graphql: GraphqlClient
  readonly webhooks: WebhooksApi
  readonly reader: FactSheetReader
  readonly #options: LeanixClientOptions
  #model: { value: WorkspaceModel; at: number } | undefined

  constructor(options: LeanixClientOptions) {
    this.#options = options
    const limiter = new TokenBucket({
      perMinute: options.requestsPerMinute ?? 1500,
      burst: options.burst ?? 25,
      now: options.now,
    })
    this.transport = new LeanixTransport({
      instanceUrl: options.instanceUrl,
      timeoutMs: options.requestTimeoutMs ?? 30_000,
      backoff: { ...DEFAULT_BACKOFF, maxAttempts: options.maxAttempts ?? 5 },
      limiter,
      // Pathfinder's request limit is per user: the pause a 429 asks for holds this technical user
      user: options.apiToken,
      ...(options.egress ? { egress: options.egress } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    })
    this.auth = new MtmTokenProvider({ transport: this.transport, apiToken: options.apiToken, now: options.now })
    this.graphql = new GraphqlClient(this.transport, this.auth)
    this.webhooks = new WebhooksApi(this.transport, this.auth)
    this.reader = new FactSheetReader(this.graphql, { cap: options.resultCap })
  }

  get stats(): LeanixClientStats {
    return { ...this.transport.stats, tokenExchanges: this.auth.exchanges }
  }

  claims(signal?: AbortSignal): Promise<TokenClaims> {
    return this.auth.claims(signal)
  }

  async dataModel(signal?: AbortSignal, fresh = false): Promise<WorkspaceModel> {
    const now = (this.#options.now ?? Date.now)()
    if (!fresh && this.#model && now - this.#model.at < (this.#options.dataModelTtlMs ?? 300_000))
      return this.#model.value
    const value = await fetchDataModel(this.transport, this.auth, signal)
    this.#model = { value, at: now }
    return value
  }

  /** Pages of fact sheets of one type; see FactSheetReader for how the 15 000 cap is handled. */
  async *readFactSheets(
    typeName: string,
    request: {
      fields?: readonly string[]
      filter?: FilterInput
      cursor?: string | null
      since?: string | null
      pageSize?: number
      signal?: AbortSignal
    },
  ): AsyncGenerator<ReadPage> {
    const type = requireType(await this.dataModel(request.signal), typeName)
    yield* this.reader.read({
      type,
      filter: request.filter ?? {},
      selection: selectionFor(type, request.fields),
      pageSize: request.pageSize ?? 1000,
      cursor: request.cursor,
      since: request.since,
      signal: request.signal,
    })
  }

  /** One fact sheet by id, or undefined when there is none. */
  async factSheet(
    typeName: string,
    id: string,
    fields?: readonly string[],
    signal?: AbortSignal,
  ): Promise<(Record<string, unknown> & { id: string }) | undefined> {
    const type = requireType(await this.dataModel(signal), typeName)
    const sel = selectionFor(type, fields)
    const data = await this.graphql.request<{ factSheet: Record<string, unknown> | null }>(
      BY_ID_QUERY(sel),
      { id },
      { signal },
    )
    return data.factSheet ? toRecord(data.factSheet, sel) : undefined
  }

  async write(typeName: string, items: WriteItem[], signal?: AbortSignal): Promise<WriteResult[]> {
    const type = requireType(await this.dataModel(signal), typeName)
    const writer = new FactSheetWriter(this.graphql, {
      batchSize: this.#options.batchSize ?? 25,
      revisionRetries: this.#options.revisionRetries ?? 3,
      archiveComment: this.#options.archiveComment ?? 'Archived by Crosswalk',
      signal,
    })
    return writer.apply(type, items)
  }

  close(): Promise<void> {
    return this.transport.close()
  }
}

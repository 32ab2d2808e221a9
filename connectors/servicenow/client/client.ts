// The ServiceNow client: one per instance connection, sharing one connection pool, one
// credential and one concurrency limit among table reads, writes, counts, schema discovery and
// catalog orders. Close it when the connection is no longer used.
import type { EntityDescription, Page } from '../../../core/connector/contract.ts'
import { countRows } from './aggregate.ts'
import { ServiceCatalog } from './catalog.ts'
import type { CartAddition, CatalogOrder, CatalogOrderInput } from './catalog.ts'
import { CLIENT_DEFAULTS } from './options.ts'
import type { ServiceNowClientOptions } from './options.ts'
import { SchemaDiscovery } from './schema.ts'
import type { TableInfo } from './schema.ts'
import { TableReader } from './table-read.ts'
import type { SnRecord, TableReadOptions } from './table-read.ts'
import { TableWriter } from './table-write.ts'
import type { Correlation, WriteChange, WriteResult } from './table-write.ts'
import { Transport } from './transport.ts'
import type { SnRequest, SnResponse } from './transport.ts'

export class ServiceNowClient {
  readonly origin: string
  readonly #transport: Transport
  readonly #reader: TableReader
  readonly #writer: TableWriter
  readonly #schema: SchemaDiscovery
  readonly #catalog: ServiceCatalog
  readonly #concurrency: number
  readonly #configuredUser: string | undefined

  constructor(options: ServiceNowClientOptions) {
    this.#configuredUser = options.auth.username || undefined
    this.#transport = new Transport(options)
    this.origin = this.#transport.origin
    this.#concurrency = this.#transport.concurrency
    this.#reader = new TableReader(this.#transport, {
      pageSize: options.pageSize ?? CLIENT_DEFAULTS.pageSize,
      minPageSize: options.minPageSize ?? CLIENT_DEFAULTS.minPageSize,
      partitionThreshold: options.partitionThreshold ?? CLIENT_DEFAULTS.partitionThreshold,
      countTimeoutMs: options.countTimeoutMs ?? CLIENT_DEFAULTS.countTimeoutMs,
      // the second being written is still open: a delta that reads it passes rows committed later in it
      deltaSafetyLagSeconds: Math.max(1, options.deltaSafetyLagSeconds ?? CLIENT_DEFAULTS.deltaSafetyLagSeconds),
      countRows: (table, filter, signal) => countRows(this.#transport, table, filter, signal),
      ownUser: () => (options.deltaSkipsOwnWrites === false ? undefined : this.ownUser),
      ...(options.logger ? { logger: options.logger } : {}),
    })
    this.#writer = new TableWriter(this.#transport)
    this.#schema = new SchemaDiscovery(this.#reader)
    this.#catalog = new ServiceCatalog(this.#transport)
  }

  /**
   * The user the instance records as the author of this client's writes: learnt from a record it
   * created, else the configured user name (basic auth, OAuth password grant); unknown before a
   * client-credentials client has created anything.
   */
  get ownUser(): string | undefined {
    return this.#writer.ownUser ?? this.#configuredUser
  }

  /** Requests sent so far (every attempt counts). */
  get requestsSent(): number {
    return this.#transport.sent
  }

  close(): Promise<void> {
    return this.#transport.close()
  }

  /** Any other REST call (IRE, Import Set, CMDB Instance API) with the same auth, limits and retries. */
  request(request: SnRequest): Promise<SnResponse> {
    return this.#transport.request(request)
  }

  readTable(table: string, options?: TableReadOptions): AsyncIterable<Page<SnRecord>> {
    return this.#reader.read(table, options)
  }

  /** Fails unless the table exists and the user may read it (one row, one field). */
  probeTable(table: string, signal?: AbortSignal): Promise<void> {
    return this.#reader.probe(table, signal)
  }

  countRows(table: string, filter?: string, signal?: AbortSignal): Promise<number> {
    return countRows(this.#transport, table, filter, signal)
  }

  getRecord(
    table: string,
    sysId: string,
    fields?: readonly string[],
    signal?: AbortSignal,
  ): Promise<SnRecord | undefined> {
    return this.#writer.get(table, sysId, fields, signal)
  }

  findRecord(table: string, field: string, value: string, signal?: AbortSignal): Promise<SnRecord | undefined> {
    return this.#writer.findOne(table, field, value, signal)
  }

  createRecord(
    table: string,
    values: Record<string, unknown>,
    options?: { correlation?: Correlation; signal?: AbortSignal },
  ): Promise<{ record: SnRecord; reused: boolean }> {
    return this.#writer.create(table, values, options)
  }

  updateRecord(table: string, sysId: string, values: Record<string, unknown>, signal?: AbortSignal): Promise<SnRecord> {
    return this.#writer.update(table, sysId, values, signal)
  }

  deleteRecord(table: string, sysId: string, signal?: AbortSignal): Promise<boolean> {
    return this.#writer.delete(table, sysId, signal)
  }

  applyChanges(table: string, changes: readonly WriteChange[], signal?: AbortSignal): Promise<WriteResult[]> {
    return this.#writer.apply(table, changes, this.#concurrency, signal)
  }

  describeTables(names: readonly string[], signal?: AbortSignal): Promise<EntityDescription[]> {
    return this.#schema.describe(names, signal)
  }

  tableHierarchy(names: readonly string[], signal?: AbortSignal): Promise<Map<string, TableInfo>> {
    return this.#schema.tables(names, signal)
  }

  orderCatalogItem(input: CatalogOrderInput): Promise<CatalogOrder> {
    return this.#catalog.orderNow(input)
  }

  addToCart(input: CatalogOrderInput): Promise<CartAddition> {
    return this.#catalog.addToCart(input)
  }

  submitCart(signal?: AbortSignal): Promise<CatalogOrder> {
    return this.#catalog.submitOrder('cart', signal)
  }
}

// The contract every connector implements. A connector describes one external system and offers
// some of the capabilities below, and nothing else; the kernel asks `capabilities` before it
// calls an optional method. Filters stay in the system's own language (a ServiceNow encoded
// query, a LeanIX facet filter) so users paste what they already know and the connector can
// push them down to the API.
import type { TObject } from '@sinclair/typebox'

/** What a connector is handed for one call: a resolved connection with its secrets unsealed. */
export interface ConnectionContext<Settings = Record<string, unknown>> {
  /** connection record id (stable across renames) */
  id: string
  name: string
  settings: Settings
  /** unsealed secrets, only in memory for the duration of the call */
  secrets: Record<string, string>
  logger: ConnectorLogger
  signal?: AbortSignal
}

export interface ConnectorLogger {
  debug(obj: object | string, msg?: string): void
  info(obj: object | string, msg?: string): void
  warn(obj: object | string, msg?: string): void
  error(obj: object | string, msg?: string): void
}

export interface CheckResult {
  ok: boolean
  /** one line a person can act on: what worked, or what to fix */
  message: string
  details?: Record<string, unknown>
}

export type FieldType =
  'string' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'reference' | 'choice' | 'json' | 'list'

export interface FieldDescription {
  name: string
  label?: string
  type: FieldType
  /** the entity a reference points to */
  reference?: string
  choices?: Array<{ value: string; label?: string }>
  readOnly?: boolean
  mandatory?: boolean
}

export interface EntityDescription {
  /** table name or fact sheet type */
  name: string
  label?: string
  /** super class / parent type where the system has inheritance */
  parent?: string
  fields: FieldDescription[]
}

export type SourceRecord = Record<string, unknown> & { id: string }

export interface ReadRequest {
  fields?: string[]
  /** a filter in the connector's own language */
  filter?: string
  /** resume after this cursor (opaque, from a previous page) */
  cursor?: string | null
  /** only records changed since this watermark (opaque, from a previous full or delta read) */
  since?: string | null
}

export interface Page<R = SourceRecord> {
  records: R[]
  /** resumes after this page; null when the read is complete */
  cursor: string | null
  /** the delta watermark to keep once the read completes */
  watermark?: string | null
}

export type ChangeOperation = 'create' | 'update' | 'delete'

export interface Change {
  op: ChangeOperation
  /** caller's key for correlating results (e.g. the source id) */
  key: string
  /** target id for update and delete */
  id?: string
  values?: Record<string, unknown>
  /** optimistic-lock token where the system has one (LeanIX rev) */
  revision?: string | number
}

export interface ChangeResult {
  key: string
  ok: boolean
  id?: string
  error?: { code: string; message: string; retryable?: boolean }
}

export interface ChangeEvent {
  entity: string
  id: string
  op: ChangeOperation
  /** ordering key where the system provides one (LeanIX transactionSequenceNumber) */
  sequence?: number | string
  at?: string
  record?: Record<string, unknown>
  /** who caused the change, so that the hub can ignore its own writes */
  actor?: string
}

export interface EmulatorHandle {
  /** base URL a client uses to reach it */
  url: string
  close(): Promise<void>
}

export type Capability = 'discover' | 'read' | 'write' | 'matches' | 'events' | 'emulator'

export interface Connector<Settings = Record<string, unknown>> {
  /** stable identifier, e.g. "servicenow" */
  name: string
  title: string
  version: string
  /** TypeBox schema of a connection's settings, secrets included, each secret marked `secret: true` */
  configSchema: TObject
  /** names of the settings that are secrets: sealed in the vault, never returned */
  secretFields: readonly string[]
  capabilities: readonly Capability[]

  check(conn: ConnectionContext<Settings>): Promise<CheckResult>
  discover?(conn: ConnectionContext<Settings>): Promise<EntityDescription[]>
  read?(conn: ConnectionContext<Settings>, entity: string, request: ReadRequest): AsyncIterable<Page>
  write?(conn: ConnectionContext<Settings>, entity: string, changes: Change[]): Promise<ChangeResult[]>
  matches?(filter: string, record: Record<string, unknown>): boolean
  events?(conn: ConnectionContext<Settings>, options: { signal: AbortSignal }): AsyncIterable<ChangeEvent[]>
  emulator?(options?: { port?: number; host?: string }): Promise<EmulatorHandle>
}

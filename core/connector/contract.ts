// The contract every connector implements. A connector describes one external system and offers
// some of the capabilities below, and nothing else; the kernel asks `capabilities` before it
// calls an optional method. Filters stay in the system's own language (a ServiceNow encoded
// query, a LeanIX facet filter) so users paste what they already know and the connector can
// push them down to the API.
import type { TObject } from 'typebox'

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
  /** when it failed, the stable code (CW_...) of what failed, if the connector knows one */
  code?: string
  details?: Record<string, unknown>
}

/**
 * The kind of a field. Besides scalars, a few structured kinds carry the shapes the mapping model
 * works with, whichever system has them (SAP LeanIX has all of them today):
 * - lifecycle: `{ asString?: string, phases: [{ phase, startDate: 'YYYY-MM-DD' }] }`
 * - externalId: `{ externalId: string, externalUrl?: string }` (a string is accepted on write)
 * - tags: `[{ name, tagGroup?: { name } }]`
 * - subscriptions: `[{ type, user: { id?, email }, roles?: [{ name }] }]`
 * - relation: `[{ factSheetId, name?, displayName?, ...attributes }]`, the desired set on write
 */
export type FieldType =
  | 'string'
  | 'integer'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'choice'
  | 'json'
  | 'list'
  | 'lifecycle'
  | 'externalId'
  | 'tags'
  | 'subscriptions'
  | 'relation'

export interface FieldDescription {
  name: string
  label?: string
  type: FieldType
  /** the entity a reference points to */
  reference?: string
  choices?: Array<{ value: string; label?: string }>
  readOnly?: boolean
  mandatory?: boolean
  /** holds a credential (a ServiceNow password field): its values are never shown, previews leave it out */
  secret?: boolean
}

export interface EntityDescription {
  /** table name or fact sheet type */
  name: string
  label?: string
  /** super class / parent type where the system has inheritance */
  parent?: string
  /** subtypes a record may have (LeanIX categories) */
  categories?: string[]
  fields: FieldDescription[]
}

export type SourceRecord = Record<string, unknown> & { id: string }

/** A graph rule a mapping side applies (LeanIX's graph-rule constraints): the connector computes it. */
export interface GraphRuleRef {
  /** the rule's name, as the connector lists it (e.g. APPLICATION_SAM_CONNECTION) */
  rule: string
  /** narrows what the rule starts from or walks through, in the connector's filter language; the rule's description says what */
  filter?: string
  /** how many relation hops the rule may follow, where it walks a graph (default: the rule's own) */
  hops?: number
}

export interface GraphRuleDescription {
  name: string
  description: string
  /** what `filter` narrows (e.g. "the business applications"); absent when the rule takes no filter */
  filterApplies?: string
  /** fields the rule adds to each record it lets through (e.g. the related applications, a list of references) */
  fields: FieldDescription[]
  /** where the rule walks relations: the hops it follows unless told, and the most it accepts; absent when it walks none */
  hops?: { default: number; max: number }
}

export interface ReadRequest {
  fields?: string[]
  /** a filter in the connector's own language */
  filter?: string
  /** resume after this cursor (opaque, from a previous page) */
  cursor?: string | null
  /** only records changed since this watermark (opaque, from a previous full or delta read) */
  since?: string | null
  /**
   * A preview: the caller wants this many records at most and stops reading after them, so the
   * connector may ask the system for only that many (one page of that size, no partitions)
   */
  limit?: number
  /**
   * Graph rules of the mapping side: when present, only records that at least one rule lets
   * through are returned, each with the fields of the rules that let it through
   */
  graphRules?: readonly GraphRuleRef[]
}

/** Records by id, or by the values of one field: what a partial sync needs of the other side. */
export interface LookupRequest {
  ids?: readonly string[]
  /** with `values`: records whose `field` equals one of them, as the system compares */
  field?: string
  values?: readonly string[]
  fields?: string[]
  /** a filter in the connector's own language, ANDed */
  filter?: string
  /** as in `ReadRequest`: only records a rule lets through, with the fields of the rules that did */
  graphRules?: readonly GraphRuleRef[]
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
  /**
   * The record as the system answered an update, where it answers with the whole record
   * (ServiceNow): the engine compares the fields it reads with what it planned from, to catch an
   * edit someone made between the read and this write
   */
  record?: Record<string, unknown>
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

/** Someone who works with a system: the sandbox makes the people of one emulator users of the others. */
export interface EmulatorPerson {
  email: string
  firstName: string
  lastName: string
}

export interface EmulatorOptions {
  /** default 0: any free port */
  port?: number
  host?: string
  /**
   * A folder of its own where the emulator keeps its data and credentials, so that it comes back
   * as it was after a restart (the sandbox); without it everything lives in memory.
   */
  stateDir?: string
  /** hears what goes wrong in the background (a state write that failed) */
  logger?: ConnectorLogger
  /** people to add as users, found by email (so that owners in another system map to them) */
  people?: readonly EmulatorPerson[]
}

export interface EmulatorHandle {
  /** base URL a client uses to reach it */
  url: string
  /** the settings (secrets included) of a connection to this emulator */
  connectionSettings: Record<string, unknown>
  /** how a person signs in to it by hand (user name, password, API token), shown at sandbox start */
  credentials: Record<string, string>
  /** the people the seed made (not technical users) */
  people: EmulatorPerson[]
  close(): Promise<void>
}

export type Capability = 'discover' | 'read' | 'write' | 'lookup' | 'matches' | 'events' | 'emulator'

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
  /** the entities of the system, or the ones named (and what their references point to, if asked) */
  discover?(conn: ConnectionContext<Settings>, entities?: readonly string[]): Promise<EntityDescription[]>
  read?(conn: ConnectionContext<Settings>, entity: string, request: ReadRequest): AsyncIterable<Page>
  write?(conn: ConnectionContext<Settings>, entity: string, changes: Change[]): Promise<ChangeResult[]>
  /** records by id or by field values, batched by the connector; absent ids are simply missing */
  lookup?(conn: ConnectionContext<Settings>, entity: string, request: LookupRequest): Promise<SourceRecord[]>
  matches?(filter: string, record: Record<string, unknown>): boolean
  /**
   * The graph rules the connector can compute for `entity` (rules over several tables that decide
   * which records sync and add fields to them); synchronous and static, none when absent
   */
  graphRules?(entity: string): readonly GraphRuleDescription[]
  /**
   * why a filter is malformed, or undefined when it is fine (checked when a mapping is saved);
   * `entity`, when given, is what the filter reads (a custom connector's constraint joins it)
   */
  filterError?(filter: string, entity?: string): string | undefined
  /**
   * One filter matching exactly the records both filters match, in the connector's language (a
   * custom connector's constraint with a mapping side's filter); both are well-formed. Throws,
   * saying why, when the language has no single filter for both
   */
  andFilters?(left: string, right: string): string
  /** where the hub writes the source id on records it creates in `entity` (correlation_id, an external id) */
  identityField?(conn: ConnectionContext<Settings>, entity: string): string | undefined
  /** a link a person can open to see the record in the system */
  recordUrl?(conn: ConnectionContext<Settings>, entity: string, id: string): Promise<string | undefined>
  /** the field a person knows a record by (name, displayName) */
  displayField?(entity: string): string
  events?(conn: ConnectionContext<Settings>, options: { signal: AbortSignal }): AsyncIterable<ChangeEvent[]>
  /** whether the connection's settings ask for change events (a webhook mode chosen); the hub then runs `events` */
  listensForEvents?(conn: ConnectionContext<Settings>): boolean
  /** change notifications pushed to the hub (a webhook delivery) as change events, echoes of our own writes left out */
  toChangeEvents?(conn: ConnectionContext<Settings>, raw: readonly unknown[]): Promise<ChangeEvent[]>
  /** the user this connection acts as: changes it made are echoes of the hub's own writes */
  ownActor?(conn: ConnectionContext<Settings>): string | undefined
  /** a seeded local stand-in of the system (the sandbox); loaded only when called */
  emulator?(options?: EmulatorOptions): Promise<EmulatorHandle>
}

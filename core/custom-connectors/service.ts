// Registering a custom connector: a table of a connection, checked against the system before
// anything is stored. The name must be free (built-in connectors included), the table must be
// described by the connection's connector (for ServiceNow: sys_db_object and sys_dictionary,
// inherited fields through the super class) and readable by the connection's user, and the key,
// display and subset fields must be among its fields. Only then is one row written, with its
// audit entry, in one transaction: a refusal leaves nothing behind. A change (display field,
// subset, constraint) is checked the same way and written the same way, with the drift flags of
// the mappings it breaks; the connection, table, name and key make another connector.
import { randomUUID } from 'node:crypto'
import type { Db } from '../store/db.ts'
import type { AuditStep } from '../audit/audit-log.ts'
import type { Capability, Connector, EntityDescription, FieldType } from '../connector/contract.ts'
import type { ConnectorRegistry } from '../connector/registry.ts'
import type { ResolvedConnection } from '../mapping/catalog.ts'
import { mapConstraintErrors } from '../store/constraint-errors.ts'
import { isoTimestamp } from '../store/timestamps.ts'
import { CustomConnectorErrors } from './errors.ts'
import { CustomConnectorRepository, type CustomConnectorRecord } from './repository.ts'
import { customFingerprint, withCustomEntities } from './connector.ts'
import { describeCustomConnector } from './describe.ts'
import {
  changedAny,
  changedFieldDrift,
  flagMappings,
  mappingsOfTable,
  schemaChanges,
  type DriftedMapping,
  type SchemaChanges,
} from './drift.ts'
import { MappingRepository, type MappingRecord } from '../mapping/repository.ts'
import type { ConnectorDescription } from '../connector/describe.ts'

export interface CustomConnectorInput {
  name: string
  connectionId: string
  entity: string
  keyField: string
  displayField: string
  /** the fields offered; every field of the entity when absent */
  fields?: string[]
  /** a constraint in the base connector's filter language */
  filter?: string
}

/**
 * A change of a custom connector. The name, connection, table and key field make it what it is:
 * sent with another value, they are refused (remove it and register another).
 */
export interface CustomConnectorChange {
  displayField?: string
  /** the fields offered; null for every field of the entity */
  fields?: string[] | null
  /** a constraint in the base connector's filter language; null or "" for none */
  filter?: string | null
  name?: string
  connectionId?: string
  entity?: string
  keyField?: string
}

/** What a change may not change, in the order it names them when refusing. */
const UNCHANGEABLE = ['name', 'connectionId', 'entity', 'keyField'] as const

/** Lower-case words: a name goes into URLs and log lines as it is. */
const NAME = /^[a-z][a-z0-9_-]{1,63}$/
/**
 * A table, type or field name: letters, digits and "_" only, so that nothing a person types can
 * reach an encoded query ("^", "=", ","), a URL path ("/", "..", "%") or a GraphQL document
 */
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,79}$/
/** What a connector must offer for a table of its connection to be synced. */
const NEEDED: readonly Capability[] = ['discover', 'read', 'write', 'lookup']
/** Field types a key may have: one value a person can read and compare */
const KEY_TYPES: ReadonlySet<FieldType> = new Set(['string', 'integer', 'decimal', 'choice', 'date', 'datetime'])

export interface CustomConnectorServiceOptions {
  db: Db
  registry: ConnectorRegistry
  /** a connection and its connector; throws CW_CONNECTION_NOT_FOUND */
  connection(id: string): Promise<ResolvedConnection>
}

export class CustomConnectorService {
  readonly repository: CustomConnectorRepository
  readonly #mappings: MappingRepository
  readonly #db: Db
  readonly #registry: ConnectorRegistry
  readonly #connection: CustomConnectorServiceOptions['connection']

  constructor(options: CustomConnectorServiceOptions) {
    this.#db = options.db
    this.#registry = options.registry
    this.#connection = options.connection
    this.repository = new CustomConnectorRepository(options.db)
    this.#mappings = new MappingRepository(options.db)
  }

  list(): Promise<CustomConnectorRecord[]> {
    return this.repository.list()
  }

  async get(idOrName: string): Promise<CustomConnectorRecord> {
    const found = await this.repository.find(idOrName)
    if (!found) throw new CustomConnectorErrors.NOT_FOUND(idOrName)
    return found
  }

  /** Every custom connector as the connector list shows it (removed ones are not listed). */
  async describeAll(): Promise<ConnectorDescription[]> {
    return (await this.repository.list()).filter((r) => !r.removedAt).map((record) => this.#described(record))
  }

  /** One custom connector, by name, as the connector list shows it; undefined when there is none. */
  async describe(name: string): Promise<ConnectorDescription | undefined> {
    const record = await this.repository.find(name)
    return record && !record.removedAt ? this.#described(record) : undefined
  }

  #described(record: CustomConnectorRecord): ConnectorDescription {
    const base = this.#registry.has(record.baseConnector) ? this.#registry.get(record.baseConnector) : undefined
    return describeCustomConnector(record, base)
  }

  /**
   * The connection with the custom connectors it has now laid over its connector: what mappings
   * and runs use. Read from the store each time, so a change on any hub instance counts at once.
   */
  async overlay(resolved: ResolvedConnection): Promise<ResolvedConnection> {
    const defs = await this.repository.ofConnection(resolved.context.id)
    if (defs.length === 0) return resolved
    return { ...resolved, connector: withCustomEntities(resolved.connector, defs), schemaKey: customFingerprint(defs) }
  }

  async register(input: CustomConnectorInput, audit?: AuditStep): Promise<CustomConnectorRecord> {
    if (!NAME.test(input.name)) throw new CustomConnectorErrors.NAME_INVALID(input.name)
    if (this.#registry.has(input.name)) throw new CustomConnectorErrors.NAME_TAKEN(input.name, 'a built-in connector')
    checkIdentifiers(input)

    const { connector, context } = await this.#connection(input.connectionId)
    const lacking = NEEDED.filter((c) => !connector.capabilities.includes(c))
    if (lacking.length > 0)
      throw new CustomConnectorErrors.BASE_UNSUPPORTED(context.name, connector.name, lacking.join(', '))
    checkFilter(connector, context, input.filter)
    const taken = (await this.repository.ofConnection(context.id)).find((d) => d.entity === input.entity)
    if (taken) throw new CustomConnectorErrors.ENTITY_TAKEN(context.name, input.entity, taken.name)

    const { schema } = await this.#checkedSchema(connector, context, input)

    const id = randomUUID()
    await mapConstraintErrors(
      () =>
        this.#db.transaction(async (tx) => {
          await this.repository.insert(
            {
              id,
              name: input.name,
              connectionId: context.id,
              baseConnector: connector.name,
              entity: input.entity,
              keyField: input.keyField,
              displayField: input.displayField,
              fields: input.fields ? [...new Set(input.fields)] : null,
              filter: input.filter ? input.filter : null,
              schema,
            },
            tx,
          )
          await audit?.(tx, { connectionId: context.id, entity: input.entity })
        }),
      {
        unique: (violation) =>
          violation.constraint?.includes('name')
            ? new CustomConnectorErrors.NAME_TAKEN(input.name, 'a custom connector')
            : new CustomConnectorErrors.ENTITY_TAKEN(context.name, input.entity, input.name),
      },
    )
    return this.get(id)
  }

  /**
   * Describes the connector's table again and stores what it finds (the subset's fields that are
   * still there): the stored schema is what mappings are checked against, so the caller then
   * checks them (drift.ts). A table that is gone is refused, its stored schema kept. With
   * `onlyIfChanged` (the check at the start of a run) nothing is written, nor audited, when the
   * table is as stored.
   */
  async rediscover(
    idOrName: string,
    audit?: AuditStep,
    options: { onlyIfChanged?: boolean } = {},
  ): Promise<{ record: CustomConnectorRecord; changes: SchemaChanges }> {
    const before = await this.get(idOrName)
    const { connector, context } = await this.#connection(before.connectionId)
    const discovered = await this.#discover(connector, context, before.entity)
    const kept = before.fields ? new Set([...before.fields, before.keyField, before.displayField]) : undefined
    const schema = kept ? { ...discovered, fields: discovered.fields.filter((f) => kept.has(f.name)) } : discovered
    const changes = schemaChanges(before.schema, schema)
    if (options.onlyIfChanged && !changedAny(changes)) return { record: before, changes }
    await this.#db.transaction(async (tx) => {
      await tx.query(
        'update custom_connectors set schema = $2, discovered_at = now(), updated_at = now() where id = $1',
        [before.id, JSON.stringify(schema)],
      )
      await audit?.(tx, { entity: before.entity, changes })
    })
    return { record: await this.get(before.id), changes }
  }

  /**
   * Changes a custom connector in place: its display field, field subset or constraint. The
   * table is described again and the change checked as a registration is (fields there, key
   * readable, constraint valid, no name that could reach a query). Then, in one transaction, the
   * row is written, the mappings of its table whose field mappings name a field the change drops
   * (or the table retyped) are flagged, and the change is audited with what it was and is. The
   * caller then cancels their runs and checks them against the new schema (drift.ts): the store is
   * shared, so every hub instance uses the change at its next read.
   */
  async update(
    idOrName: string,
    change: CustomConnectorChange,
    audit?: AuditStep,
    /** the updatedAt the caller read (If-Match): refused when it changed since */
    readAt?: string,
  ): Promise<{
    record: CustomConnectorRecord
    changes: SchemaChanges
    mappings: MappingRecord[]
    flagged: DriftedMapping[]
  }> {
    const before = await this.get(idOrName)
    if (before.removedAt) throw new CustomConnectorErrors.REMOVED_UNCHANGEABLE(before.name)
    if (readAt !== undefined && readAt !== before.updatedAt)
      throw new CustomConnectorErrors.CHANGED_MEANWHILE(before.name, before.updatedAt, readAt, before.name)
    for (const key of UNCHANGEABLE)
      if (change[key] !== undefined && change[key] !== before[key])
        throw new CustomConnectorErrors.UNCHANGEABLE(key, before.name, before.name)
    const fields = change.fields === undefined ? before.fields : change.fields
    const filter = change.filter === undefined ? before.filter : change.filter
    const input: CustomConnectorInput = {
      name: before.name,
      connectionId: before.connectionId,
      entity: before.entity,
      keyField: before.keyField,
      displayField: change.displayField ?? before.displayField,
      ...(fields ? { fields } : {}),
      ...(filter ? { filter } : {}),
    }
    checkIdentifiers(input)
    const { connector, context } = await this.#connection(before.connectionId)
    checkFilter(connector, context, input.filter)
    const { discovered, schema } = await this.#checkedSchema(connector, context, input)

    const after: CustomConnectorRecord = {
      ...before,
      displayField: input.displayField,
      fields: input.fields ? [...new Set(input.fields)] : null,
      filter: input.filter ?? null,
      schema,
    }
    // a field the table still has but the subset no longer offers is dropped, not removed
    const inTable = new Set(discovered.fields.map((f) => f.name))
    const compared = schemaChanges(before.schema, schema)
    const changes: SchemaChanges = {
      ...compared,
      removed: compared.removed.filter((f) => !inTable.has(f)),
      dropped: compared.removed.filter((f) => inTable.has(f)),
    }
    // read before the transaction: PGlite serves one transaction at a time
    const mappings = await mappingsOfTable(this.#mappings, before)
    const flagged = changedFieldDrift(mappings, after, changes)
    await this.#db.transaction(async (tx) => {
      // changed or removed while the table was described: this change was checked against the past
      const { rows } = await tx.query<{ updated_at: Date | string; removed_at: Date | string | null }>(
        'select updated_at, removed_at from custom_connectors where id = $1 for update',
        [before.id],
      )
      const now = rows[0]
      if (!now || now.removed_at) throw new CustomConnectorErrors.REMOVED_UNCHANGEABLE(before.name)
      if (isoTimestamp(now.updated_at) !== before.updatedAt)
        throw new CustomConnectorErrors.CHANGED_MEANWHILE(
          before.name,
          isoTimestamp(now.updated_at),
          before.updatedAt,
          before.name,
        )
      await tx.query(
        `update custom_connectors set display_field = $2, fields = $3, filter = $4, schema = $5,
            discovered_at = now(), updated_at = now()
          where id = $1`,
        [
          before.id,
          after.displayField,
          after.fields === null ? null : JSON.stringify(after.fields),
          after.filter,
          JSON.stringify(schema),
        ],
      )
      await flagMappings(tx, before.id, flagged)
      await audit?.(tx, {
        entity: before.entity,
        before: changeable(before),
        after: changeable(after),
        changes,
        flagged: flagged.map((m) => m.name),
      })
    })
    return { record: await this.get(before.id), changes, mappings, flagged }
  }

  /**
   * Removes a custom connector safely: the runs of its mappings are cancelled (`cancelRuns`), new
   * ones are refused (refusal.ts), and their links are kept until `cleanup` is confirmed. The row
   * stays, marked removed, so that its mappings never fall back to the bare table.
   */
  async remove(
    idOrName: string,
    cancelRuns: (mappingIds: string[]) => Promise<string[]>,
    audit?: AuditStep,
  ): Promise<{
    record: CustomConnectorRecord
    mappings: Array<{ id: string; name: string }>
    cancelledRuns: string[]
  }> {
    const record = await this.get(idOrName)
    // marked first: a run queued between the cancel and the mark would otherwise slip through
    await this.#db.transaction(async (tx) => {
      await tx.query(
        'update custom_connectors set removed_at = coalesce(removed_at, now()), updated_at = now() where id = $1',
        [record.id],
      )
      await audit?.(tx, { entity: record.entity })
    })
    const mappings = await this.repository.mappingsOf(record)
    const cancelledRuns = await cancelRuns(mappings.map((m) => m.id))
    return { record: await this.get(record.id), mappings, cancelledRuns }
  }

  /**
   * The confirmed end of a removal: the links of the connector's mappings are deleted and the
   * mappings disabled (so that none runs on the bare table as if nothing had been synced), then
   * the connector goes, its name and table free again. One transaction, with its audit entry.
   */
  async cleanup(
    idOrName: string,
    confirm: string,
    audit?: AuditStep,
  ): Promise<{ mappings: Array<{ id: string; name: string }>; linksDeleted: number }> {
    const record = await this.get(idOrName)
    if (!record.removedAt) throw new CustomConnectorErrors.NOT_REMOVED(record.name, record.name)
    if (confirm !== record.name) throw new CustomConnectorErrors.CLEANUP_UNCONFIRMED(record.name, record.name)
    return this.#db.transaction(async (tx) => {
      const mappings = await this.repository.mappingsOf(record, tx)
      const ids = mappings.map((m) => m.id)
      const { affectedRows } = await tx.query('delete from sync_links where mapping_id = any($1::uuid[])', [ids])
      await tx.query('update mappings set enabled = false, updated_at = now() where id = any($1::uuid[])', [ids])
      await tx.query('delete from custom_connectors where id = $1', [record.id])
      await audit?.(tx, { linksDeleted: affectedRows, mappingsDisabled: mappings.map((m) => m.name) })
      return { mappings, linksDeleted: affectedRows }
    })
  }

  async #discover(connector: Connector, context: ResolvedConnection['context'], entity: string) {
    let found: EntityDescription[]
    try {
      found = await connector.discover!(context, [entity])
    } catch (error) {
      throw new CustomConnectorErrors.DISCOVERY_FAILED(context.name, entity, (error as Error).message, context.id)
    }
    const described = found.find((e) => e.name === entity)
    if (!described) throw new CustomConnectorErrors.ENTITY_NOT_FOUND(context.name, entity)
    return described
  }

  /** The entity as the input offers it, its fields checked and one record read with its constraint. */
  async #checkedSchema(
    connector: Connector,
    context: ResolvedConnection['context'],
    input: CustomConnectorInput,
  ): Promise<{ discovered: EntityDescription; schema: EntityDescription }> {
    const discovered = await this.#discover(connector, context, input.entity)
    const schema = subset(discovered, input)
    await this.#probe(connector, context, input, schema)
    return { discovered, schema }
  }

  /** One record read with the constraint: the user may read the table, and the constraint holds. */
  async #probe(
    connector: Connector,
    context: ResolvedConnection['context'],
    input: CustomConnectorInput,
    schema: EntityDescription,
  ): Promise<void> {
    const fields = [input.keyField, input.displayField]
    try {
      for await (const page of connector.read!(context, input.entity, {
        fields,
        limit: 1,
        ...(input.filter ? { filter: input.filter } : {}),
      })) {
        void page
        break
      }
    } catch (error) {
      throw new CustomConnectorErrors.ENTITY_UNREADABLE(context.name, schema.name, (error as Error).message)
    }
  }
}

/** Names that could reach a query, a path or a GraphQL document are refused before any request. */
function checkIdentifiers(input: CustomConnectorInput): void {
  if (!IDENTIFIER.test(input.entity)) throw new CustomConnectorErrors.ENTITY_INVALID(input.entity)
  for (const [what, field] of namedFields(input))
    if (!IDENTIFIER.test(field))
      throw new CustomConnectorErrors.FIELD_INVALID(what, field, 'a field name has letters, digits and "_" only')
}

/** A constraint must be one the base connector parses and can AND to the filters of reads. */
function checkFilter(connector: Connector, context: ResolvedConnection['context'], filter: string | undefined): void {
  if (filter === undefined || filter === '') return
  if (!connector.andFilters)
    throw new CustomConnectorErrors.BASE_UNSUPPORTED(context.name, connector.name, 'combine filters (a constraint)')
  const why = connector.filterError?.(filter)
  if (why !== undefined) throw new CustomConnectorErrors.FILTER_INVALID(connector.title, why)
}

/** What a change may change, as its audit entry shows it before and after. */
const changeable = (record: CustomConnectorRecord) => ({
  displayField: record.displayField,
  fields: record.fields,
  filter: record.filter,
})

/** Every field the input names, with where it names it. */
function namedFields(input: CustomConnectorInput): Array<[string, string]> {
  return [
    ['keyField', input.keyField],
    ['displayField', input.displayField],
    ...(input.fields ?? []).map((f, i): [string, string] => [`fields/${i}`, f]),
  ]
}

/** The entity as the connector offers it: the subset's fields, with the key and display fields. */
function subset(entity: EntityDescription, input: CustomConnectorInput): EntityDescription {
  const byName = new Map(entity.fields.map((f) => [f.name, f]))
  const known = () => {
    const names = entity.fields.map((f) => f.name)
    return names.length > 12 ? `${names.slice(0, 12).join(', ')}, ...` : names.join(', ')
  }
  for (const [what, field] of namedFields(input))
    if (!byName.has(field)) throw new CustomConnectorErrors.FIELD_NOT_FOUND(what, field, entity.name, known())
  const key = byName.get(input.keyField)!
  if (!KEY_TYPES.has(key.type))
    throw new CustomConnectorErrors.FIELD_INVALID(
      'keyField',
      key.name,
      `a key holds one value a person can read; ${key.name} is a ${key.type}`,
    )
  if (!input.fields) return entity
  const kept = new Set([...input.fields, input.keyField, input.displayField])
  return { ...entity, fields: entity.fields.filter((f) => kept.has(f.name)) }
}

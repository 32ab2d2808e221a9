// Custom connector records in the store. Every hub instance reads them from here on use (they are
// few and small), so one registered on any instance is seen by all at once, without a restart.
import type { Db, Queryable } from '../store/db.ts'
import type { EntityDescription } from '../connector/contract.ts'
import { isoTimestamp } from '../store/timestamps.ts'

export interface CustomConnectorRecord {
  id: string
  name: string
  connectionId: string
  /** the connector of the connection, whose client checks, discovers, reads and writes */
  baseConnector: string
  /** the table (or type) of the connection this connector serves */
  entity: string
  /** the field that identifies a record to people and matching (a business key) */
  keyField: string
  /** the field a person knows a record by */
  displayField: string
  /** the field subset offered, null for every field */
  fields: string[] | null
  /** a constraint in the base connector's filter language, ANDed to every read and lookup */
  filter: string | null
  /** the entity as last discovered, the subset applied */
  schema: EntityDescription
  discoveredAt: string
  createdAt: string
  updatedAt: string
  /** set once removed: its mappings may not run, its links wait for a confirmed cleanup */
  removedAt: string | null
}

interface Row {
  id: string
  name: string
  connection_id: string
  base_connector: string
  entity: string
  key_field: string
  display_field: string
  fields: string[] | null
  filter: string | null
  schema: EntityDescription
  discovered_at: Date | string
  created_at: Date | string
  updated_at: Date | string
  removed_at: Date | string | null
}

const toRecord = (row: Row): CustomConnectorRecord => ({
  id: row.id,
  name: row.name,
  connectionId: row.connection_id,
  baseConnector: row.base_connector,
  entity: row.entity,
  keyField: row.key_field,
  displayField: row.display_field,
  fields: row.fields,
  filter: row.filter,
  schema: row.schema,
  discoveredAt: isoTimestamp(row.discovered_at),
  createdAt: isoTimestamp(row.created_at),
  updatedAt: isoTimestamp(row.updated_at),
  removedAt: isoTimestamp(row.removed_at),
})

export type NewCustomConnector = Omit<CustomConnectorRecord, 'discoveredAt' | 'createdAt' | 'updatedAt' | 'removedAt'>

export class CustomConnectorRepository {
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
  }

  async list(): Promise<CustomConnectorRecord[]> {
    const { rows } = await this.#db.query<Row>('select * from custom_connectors order by name')
    return rows.map(toRecord)
  }

  /** by id or name; undefined when there is none */
  async find(idOrName: string): Promise<CustomConnectorRecord | undefined> {
    // a name may look like a UUID: both are asked, the text compared (no cast that could fail)
    const { rows } = await this.#db.query<Row>(
      'select * from custom_connectors where id::text = lower($1) or name = $1 order by (name = $1) desc limit 1',
      [idOrName],
    )
    return rows[0] ? toRecord(rows[0]) : undefined
  }

  /** the custom connectors of a connection, by entity */
  async ofConnection(connectionId: string): Promise<CustomConnectorRecord[]> {
    const { rows } = await this.#db.query<Row>(
      'select * from custom_connectors where connection_id = $1 order by entity',
      [connectionId],
    )
    return rows.map(toRecord)
  }

  /** The mappings whose source or target is the connector's connection and table. */
  async mappingsOf(
    record: CustomConnectorRecord,
    q: Queryable = this.#db,
  ): Promise<Array<{ id: string; name: string }>> {
    const { rows } = await q.query<{ id: string; name: string }>(
      `select id, name from mappings
        where (source_connection_id = $1 and source_entity = $2) or (target_connection_id = $1 and target_entity = $2)
        order by name`,
      [record.connectionId, record.entity],
    )
    return rows
  }

  async insert(record: NewCustomConnector, tx: Queryable = this.#db): Promise<void> {
    await tx.query(
      `insert into custom_connectors
         (id, name, connection_id, base_connector, entity, key_field, display_field, fields, filter, schema)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        record.id,
        record.name,
        record.connectionId,
        record.baseConnector,
        record.entity,
        record.keyField,
        record.displayField,
        record.fields === null ? null : JSON.stringify(record.fields),
        record.filter,
        JSON.stringify(record.schema),
      ],
    )
  }
}

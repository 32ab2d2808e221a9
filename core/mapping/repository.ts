// Mapping records and their versions. The definition is a spec validated by core/mapping/prepare.ts
// before it gets here; this repository stores it, keeps every saved version (list, read, restore)
// and finds records. Columns beside the JSON (name, connections, entities, mode) are what other
// tables and queries join on.
import { randomUUID } from 'node:crypto'
import type { Db, Queryable } from '../store/db.ts'
import { mapConstraintErrors } from '../store/constraint-errors.ts'
import { MappingErrors } from './errors.ts'
import { MAPPING_SCHEMA_VERSION, type MappingSpec, type SyncModeName } from './schema.ts'
import { upgradeDefinition } from './upgrade.ts'
import { isoTimestamp } from '../store/timestamps.ts'

export type SyncMode = SyncModeName

export interface MappingRecord {
  id: string
  name: string
  /** increases by one with every save */
  version: number
  sourceConnectionId: string
  targetConnectionId: string
  sourceEntity: string
  targetEntity: string
  mode: SyncMode
  enabled: boolean
  definition: MappingSpec
  createdAt: string
  updatedAt: string
  updatedBy: string | null
}

export interface MappingVersion {
  mappingId: string
  version: number
  createdAt: string
  createdBy: string | null
  note: string | null
  definition: MappingSpec
}

interface Row {
  id: string
  name: string
  version: number
  schema_version: number
  source_connection_id: string
  target_connection_id: string
  source_entity: string
  target_entity: string
  mode: SyncMode
  enabled: boolean
  definition: Record<string, unknown>
  created_at: Date | string
  updated_at: Date | string
  updated_by: string | null
}

interface VersionRow {
  mapping_id: string
  version: number
  schema_version: number
  definition: Record<string, unknown>
  created_at: Date | string
  created_by: string | null
  note: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function toRecord(row: Row): MappingRecord {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    sourceConnectionId: row.source_connection_id,
    targetConnectionId: row.target_connection_id,
    sourceEntity: row.source_entity,
    targetEntity: row.target_entity,
    mode: row.mode,
    enabled: row.enabled,
    definition: upgradeDefinition(row.id, row.definition, row.schema_version),
    createdAt: isoTimestamp(row.created_at),
    updatedAt: isoTimestamp(row.updated_at),
    updatedBy: row.updated_by,
  }
}

function toVersion(row: VersionRow): MappingVersion {
  return {
    mappingId: row.mapping_id,
    version: row.version,
    createdAt: isoTimestamp(row.created_at),
    createdBy: row.created_by,
    note: row.note,
    definition: upgradeDefinition(row.mapping_id, row.definition, row.schema_version),
  }
}

/** The mapping's columns the definition decides, in the order both statements below write them. */
function specColumns(spec: MappingSpec): unknown[] {
  return [
    spec.name,
    spec.source.connectionId,
    spec.target.connectionId,
    spec.source.entity,
    spec.target.entity,
    spec.mode,
    spec.enabled,
    JSON.stringify(spec),
  ]
}

export interface MappingListQuery {
  limit?: number
  offset?: number
  connectionId?: string
  enabled?: boolean
}

export class MappingRepository {
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
  }

  async create(spec: MappingSpec, by: string | null, q: Queryable = this.#db): Promise<MappingRecord> {
    const id = randomUUID()
    const work = async (tx: Queryable) => {
      await tx.query(
        `insert into mappings (id, name, source_connection_id, target_connection_id, source_entity, target_entity,
           mode, enabled, definition, version, schema_version, updated_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11)`,
        [id, ...specColumns(spec), MAPPING_SCHEMA_VERSION, by],
      )
      await this.#addVersion(tx, id, 1, spec, by, 'created')
    }
    await mapConstraintErrors(() => (q === this.#db ? this.#db.transaction(work) : work(q)), {
      unique: () => new MappingErrors.NAME_TAKEN(spec.name),
    })
    return this.get(id, q)
  }

  /** Saves a new version; `expectedVersion` guards against overwriting someone else's change. */
  async update(
    id: string,
    spec: MappingSpec,
    by: string | null,
    options: { expectedVersion?: number; note?: string } = {},
  ): Promise<MappingRecord> {
    await mapConstraintErrors(
      () =>
        this.#db.transaction(async (tx) => {
          const { rows } = await tx.query<{ version: number }>(
            'select version from mappings where id = $1 for update',
            [id],
          )
          const current = rows[0]
          if (!current) throw new MappingErrors.NOT_FOUND(id)
          if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
            throw new MappingErrors.VERSION_CONFLICT(id, current.version, options.expectedVersion)
          }
          const version = current.version + 1
          await tx.query(
            `update mappings set name = $2, source_connection_id = $3, target_connection_id = $4, source_entity = $5,
             target_entity = $6, mode = $7, enabled = $8, definition = $9, version = $10, schema_version = $11,
             updated_by = $12, updated_at = now()
           where id = $1`,
            [id, ...specColumns(spec), version, MAPPING_SCHEMA_VERSION, by],
          )
          await this.#addVersion(tx, id, version, spec, by, options.note ?? null)
          // saved, so validated against the schemas of now: a drift flag (mapping_drift) no longer holds
          await tx.query('delete from mapping_drift where mapping_id = $1', [id])
        }),
      { unique: () => new MappingErrors.NAME_TAKEN(spec.name) },
    )
    return this.get(id)
  }

  async #addVersion(
    tx: Queryable,
    id: string,
    version: number,
    spec: MappingSpec,
    by: string | null,
    note: string | null,
  ) {
    await tx.query(
      'insert into mapping_versions (mapping_id, version, schema_version, definition, created_by, note) values ($1, $2, $3, $4, $5, $6)',
      [id, version, MAPPING_SCHEMA_VERSION, JSON.stringify(spec), by, note],
    )
  }

  async delete(id: string): Promise<void> {
    const { affectedRows } = await this.#db.query('delete from mappings where id = $1', [id])
    if (affectedRows === 0) throw new MappingErrors.NOT_FOUND(id)
  }

  async list(query: MappingListQuery = {}): Promise<{ items: MappingRecord[]; total: number }> {
    const conditions: string[] = []
    const params: unknown[] = []
    if (query.connectionId) {
      params.push(query.connectionId)
      conditions.push(`(source_connection_id = $${params.length} or target_connection_id = $${params.length})`)
    }
    if (query.enabled !== undefined) {
      params.push(query.enabled)
      conditions.push(`enabled = $${params.length}`)
    }
    const where = conditions.length ? `where ${conditions.join(' and ')}` : ''
    const total = await this.#db.query<{ n: number }>(`select count(*)::int as n from mappings ${where}`, params)
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 500)
    const offset = Math.max(query.offset ?? 0, 0)
    const { rows } = await this.#db.query<Row>(
      `select * from mappings ${where} order by name limit $${params.length + 1} offset $${params.length + 2}`,
      [...params, limit, offset],
    )
    return { items: rows.map(toRecord), total: total.rows[0]?.n ?? 0 }
  }

  async get(id: string, q: Queryable = this.#db): Promise<MappingRecord> {
    if (!UUID.test(id)) throw new MappingErrors.NOT_FOUND(id)
    const { rows } = await q.query<Row>('select * from mappings where id = $1', [id])
    const row = rows[0]
    if (!row) throw new MappingErrors.NOT_FOUND(id)
    return toRecord(row)
  }

  /** By id or by name; undefined when neither matches. */
  async find(nameOrId: string): Promise<MappingRecord | undefined> {
    const { rows } = UUID.test(nameOrId)
      ? await this.#db.query<Row>('select * from mappings where id = $1 or name = $2', [nameOrId, nameOrId])
      : await this.#db.query<Row>('select * from mappings where name = $1', [nameOrId])
    const row = rows.find((r) => r.id === nameOrId) ?? rows[0]
    return row ? toRecord(row) : undefined
  }

  async getMany(ids: readonly string[]): Promise<Map<string, MappingRecord>> {
    const valid = ids.filter((id) => UUID.test(id))
    if (valid.length === 0) return new Map()
    const { rows } = await this.#db.query<Row>('select * from mappings where id = any($1::uuid[])', [valid])
    return new Map(rows.map((r) => [r.id, toRecord(r)]))
  }

  /** Mappings that read from or write to any of the given connections, grouped by connection. */
  async byConnections(connectionIds: readonly string[]): Promise<Map<string, MappingRecord[]>> {
    const { rows } = await this.#db.query<Row>(
      'select * from mappings where source_connection_id = any($1::uuid[]) or target_connection_id = any($1::uuid[]) order by name',
      [connectionIds],
    )
    const out = new Map<string, MappingRecord[]>(connectionIds.map((id) => [id, []]))
    for (const row of rows) {
      const record = toRecord(row)
      out.get(record.sourceConnectionId)?.push(record)
      if (record.targetConnectionId !== record.sourceConnectionId) out.get(record.targetConnectionId)?.push(record)
    }
    return out
  }

  /** Mappings whose relation mappings name this one (by id or name). */
  async referencing(mapping: MappingRecord): Promise<MappingRecord[]> {
    const { rows } = await this.#db.query<Row>(
      `select * from mappings m where m.id <> $1 and exists (
         select 1 from jsonb_array_elements(coalesce(m.definition->'relations', '[]'::jsonb)) r
         where r->>'otherMapping' in ($1::text, $2))`,
      [mapping.id, mapping.name],
    )
    return rows.map(toRecord)
  }

  async versions(id: string): Promise<MappingVersion[]> {
    await this.get(id)
    const { rows } = await this.#db.query<VersionRow>(
      'select * from mapping_versions where mapping_id = $1 order by version desc',
      [id],
    )
    return rows.map(toVersion)
  }

  async version(id: string, version: number): Promise<MappingVersion> {
    await this.get(id)
    const { rows } = await this.#db.query<VersionRow>(
      'select * from mapping_versions where mapping_id = $1 and version = $2',
      [id, version],
    )
    const row = rows[0]
    if (!row) throw new MappingErrors.VERSION_NOT_FOUND(id, version, id)
    return toVersion(row)
  }
}

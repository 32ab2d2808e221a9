// Mapping records. The mapping definition (field maps, constraints, relations) is JSON validated
// by the mapping schema; this repository only stores and finds records.
import { randomUUID } from 'node:crypto'
import type { Db } from '../store/db.ts'

export type SyncMode = 'additive' | 'conservative' | 'strict'

export interface MappingRecord {
  id: string
  name: string
  sourceConnectionId: string
  targetConnectionId: string
  sourceEntity: string
  targetEntity: string
  mode: SyncMode
  enabled: boolean
  definition: Record<string, unknown>
  createdAt: string
  updatedAt: string
}

interface Row {
  id: string
  name: string
  source_connection_id: string
  target_connection_id: string
  source_entity: string
  target_entity: string
  mode: SyncMode
  enabled: boolean
  definition: Record<string, unknown>
  created_at: Date | string
  updated_at: Date | string
}

const iso = (v: Date | string) => new Date(v).toISOString()

function toRecord(row: Row): MappingRecord {
  return {
    id: row.id,
    name: row.name,
    sourceConnectionId: row.source_connection_id,
    targetConnectionId: row.target_connection_id,
    sourceEntity: row.source_entity,
    targetEntity: row.target_entity,
    mode: row.mode,
    enabled: row.enabled,
    definition: row.definition,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}

export type MappingInput = Omit<MappingRecord, 'id' | 'createdAt' | 'updatedAt'>

export class MappingRepository {
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
  }

  async create(input: MappingInput): Promise<MappingRecord> {
    const { rows } = await this.#db.query<Row>(
      `insert into mappings (id, name, source_connection_id, target_connection_id, source_entity, target_entity, mode, enabled, definition)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`,
      [
        randomUUID(),
        input.name,
        input.sourceConnectionId,
        input.targetConnectionId,
        input.sourceEntity,
        input.targetEntity,
        input.mode,
        input.enabled,
        JSON.stringify(input.definition),
      ],
    )
    return toRecord(rows[0] as Row)
  }

  async list(limit = 100, offset = 0): Promise<MappingRecord[]> {
    const { rows } = await this.#db.query<Row>('select * from mappings order by name limit $1 offset $2', [
      limit,
      offset,
    ])
    return rows.map(toRecord)
  }

  async getMany(ids: readonly string[]): Promise<Map<string, MappingRecord>> {
    const { rows } = await this.#db.query<Row>('select * from mappings where id = any($1::uuid[])', [ids])
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
}

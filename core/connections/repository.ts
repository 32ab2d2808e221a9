// Connection records: name, connector, settings (no secrets) and the names of the secrets that
// are set. Secret values live in the vault, sealed, bound to "connection:<id>".
import { randomUUID } from 'node:crypto'
import type { Db, Queryable } from '../store/db.ts'
import type { ConnectorRegistry } from '../connector/registry.ts'
import type { ConnectionContext, ConnectorLogger, CheckResult } from '../connector/contract.ts'
import type { SecretStore } from '../vault/types.ts'
import { mapConstraintErrors } from '../store/constraint-errors.ts'
import { ConnectionErrors } from './errors.ts'
import { mergeSecrets, splitSecrets, validateSettings, withStoredSecretPlaceholders } from './settings.ts'

export interface ConnectionRecord {
  id: string
  name: string
  connector: string
  settings: Record<string, unknown>
  /** names of the secrets that are set; never their values */
  secretsSet: string[]
  createdAt: string
  updatedAt: string
}

export interface ConnectionInput {
  name: string
  connector: string
  settings: Record<string, unknown>
}

export interface ConnectionPatch {
  name?: string
  /** merged over the stored settings; a secret given as null is removed */
  settings?: Record<string, unknown>
}

interface Row {
  id: string
  name: string
  connector: string
  settings: Record<string, unknown>
  created_at: Date | string
  updated_at: Date | string
}

const ownerOf = (id: string) => `connection:${id}`
const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString())

export class ConnectionRepository {
  readonly #db: Db
  readonly #connectors: ConnectorRegistry
  readonly #vault: SecretStore

  readonly #onChange: (id: string, action: 'created' | 'updated' | 'deleted') => void

  /** `onChange` hears of every committed change, whichever surface made it */
  constructor(
    db: Db,
    connectors: ConnectorRegistry,
    vault: SecretStore,
    onChange: (id: string, action: 'created' | 'updated' | 'deleted') => void = () => {},
  ) {
    this.#db = db
    this.#connectors = connectors
    this.#vault = vault
    this.#onChange = onChange
  }

  async #toRecord(row: Row): Promise<ConnectionRecord> {
    return (await this.#toRecords([row]))[0] as ConnectionRecord
  }

  /** Rows to records with the secret names of all of them read in one query. */
  async #toRecords(rows: Row[]): Promise<ConnectionRecord[]> {
    const names = await this.#vault.namesByOwner(rows.map((r) => ownerOf(r.id)))
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      connector: row.connector,
      settings: row.settings,
      secretsSet: names.get(ownerOf(row.id)) ?? [],
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    }))
  }

  async list(
    options: { connector?: string; limit?: number; offset?: number } = {},
  ): Promise<{ items: ConnectionRecord[]; total: number }> {
    const where = options.connector ? 'where connector = $1' : ''
    const params = options.connector ? [options.connector] : []
    const total = await this.#db.query<{ n: number }>(`select count(*)::int as n from connections ${where}`, params)
    const { rows } = await this.#db.query<Row>(
      `select * from connections ${where} order by name limit ${Number(options.limit ?? 100)} offset ${Number(options.offset ?? 0)}`,
      params,
    )
    return { items: await this.#toRecords(rows), total: total.rows[0]?.n ?? 0 }
  }

  async #row(id: string, q: Queryable = this.#db): Promise<Row> {
    const { rows } = await q.query<Row>('select * from connections where id = $1', [id])
    const row = rows[0]
    if (!row) throw new ConnectionErrors.NOT_FOUND(id)
    return row
  }

  async get(id: string): Promise<ConnectionRecord> {
    return this.#toRecord(await this.#row(id))
  }

  /** The rows matching ids, in one query (GraphQL loaders). */
  async getMany(ids: readonly string[]): Promise<Map<string, ConnectionRecord>> {
    const { rows } = await this.#db.query<Row>('select * from connections where id = any($1::uuid[])', [ids])
    const records = await this.#toRecords(rows)
    return new Map(records.map((r) => [r.id, r]))
  }

  async create(input: ConnectionInput): Promise<ConnectionRecord> {
    const connector = this.#connectors.get(input.connector)
    const valid = validateSettings(connector, input.settings)
    const { settings, secrets } = splitSecrets(connector, valid)
    const id = randomUUID()
    await mapConstraintErrors(
      () =>
        this.#db.query('insert into connections (id, name, connector, settings) values ($1, $2, $3, $4)', [
          id,
          input.name,
          connector.name,
          JSON.stringify(settings),
        ]),
      { unique: () => new ConnectionErrors.NAME_TAKEN(input.name) },
    )
    for (const [name, value] of Object.entries(secrets)) await this.#vault.put(ownerOf(id), name, value)
    this.#onChange(id, 'created')
    return this.get(id)
  }

  async update(id: string, patch: ConnectionPatch): Promise<ConnectionRecord> {
    const row = await this.#row(id)
    const connector = this.#connectors.get(row.connector)
    // a top-level secret given as null is removed; nested ones are replaced by giving a new value
    const removed = Object.entries(patch.settings ?? {})
      .filter(([key, value]) => value === null && connector.secretFields.includes(key))
      .map(([key]) => key)
    const given = Object.fromEntries(Object.entries(patch.settings ?? {}).filter(([, v]) => v !== null))
    const storedSecrets = (await this.#vault.names(ownerOf(id))).filter((n) => !removed.includes(n))
    const merged = withStoredSecretPlaceholders({ ...row.settings, ...given }, storedSecrets)
    const valid = validateSettings(connector, merged)
    const { settings, secrets } = splitSecrets(connector, valid)
    await mapConstraintErrors(
      () =>
        this.#db.query('update connections set name = $2, settings = $3, updated_at = now() where id = $1', [
          id,
          patch.name ?? row.name,
          JSON.stringify(settings),
        ]),
      { unique: () => new ConnectionErrors.NAME_TAKEN(String(patch.name)) },
    )
    for (const name of removed) await this.#vault.remove(ownerOf(id), name)
    for (const [name, value] of Object.entries(secrets)) await this.#vault.put(ownerOf(id), name, value)
    this.#onChange(id, 'updated')
    return this.get(id)
  }

  async delete(id: string): Promise<void> {
    const { affectedRows } = await mapConstraintErrors(
      () => this.#db.query('delete from connections where id = $1', [id]),
      { 'foreign-key': async () => new ConnectionErrors.IN_USE(id, await this.#mappingsUsing(id)) },
    )
    if (affectedRows === 0) throw new ConnectionErrors.NOT_FOUND(id)
    await this.#vault.removeAll(ownerOf(id))
    this.#onChange(id, 'deleted')
  }

  /** Names of the mappings that read from or write to a connection, for CW_CONNECTION_IN_USE. */
  async #mappingsUsing(id: string): Promise<string> {
    const { rows } = await this.#db.query<{ name: string }>(
      'select name from mappings where source_connection_id = $1 or target_connection_id = $1 order by name limit 20',
      [id],
    )
    return rows.map((row) => `"${row.name}"`).join(', ')
  }

  /** The connection as a connector sees it, secrets opened for this call only. */
  async resolve(id: string, logger: ConnectorLogger, signal?: AbortSignal): Promise<ConnectionContext> {
    const row = await this.#row(id)
    const secrets = await this.#vault.getAll(ownerOf(row.id))
    return {
      id: row.id,
      name: row.name,
      settings: mergeSecrets(row.settings, secrets),
      secrets,
      logger,
      ...(signal ? { signal } : {}),
    }
  }

  async check(id: string, logger: ConnectorLogger): Promise<CheckResult & { connector: string; durationMs: number }> {
    const row = await this.#row(id)
    const connector = this.#connectors.get(row.connector)
    const context = await this.resolve(id, logger, AbortSignal.timeout(30_000))
    const started = performance.now()
    let result: CheckResult
    try {
      result = await connector.check(context)
    } catch (error) {
      // A connector's own error message says what failed; secrets never reach these messages.
      result = { ok: false, message: (error as Error).message }
    }
    return { ...result, connector: connector.name, durationMs: Math.round(performance.now() - started) }
  }
}

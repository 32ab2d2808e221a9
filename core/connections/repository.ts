// Connection records: name, connector, settings (no secrets) and the names of the secrets that
// are set. Secret values live in the vault, sealed, bound to "connection:<id>". A write commits
// the row, its secrets and its audit entry in one transaction, or none of them.
import { randomUUID } from 'node:crypto'
import type { Db, Queryable } from '../store/db.ts'
import type { ConnectorRegistry } from '../connector/registry.ts'
import type { ConnectionContext, ConnectorLogger, CheckResult } from '../connector/contract.ts'
import type { SecretStore } from '../vault/types.ts'
import type { AuditStep } from '../audit/audit-log.ts'
import { mapConstraintErrors } from '../store/constraint-errors.ts'
import { ConnectionErrors } from './errors.ts'
import { mergeSecrets, secretPaths, splitSecrets, validateSettings, withStoredSecretPlaceholders } from './settings.ts'
import { changedOrigins, describeOriginChanges, readPath, urlSettingPaths } from './url-settings.ts'
import { isoTimestamp } from '../store/timestamps.ts'
import { ConnectionHealthRepository, type CheckTrigger } from './health.ts'

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

export interface UpdatedConnection extends ConnectionRecord {
  /** secrets dropped because the origin of a URL setting changed and they were not sent again */
  secretsDropped?: string[]
}

export interface WriteOptions {
  /** writes the change's audit entry in the change's own transaction (`details` join its summary) */
  audit?: AuditStep | undefined
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

export class ConnectionRepository {
  readonly #db: Db
  readonly #connectors: ConnectorRegistry
  readonly #vault: SecretStore

  readonly #onChange: (id: string, action: 'created' | 'updated' | 'deleted') => void
  readonly #onChecked: (id: string, ok: boolean) => void
  /** the last check of each connection */
  readonly health: ConnectionHealthRepository

  /**
   * `onChange` hears of every committed change, whichever surface made it; `onChecked` of every
   * check outcome kept as a connection's health
   */
  constructor(
    db: Db,
    connectors: ConnectorRegistry,
    vault: SecretStore,
    onChange: (id: string, action: 'created' | 'updated' | 'deleted') => void = () => {},
    onChecked: (id: string, ok: boolean) => void = () => {},
  ) {
    this.#db = db
    this.#connectors = connectors
    this.#vault = vault
    this.#onChange = onChange
    this.#onChecked = onChecked
    this.health = new ConnectionHealthRepository(db)
  }

  async #toRecord(row: Row): Promise<ConnectionRecord> {
    return (await this.#toRecords([row]))[0] as ConnectionRecord
  }

  /** Rows to records with the secret names of all of them read in one query. */
  async #toRecords(rows: Row[]): Promise<ConnectionRecord[]> {
    if (rows.length === 0) return []
    const names = await this.#vault.namesByOwner(rows.map((r) => ownerOf(r.id)))
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      connector: row.connector,
      settings: row.settings,
      secretsSet: names.get(ownerOf(row.id)) ?? [],
      createdAt: isoTimestamp(row.created_at),
      updatedAt: isoTimestamp(row.updated_at),
    }))
  }

  async list(
    options: { connector?: string; limit?: number; offset?: number } = {},
  ): Promise<{ items: ConnectionRecord[]; total: number }> {
    const where = options.connector ? 'where connector = $1' : ''
    const params = options.connector ? [options.connector] : []
    // the page and the count in one round trip; a page past the end has no row to carry the count
    const { rows } = await this.#db.query<Row & { total: number }>(
      `select *, count(*) over ()::int as total from connections ${where} order by name
        limit ${Number(options.limit ?? 100)} offset ${Number(options.offset ?? 0)}`,
      params,
    )
    const total =
      rows[0]?.total ??
      (await this.#db.query<{ n: number }>(`select count(*)::int as n from connections ${where}`, params)).rows[0]?.n ??
      0
    return { items: await this.#toRecords(rows), total }
  }

  async #row(id: string, q: Queryable = this.#db, lock: '' | 'for update' = ''): Promise<Row> {
    const { rows } = await q.query<Row>(`select * from connections where id = $1 ${lock}`, [id])
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

  async create(input: ConnectionInput, options: WriteOptions = {}): Promise<ConnectionRecord> {
    const connector = this.#connectors.get(input.connector)
    const valid = validateSettings(connector, input.settings)
    const { settings, secrets } = splitSecrets(connector, valid)
    const id = randomUUID()
    // the row, its secrets and the audit entry commit together: a secret the vault refuses
    // leaves no connection behind
    await mapConstraintErrors(
      () =>
        this.#db.transaction(async (tx) => {
          await tx.query('insert into connections (id, name, connector, settings) values ($1, $2, $3, $4)', [
            id,
            input.name,
            connector.name,
            JSON.stringify(settings),
          ])
          for (const [name, value] of Object.entries(secrets)) await this.#vault.put(ownerOf(id), name, value, tx)
          await options.audit?.(tx)
        }),
      { unique: () => new ConnectionErrors.NAME_TAKEN(input.name) },
    )
    this.#onChange(id, 'created')
    return this.get(id)
  }

  /**
   * Merges `patch` over the stored connection. When the origin of a URL setting changes, the
   * stored secrets not sent again in the same patch are dropped (and listed in the answer):
   * they were given for the old origin and are never sent to the new one.
   */
  async update(id: string, patch: ConnectionPatch, options: WriteOptions = {}): Promise<UpdatedConnection> {
    // decided on the row as it is locked in the write's transaction: a concurrent patch cannot
    // bring back a URL, or keep a secret, that this one's view of the row did not see
    const dropped = await mapConstraintErrors(
      () =>
        this.#db.transaction(async (tx) => {
          const row = await this.#row(id, tx, 'for update')
          const connector = this.#connectors.get(row.connector)
          const given = patch.settings ?? {}
          // a top-level secret given as null is removed; nested ones are replaced by giving a new value
          const removed = Object.entries(given)
            .filter(([key, value]) => value === null && secretPaths(connector).has(key))
            .map(([key]) => key)
          const sent = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== null))
          const plain = { ...row.settings, ...sent }
          const moved = changedOrigins(urlSettingPaths(connector.configSchema), row.settings, plain)
          const stored = (await this.#vault.names(ownerOf(id), tx)).filter((n) => !removed.includes(n))
          const dropped = moved.length > 0 ? stored.filter((name) => readPath(sent, name) === undefined) : []
          const kept = stored.filter((name) => !dropped.includes(name))
          let valid: Record<string, unknown>
          try {
            valid = validateSettings(connector, withStoredSecretPlaceholders(plain, kept))
          } catch (error) {
            if (dropped.length === 0 || !(error instanceof ConnectionErrors.SETTINGS_INVALID)) throw error
            throw new ConnectionErrors.SECRETS_NEEDED(describeOriginChanges(moved), dropped.join(', '), error.message)
          }
          const { settings, secrets } = splitSecrets(connector, valid)
          await tx.query('update connections set name = $2, settings = $3, updated_at = now() where id = $1', [
            id,
            patch.name ?? row.name,
            JSON.stringify(settings),
          ])
          for (const name of [...removed, ...dropped]) await this.#vault.remove(ownerOf(id), name, tx)
          for (const [name, value] of Object.entries(secrets)) await this.#vault.put(ownerOf(id), name, value, tx)
          await options.audit?.(tx, dropped.length > 0 ? { droppedOnOriginChange: dropped } : undefined)
          return dropped
        }),
      { unique: () => new ConnectionErrors.NAME_TAKEN(String(patch.name)) },
    )
    this.#onChange(id, 'updated')
    return { ...(await this.get(id)), ...(dropped.length > 0 ? { secretsDropped: dropped } : {}) }
  }

  async delete(id: string, options: WriteOptions = {}): Promise<void> {
    await mapConstraintErrors(
      () =>
        this.#db.transaction(async (tx) => {
          const { affectedRows } = await tx.query('delete from connections where id = $1', [id])
          if (affectedRows === 0) throw new ConnectionErrors.NOT_FOUND(id)
          await this.#vault.removeAll(ownerOf(id), tx)
          await options.audit?.(tx)
        }),
      { 'foreign-key': async () => new ConnectionErrors.IN_USE(id, await this.#mappingsUsing(id)) },
    )
    this.#onChange(id, 'deleted')
  }

  /** The mappings that read from or write to a connection, and its custom connectors, for CW_CONNECTION_IN_USE. */
  async #mappingsUsing(id: string): Promise<string> {
    const { rows } = await this.#db.query<{ kind: string; name: string }>(
      `select kind, name from (
         select 'mapping' as kind, name from mappings where source_connection_id = $1 or target_connection_id = $1
         union all
         select 'custom connector' as kind, name from custom_connectors where connection_id = $1
       ) users order by kind, name limit 20`,
      [id],
    )
    return rows.map((row) => `${row.kind} "${row.name}"`).join(', ')
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

  /**
   * Reaches the system with the connection and keeps the outcome as the connection's health,
   * whoever asked (an operator, or the periodic check). A failure carries a stable code: the
   * connector's, else CW_CONNECTION_CHECK_TIMEOUT or CW_CONNECTION_CHECK_FAILED. The message never
   * holds one of the connection's secrets, even from a connector that echoed one.
   */
  async check(id: string, logger: ConnectorLogger, options: CheckOptions = {}): Promise<ConnectionCheck> {
    const row = await this.#row(id)
    const connector = this.#connectors.get(row.connector)
    const timeout = AbortSignal.timeout(CHECK_TIMEOUT_MS)
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout
    const context = await this.resolve(id, logger, signal)
    const started = performance.now()
    let result: CheckResult
    try {
      result = await connector.check(context)
    } catch (error) {
      // A connector's own error message says what failed.
      const code = (error as { code?: unknown }).code
      result = {
        ok: false,
        message: (error as Error).message,
        ...(typeof code === 'string' && code.startsWith('CW_') ? { code } : {}),
      }
    }
    const durationMs = Math.round(performance.now() - started)
    let { message } = result
    let code: string | undefined
    if (!result.ok && timeout.aborted) {
      const late = new ConnectionErrors.CHECK_TIMEOUT(row.name, CHECK_TIMEOUT_MS / 1000)
      code = late.code
      message = late.message
    } else if (!result.ok) {
      code = result.code ?? new ConnectionErrors.CHECK_FAILED(row.name, message).code
    }
    message = withoutSecrets(message, Object.values(context.secrets))
    const { code: _own, ...rest } = result
    const answer: ConnectionCheck = {
      ...rest,
      message,
      ...(code ? { code } : {}),
      connector: connector.name,
      durationMs,
    }
    // a check cut short by a shutdown says nothing about the system
    if (options.signal?.aborted && !result.ok) return answer
    try {
      await this.health.record(id, {
        ok: result.ok,
        ...(code ? { code } : {}),
        message,
        latencyMs: durationMs,
        trigger: options.trigger ?? 'manual',
      })
      this.#onChecked(id, result.ok)
    } catch (error) {
      // the caller still learns what the check found
      logger.warn({ err: error, connectionId: id }, 'the outcome of a connection check could not be stored')
    }
    return answer
  }
}

/** A check's answer: the connector's result, its stable code when it failed, and how long it took. */
export type ConnectionCheck = CheckResult & { connector: string; durationMs: number }

export interface CheckOptions {
  /** who asked: an operator (manual, the default) or the periodic check */
  trigger?: CheckTrigger
  /** stops the check early (a shutdown); its outcome is then not stored */
  signal?: AbortSignal
}

/** Longest a check may take before it is stopped and stored as CW_CONNECTION_CHECK_TIMEOUT. */
export const CHECK_TIMEOUT_MS = 30_000

/** The text with every value of `secrets` (of a plausible length) replaced by a mark. */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (secret.length >= 4) out = out.replaceAll(secret, '[secret]')
  return out
}

// Service desk integrations in the store: the DTO without secrets in idn_integrations, secrets
// sealed in the vault. Validation of what an integration may hold lives in validate.ts.
import { randomBytes } from 'node:crypto'
import type { Db, Queryable } from '../../../core/store/db.ts'
import { changedOrigins } from '../../../core/connections/url-settings.ts'
import type { SecretStore } from '../../../core/vault/types.ts'
import type { FilterTerm, Sorter } from '../api/collection-params.ts'
import { mapConstraintErrors } from '../../../core/store/constraint-errors.ts'
import { IdnErrors } from '../errors.ts'
import { managedSourceIds, type ServiceDeskIntegrationDto, type ServiceDeskIntegrationInput } from './model.ts'
import { splitSecrets, urlAttributes, vaultOwner } from './secrets.ts'
import { validateIntegration } from './validate.ts'
import { isoTimestamp } from '../../../core/store/timestamps.ts'

interface Row {
  id: string
  dto: ServiceDeskIntegrationDto | string
  created_at: Date | string
  modified_at: Date | string
}

/** What a replace did besides storing the integration. */
export interface ReplaceOutcome {
  /** secret attributes removed because a URL attribute changed origin and they were not sent again */
  secretsDropped: string[]
}

export interface ListQuery {
  offset: number
  limit: number
  filters: FilterTerm[]
  sorters: Sorter[]
}

const COLUMNS: Record<FilterTerm['field'], string> = { id: 'id', name: 'name', type: 'type', cluster: 'cluster' }

function fromRow(row: Row): ServiceDeskIntegrationDto {
  const dto = typeof row.dto === 'string' ? (JSON.parse(row.dto) as ServiceDeskIntegrationDto) : row.dto
  return { ...dto, id: row.id, created: isoTimestamp(row.created_at), modified: isoTimestamp(row.modified_at) }
}

/** 32 lowercase hex characters, the shape of IdentityNow object ids. */
export function newIntegrationId(): string {
  return randomBytes(16).toString('hex')
}

export class IntegrationRepository {
  readonly #db: Db
  readonly #vault: SecretStore

  constructor(db: Db, vault: SecretStore) {
    this.#db = db
    this.#vault = vault
  }

  async list(query: ListQuery): Promise<{ items: ServiceDeskIntegrationDto[]; total: number }> {
    const where: string[] = []
    const params: unknown[] = []
    for (const term of query.filters) {
      params.push(term.values)
      where.push(`${COLUMNS[term.field]} = any($${params.length}::text[])`)
    }
    const clause = where.length > 0 ? `where ${where.join(' and ')}` : ''
    const order =
      query.sorters.length > 0
        ? query.sorters.map((s) => `name ${s.descending ? 'desc' : 'asc'}`)
        : ['created_at', 'id']
    const total = await this.#db.query<{ n: number | string }>(
      `select count(*) as n from idn_integrations ${clause}`,
      params,
    )
    const rows = await this.#db.query<Row>(
      `select id, dto, created_at, modified_at from idn_integrations ${clause} order by ${order.join(', ')}
       limit $${params.length + 1} offset $${params.length + 2}`,
      [...params, query.limit, query.offset],
    )
    return { items: rows.rows.map(fromRow), total: Number(total.rows[0]?.n ?? 0) }
  }

  async all(): Promise<ServiceDeskIntegrationDto[]> {
    const rows = await this.#db.query<Row>(
      'select id, dto, created_at, modified_at from idn_integrations order by created_at, id',
    )
    return rows.rows.map(fromRow)
  }

  async get(id: string): Promise<ServiceDeskIntegrationDto> {
    const rows = await this.#db.query<Row>(
      'select id, dto, created_at, modified_at from idn_integrations where id = $1',
      [id],
    )
    const row = rows.rows[0]
    if (!row) throw new IdnErrors.INTEGRATION_NOT_FOUND(id)
    return fromRow(row)
  }

  /** The opened secrets of an integration, for the ServiceNow client only. */
  async secrets(id: string): Promise<Record<string, string>> {
    return this.#vault.getAll(vaultOwner(id))
  }

  async create(input: ServiceDeskIntegrationInput): Promise<ServiceDeskIntegrationDto> {
    const id = newIntegrationId()
    const { stored, secrets } = this.#prepare(input, {})
    // the row and its secrets commit together: a secret the vault refuses leaves no integration
    await mapConstraintErrors(
      () =>
        this.#db.transaction(async (tx) => {
          await tx.query(
            `insert into idn_integrations (id, name, type, cluster, dto) values ($1, $2, $3, $4, $5::jsonb)`,
            [id, stored.name, stored.type, clusterOf(stored), JSON.stringify(stored)],
          )
          await this.#storeSecrets(id, secrets, [], tx)
        }),
      { unique: () => new IdnErrors.INTEGRATION_NAME_TAKEN(stored.name) },
    )
    return this.get(id)
  }

  /**
   * Full replace. Secret attributes left out keep their sealed value (clients PUT back what GET
   * gave them, which never holds secrets); null removes one. When the origin of a URL attribute
   * changes (attributes.url to another host), the stored secrets not sent again are dropped:
   * they were given for the old origin and are never sent to the new one. `outcome` hears which.
   */
  async replace(
    id: string,
    input: ServiceDeskIntegrationInput,
    outcome: ReplaceOutcome = { secretsDropped: [] },
  ): Promise<ServiceDeskIntegrationDto> {
    const current = await this.get(id)
    const sent = splitSecrets(input.attributes ?? {}).secrets
    const moved = changedOrigins(
      urlAttributes(current.attributes, input.attributes ?? {}),
      current.attributes,
      input.attributes ?? {},
    )
    const existing = await this.#vault.names(vaultOwner(id))
    const dropped = moved.length > 0 ? existing.filter((name) => !(name in sent)) : []
    const kept = existing.filter((name) => !dropped.includes(name))
    const { stored, secrets } = this.#prepare(input, Object.fromEntries(kept.map((n) => [n, true])))
    await mapConstraintErrors(
      () =>
        this.#db.transaction(async (tx) => {
          const updated = await tx.query(
            `update idn_integrations set name = $2, type = $3, cluster = $4, dto = $5::jsonb, modified_at = now() where id = $1`,
            [id, stored.name, stored.type, clusterOf(stored), JSON.stringify(stored)],
          )
          if (updated.affectedRows === 0) throw new IdnErrors.INTEGRATION_NOT_FOUND(id)
          await this.#storeSecrets(id, secrets, dropped, tx)
        }),
      { unique: () => new IdnErrors.INTEGRATION_NAME_TAKEN(stored.name) },
    )
    outcome.secretsDropped = dropped
    return this.get(id)
  }

  async delete(id: string): Promise<void> {
    await this.#db.transaction(async (tx) => {
      const deleted = await tx.query('delete from idn_integrations where id = $1', [id])
      if (deleted.affectedRows === 0) throw new IdnErrors.INTEGRATION_NOT_FOUND(id)
      await this.#vault.removeAll(vaultOwner(id), tx)
    })
  }

  /** The integration that manages a source, if any (a source is never split between two). */
  async managing(sourceId: string): Promise<ServiceDeskIntegrationDto | undefined> {
    const all = await this.all()
    return all.find((dto) => managedSourceIds(dto).includes(sourceId))
  }

  #prepare(
    input: ServiceDeskIntegrationInput,
    sealed: Record<string, boolean>,
  ): {
    stored: Omit<ServiceDeskIntegrationDto, 'id' | 'created' | 'modified'>
    secrets: Record<string, string | null>
  } {
    const { plain, secrets } = splitSecrets(input.attributes ?? {})
    const { id: _id, created: _created, modified: _modified, ...rest } = input
    // universalManager is read-only: never stored from a client
    const provisioningConfig = rest.provisioningConfig
      ? (({ universalManager: _u, ...config }) => config)(rest.provisioningConfig)
      : undefined
    const stored = { ...rest, attributes: plain, ...(provisioningConfig ? { provisioningConfig } : {}) }
    validateIntegration(stored, {
      ...sealed,
      ...Object.fromEntries(Object.keys(secrets).map((k) => [k, secrets[k] !== null])),
    })
    return { stored, secrets }
  }

  async #storeSecrets(
    id: string,
    secrets: Record<string, string | null>,
    dropped: readonly string[],
    tx: Queryable,
  ): Promise<void> {
    for (const name of dropped) await this.#vault.remove(vaultOwner(id), name, tx)
    for (const [name, value] of Object.entries(secrets)) {
      if (value === null) await this.#vault.remove(vaultOwner(id), name, tx)
      else await this.#vault.put(vaultOwner(id), name, value, tx)
    }
  }
}

function clusterOf(dto: Pick<ServiceDeskIntegrationDto, 'cluster' | 'clusterRef'>): string | null {
  return dto.clusterRef?.id ?? dto.cluster ?? null
}

// Service desk integrations in the store: the DTO without secrets in idn_integrations, secrets
// sealed in the vault. A write commits the row, its secrets and its audit entry in one
// transaction, or none of them; a change is decided on the row as it is locked in that
// transaction, so two concurrent writes cannot undo each other's effect on the secrets.
// Validation of what an integration may hold lives in validate.ts.
import { randomBytes } from 'node:crypto'
import type { Db, Queryable } from '../../../core/store/db.ts'
import type { AuditStep } from '../../../core/audit/audit-log.ts'
import { changedOrigins } from '../../../core/connections/url-settings.ts'
import type { SecretStore } from '../../../core/vault/types.ts'
import type { FilterTerm, Sorter } from '../api/collection-params.ts'
import { mapConstraintErrors } from '../../../core/store/constraint-errors.ts'
import { IdnErrors } from '../errors.ts'
import { Type } from 'typebox'
import { Value } from 'typebox/value'
import {
  managedSourceIds,
  ServiceDeskIntegrationDtoSchema,
  type ServiceDeskIntegrationDto,
  type ServiceDeskIntegrationInput,
} from './model.ts'
import { splitSecrets, urlAttributes, vaultOwner } from './secrets.ts'
import { validateIntegration } from './validate.ts'
import { isoTimestamp } from '../../../core/store/timestamps.ts'

const StoredIntegration = Type.Omit(ServiceDeskIntegrationDtoSchema, ['id', 'created', 'modified'])

interface Row {
  id: string
  dto: ServiceDeskIntegrationDto | string
  created_at: Date | string
  modified_at: Date | string
}

export interface IntegrationWriteOptions {
  /** writes the change's audit entry in the change's own transaction */
  audit?: AuditStep | undefined
}

/** The new state of an integration, or a function of the current one (a JSON Patch). */
export type IntegrationChange =
  ServiceDeskIntegrationInput | ((current: ServiceDeskIntegrationDto) => ServiceDeskIntegrationInput)

export interface ReplacedIntegration {
  integration: ServiceDeskIntegrationDto
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
const SELECT = 'select id, dto, created_at, modified_at from idn_integrations'

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
      `${SELECT} ${clause} order by ${order.join(', ')} limit $${params.length + 1} offset $${params.length + 2}`,
      [...params, query.limit, query.offset],
    )
    return { items: rows.rows.map(fromRow), total: Number(total.rows[0]?.n ?? 0) }
  }

  async all(): Promise<ServiceDeskIntegrationDto[]> {
    const rows = await this.#db.query<Row>(`${SELECT} order by created_at, id`)
    return rows.rows.map(fromRow)
  }

  async get(id: string): Promise<ServiceDeskIntegrationDto> {
    return this.#get(id, this.#db)
  }

  async #get(id: string, q: Queryable, lock = ''): Promise<ServiceDeskIntegrationDto> {
    const rows = await q.query<Row>(`${SELECT} where id = $1 ${lock}`, [id])
    const row = rows.rows[0]
    if (!row) throw new IdnErrors.INTEGRATION_NOT_FOUND(id)
    return fromRow(row)
  }

  /** The opened secrets of an integration, for the ServiceNow client only. */
  async secrets(id: string): Promise<Record<string, string>> {
    return this.#vault.getAll(vaultOwner(id))
  }

  async create(
    input: ServiceDeskIntegrationInput,
    options: IntegrationWriteOptions = {},
  ): Promise<ServiceDeskIntegrationDto> {
    const id = newIntegrationId()
    const { stored, secrets } = prepare(input)
    // the row, its secrets and its audit entry commit together: a secret the vault refuses
    // leaves no integration behind
    return mapConstraintErrors(
      () =>
        this.#db.transaction(async (tx) => {
          const inserted = await tx.query<Row>(
            `insert into idn_integrations (id, name, type, cluster, dto) values ($1, $2, $3, $4, $5::jsonb)
             returning id, dto, created_at, modified_at`,
            [id, stored.name, stored.type, clusterOf(stored), JSON.stringify(stored)],
          )
          await this.#storeSecrets(id, secrets, [], tx)
          await options.audit?.(tx)
          return fromRow(inserted.rows[0] as Row)
        }),
      { unique: () => new IdnErrors.INTEGRATION_NAME_TAKEN(stored.name) },
    )
  }

  /**
   * Full replace (`change` an input, or a function of the current integration for a JSON Patch).
   * Secret attributes left out keep their sealed value (clients PUT back what GET gave them,
   * which never holds secrets); null removes one. When the origin of a URL attribute changes
   * (attributes.url to another host), the stored secrets not sent again are dropped: they were
   * given for the old origin and are never sent to the new one. The answer says which.
   */
  async replace(
    id: string,
    change: IntegrationChange,
    options: IntegrationWriteOptions = {},
  ): Promise<ReplacedIntegration> {
    let name = ''
    return mapConstraintErrors(
      () =>
        this.#db.transaction(async (tx) => {
          const current = await this.#get(id, tx, 'for update')
          const input = typeof change === 'function' ? change(current) : change
          name = input.name
          const attributes = input.attributes ?? {}
          const sent = splitSecrets(attributes).secrets
          const moved = changedOrigins(urlAttributes(current.attributes, attributes), current.attributes, attributes)
          const existing = await this.#vault.names(vaultOwner(id), tx)
          const dropped = moved.length > 0 ? existing.filter((secret) => !(secret in sent)) : []
          const { stored, secrets } = prepare(input)
          const updated = await tx.query<Row>(
            `update idn_integrations set name = $2, type = $3, cluster = $4, dto = $5::jsonb, modified_at = now()
             where id = $1 returning id, dto, created_at, modified_at`,
            [id, stored.name, stored.type, clusterOf(stored), JSON.stringify(stored)],
          )
          await this.#storeSecrets(id, secrets, dropped, tx)
          await options.audit?.(tx, dropped.length > 0 ? { droppedOnOriginChange: dropped } : undefined)
          return { integration: fromRow(updated.rows[0] as Row), secretsDropped: dropped }
        }),
      { unique: () => new IdnErrors.INTEGRATION_NAME_TAKEN(name) },
    )
  }

  async delete(id: string, options: IntegrationWriteOptions = {}): Promise<void> {
    await this.#db.transaction(async (tx) => {
      const deleted = await tx.query('delete from idn_integrations where id = $1', [id])
      if (deleted.affectedRows === 0) throw new IdnErrors.INTEGRATION_NOT_FOUND(id)
      await this.#vault.removeAll(vaultOwner(id), tx)
      await options.audit?.(tx)
    })
  }

  /** The integration that manages a source, if any (a source is never split between two). */
  async managing(sourceId: string): Promise<ServiceDeskIntegrationDto | undefined> {
    const all = await this.all()
    return all.find((dto) => managedSourceIds(dto).includes(sourceId))
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

/** What is stored (no secrets, no read-only fields) and what is sealed, validated. */
function prepare(input: ServiceDeskIntegrationInput): {
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
  // only the members the DTO declares are kept, as SailPoint keeps no others (a JSON Patch may add one)
  Value.Clean(StoredIntegration, stored)
  validateIntegration(stored)
  return { stored, secrets }
}

function clusterOf(dto: Pick<ServiceDeskIntegrationDto, 'cluster' | 'clusterRef'>): string | null {
  return dto.clusterRef?.id ?? dto.cluster ?? null
}

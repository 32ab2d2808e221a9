// What the rest of the hub needs from the vault. Secrets are sealed at rest and only opened in
// memory for the call that needs them; no surface ever returns one. Every method takes the
// transaction of the caller (`tx`), so a record and its secrets are written together or not at
// all, as the audit log and the token store do.
import type { Queryable } from '../store/db.ts'

export interface SecretStore {
  /** seals and stores `value` as secret `name` of record `owner` (e.g. "connection:<id>") */
  put(owner: string, name: string, value: string, tx?: Queryable): Promise<void>
  /** opens one secret; undefined when it is not set */
  get(owner: string, name: string, tx?: Queryable): Promise<string | undefined>
  /** opens every secret of a record */
  getAll(owner: string, tx?: Queryable): Promise<Record<string, string>>
  /** the names of the secrets a record has (safe to show) */
  names(owner: string, tx?: Queryable): Promise<string[]>
  /** the secret names of many records in one call (lists, GraphQL loaders) */
  namesByOwner(owners: readonly string[], tx?: Queryable): Promise<Map<string, string[]>>
  remove(owner: string, name: string, tx?: Queryable): Promise<void>
  removeAll(owner: string, tx?: Queryable): Promise<void>
}

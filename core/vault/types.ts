// What the rest of the hub needs from the vault. Secrets are sealed at rest and only opened in
// memory for the call that needs them; no surface ever returns one.

export interface SecretStore {
  /** seals and stores `value` as secret `name` of record `owner` (e.g. "connection:<id>") */
  put(owner: string, name: string, value: string): Promise<void>
  /** opens one secret; undefined when it is not set */
  get(owner: string, name: string): Promise<string | undefined>
  /** opens every secret of a record */
  getAll(owner: string): Promise<Record<string, string>>
  /** the names of the secrets a record has (safe to show) */
  names(owner: string): Promise<string[]>
  /** the secret names of many records in one call (lists, GraphQL loaders) */
  namesByOwner(owners: readonly string[]): Promise<Map<string, string[]>>
  remove(owner: string, name: string): Promise<void>
  removeAll(owner: string): Promise<void>
}

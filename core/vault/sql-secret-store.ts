// The SecretStore over the `secrets` table: every value sealed with the current master key
// (AES-256-GCM, see seal.ts); opened only in memory for the caller that asks.
import type { Db, Queryable } from '../store/db.ts'
import type { SecretStore } from './types.ts'
import type { MasterKey } from './master-key.ts'
import { seal, unseal, type Sealed } from './seal.ts'
import { VaultErrors } from './errors.ts'

const MAX_VALUE_BYTES = 64 * 1024
const MAX_LABEL_CHARS = 200

export interface SecretRow {
  owner: string
  name: string
  key_id: string
  nonce: Uint8Array
  ciphertext: Uint8Array
  tag: Uint8Array
}

/** Rows as both drivers return them (Buffer from pg, Uint8Array from PGlite). */
export function sealedOf(row: SecretRow): Sealed {
  return {
    keyId: row.key_id,
    nonce: Buffer.from(row.nonce),
    ciphertext: Buffer.from(row.ciphertext),
    tag: Buffer.from(row.tag),
  }
}

/** How a secret is named in messages: its name and owner, never its value. */
export function secretLabel(owner: string, name: string): string {
  return `"${name}" of ${owner}`
}

/** Opens one row with `key`, or says precisely why it cannot be opened. */
export function openRow(key: MasterKey, row: SecretRow): string {
  if (row.key_id !== key.id) throw new VaultErrors.KEY_UNKNOWN(secretLabel(row.owner, row.name), row.key_id, key.id)
  const value = unseal(key, row.owner, row.name, sealedOf(row))
  if (value === undefined) throw new VaultErrors.UNSEAL_FAILED(secretLabel(row.owner, row.name))
  return value
}

/** The key id the store seals with now, or undefined before the first start. */
export async function activeKeyId(db: Queryable): Promise<string | undefined> {
  const { rows } = await db.query<{ key_id: string }>('select key_id from vault_keys where retired_at is null')
  return rows[0]?.key_id
}

function checkLabel(owner: string, name: string): void {
  for (const [what, label] of [
    ['owner', owner],
    ['name', name],
  ] as const) {
    if (label.length === 0 || label.length > MAX_LABEL_CHARS) {
      throw new VaultErrors.SECRET_INVALID(
        secretLabel(owner, name),
        `the ${what} must have 1 to ${MAX_LABEL_CHARS} characters`,
      )
    }
  }
}

const COLUMNS = 'owner, name, key_id, nonce, ciphertext, tag'

export class SqlSecretStore implements SecretStore {
  readonly #db: Db
  readonly #key: MasterKey

  private constructor(db: Db, key: MasterKey) {
    this.#db = db
    this.#key = key
  }

  /**
   * The store, after checking that `key` is the store's current key; on a store that has none
   * yet, `key` becomes it. Another key stops here rather than at the first secret opened.
   */
  static async open(db: Db, key: MasterKey): Promise<SqlSecretStore> {
    // Instances starting together race to register the first key; the unique index lets one win.
    await db.query(
      `insert into vault_keys (key_id) select $1 where not exists (select 1 from vault_keys where retired_at is null)
       on conflict do nothing`,
      [key.id],
    )
    const active = await activeKeyId(db)
    if (active !== key.id) throw new VaultErrors.KEY_MISMATCH(key.id, String(active))
    return new SqlSecretStore(db, key)
  }

  get keyId(): string {
    return this.#key.id
  }

  async put(owner: string, name: string, value: string, tx: Queryable = this.#db): Promise<void> {
    checkLabel(owner, name)
    if (typeof value !== 'string')
      throw new VaultErrors.SECRET_INVALID(secretLabel(owner, name), 'the value must be a string')
    if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
      throw new VaultErrors.SECRET_INVALID(
        secretLabel(owner, name),
        `the value is longer than ${MAX_VALUE_BYTES} bytes`,
      )
    }
    const sealed = seal(this.#key, owner, name, value)
    // Written only while our key is the current one: after a rotation an instance still running
    // with the old key must not add values nobody can open with the new key.
    const { affectedRows } = await tx.query(
      `insert into secrets (owner, name, key_id, nonce, ciphertext, tag)
       select $1, $2, $3, $4, $5, $6
       where exists (select 1 from vault_keys where key_id = $3 and retired_at is null)
       on conflict (owner, name) do update set key_id = excluded.key_id, nonce = excluded.nonce,
         ciphertext = excluded.ciphertext, tag = excluded.tag, updated_at = now()`,
      [owner, name, sealed.keyId, sealed.nonce, sealed.ciphertext, sealed.tag],
    )
    if (affectedRows === 0) throw new VaultErrors.KEY_RETIRED(this.#key.id)
  }

  async get(owner: string, name: string, tx: Queryable = this.#db): Promise<string | undefined> {
    const { rows } = await tx.query<SecretRow>(`select ${COLUMNS} from secrets where owner = $1 and name = $2`, [
      owner,
      name,
    ])
    return rows[0] ? openRow(this.#key, rows[0]) : undefined
  }

  async getAll(owner: string, tx: Queryable = this.#db): Promise<Record<string, string>> {
    const { rows } = await tx.query<SecretRow>(`select ${COLUMNS} from secrets where owner = $1 order by name`, [owner])
    const out: Record<string, string> = {}
    for (const row of rows) out[row.name] = openRow(this.#key, row)
    return out
  }

  async names(owner: string, tx: Queryable = this.#db): Promise<string[]> {
    const { rows } = await tx.query<{ name: string }>('select name from secrets where owner = $1 order by name', [
      owner,
    ])
    return rows.map((row) => row.name)
  }

  async namesByOwner(owners: readonly string[], tx: Queryable = this.#db): Promise<Map<string, string[]>> {
    const { rows } = await tx.query<{ owner: string; name: string }>(
      'select owner, name from secrets where owner = any($1::text[]) order by owner, name',
      [owners],
    )
    const out = new Map<string, string[]>(owners.map((owner) => [owner, []]))
    for (const row of rows) out.get(row.owner)?.push(row.name)
    return out
  }

  async remove(owner: string, name: string, tx: Queryable = this.#db): Promise<void> {
    await tx.query('delete from secrets where owner = $1 and name = $2', [owner, name])
  }

  async removeAll(owner: string, tx: Queryable = this.#db): Promise<void> {
    await tx.query('delete from secrets where owner = $1', [owner])
  }
}

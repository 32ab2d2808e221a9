// Key rotation: every sealed value is opened with the current key and sealed again under the new
// one, and the new key id recorded as current, all in one transaction: either every secret moves
// to the new key or nothing changes. Afterwards the old key is no longer needed.
import type { Db } from '../store/db.ts'
import type { MasterKey } from './master-key.ts'
import { seal } from './seal.ts'
import { activeKeyId, openRow, type SecretRow } from './sql-secret-store.ts'
import { VaultErrors } from './errors.ts'

export interface RotationResult {
  fromKeyId: string
  toKeyId: string
  /** values sealed again under the new key */
  resealed: number
  /** the store was already on the new key (a repeated run) */
  alreadyCurrent: boolean
}

export async function rotateMasterKey(db: Db, from: MasterKey, to: MasterKey): Promise<RotationResult> {
  if (from.id === to.id) throw new VaultErrors.ROTATION_FAILED('the new key is the current key')
  try {
    return await db.transaction(async (tx) => {
      // Writers wait until the rotation commits (and then find their key retired); readers go on.
      await tx.exec('lock table vault_keys in exclusive mode; lock table secrets in share row exclusive mode')
      const active = await activeKeyId(tx)
      if (active === to.id) return { fromKeyId: from.id, toKeyId: to.id, resealed: 0, alreadyCurrent: true }
      if (active !== undefined && active !== from.id) throw new VaultErrors.KEY_MISMATCH(from.id, active)
      const { rows } = await tx.query<SecretRow>('select owner, name, key_id, nonce, ciphertext, tag from secrets')
      for (const row of rows) {
        const sealed = seal(to, row.owner, row.name, openRow(from, row))
        await tx.query(
          'update secrets set key_id = $3, nonce = $4, ciphertext = $5, tag = $6, updated_at = now() where owner = $1 and name = $2',
          [row.owner, row.name, sealed.keyId, sealed.nonce, sealed.ciphertext, sealed.tag],
        )
      }
      await tx.query('update vault_keys set retired_at = now() where retired_at is null')
      await tx.query(
        `insert into vault_keys (key_id) values ($1)
         on conflict (key_id) do update set retired_at = null, activated_at = now()`,
        [to.id],
      )
      return { fromKeyId: from.id, toKeyId: to.id, resealed: rows.length, alreadyCurrent: false }
    })
  } catch (error) {
    if (error instanceof VaultErrors.KEY_MISMATCH || error instanceof VaultErrors.ROTATION_FAILED) throw error
    throw new VaultErrors.ROTATION_FAILED((error as Error).message)
  }
}

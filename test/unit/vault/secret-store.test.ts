// The vault on the store: round trip, tampered and moved rows, the wrong key, and rotation.
import t from 'tap'
import { testStore } from '../../helpers/store.ts'
import { SqlSecretStore } from '../../../core/vault/sql-secret-store.ts'
import { rotateMasterKey } from '../../../core/vault/rotate.ts'
import { generateMasterKey } from '../../../core/vault/master-key.ts'
import type { Db } from '../../../core/store/db.ts'

// each store is an embedded PostgreSQL (PGlite): slow to start on a busy machine
t.setTimeout(300_000)

async function rawRow(db: Db, owner: string, name: string) {
  const { rows } = await db.query<{ key_id: string; ciphertext: Uint8Array }>(
    'select key_id, ciphertext from secrets where owner = $1 and name = $2',
    [owner, name],
  )
  return rows[0]
}

t.test('put, get, getAll, names, remove; nothing readable at rest', async (t) => {
  const db = await testStore(t)
  const key = generateMasterKey()
  const vault = await SqlSecretStore.open(db, key)
  await vault.put('connection:a', 'password', 'pa55-word-value')
  await vault.put('connection:a', 'apiKey', 'api-key-value')
  await vault.put('connection:b', 'password', 'other-record-value')
  t.equal(await vault.get('connection:a', 'password'), 'pa55-word-value')
  t.equal(await vault.get('connection:a', 'missing'), undefined)
  t.same(await vault.getAll('connection:a'), { apiKey: 'api-key-value', password: 'pa55-word-value' })
  t.same(await vault.names('connection:a'), ['apiKey', 'password'])

  await vault.put('connection:a', 'password', 'replaced-value')
  t.equal(await vault.get('connection:a', 'password'), 'replaced-value', 'put replaces')

  const row = await rawRow(db, 'connection:a', 'password')
  t.equal(row?.key_id, key.id, 'the key id is stored with the value')
  const { rows } = await db.query<{ dump: string }>(
    `select string_agg(encode(nonce, 'escape') || encode(ciphertext, 'escape') || encode(tag, 'escape'), '') as dump from secrets`,
  )
  t.notOk(rows[0]?.dump.includes('replaced-value'), 'no plaintext in the table')

  await vault.remove('connection:a', 'apiKey')
  t.same(await vault.names('connection:a'), ['password'])
  await vault.removeAll('connection:a')
  t.same(await vault.getAll('connection:a'), {})
  t.equal(await vault.get('connection:b', 'password'), 'other-record-value', 'other records untouched')

  await t.rejects(vault.put('', 'x', 'v'), { code: 'CW_VAULT_SECRET_INVALID' })
  await t.rejects(vault.put('o', 'x', 'v'.repeat(64 * 1024 + 1)), { code: 'CW_VAULT_SECRET_INVALID' })

  // tampering with the stored bytes, or moving a row to another record or name
  await vault.put('connection:c', 'password', 'tamper-me')
  await db.query(
    `update secrets set ciphertext = overlay(ciphertext placing '\\x00'::bytea from 1 for 1) where owner = 'connection:c'`,
  )
  await t.rejects(vault.get('connection:c', 'password'), {
    code: 'CW_VAULT_UNSEAL_FAILED',
    message: /"password" of connection:c does not open/,
  })
  await vault.put('connection:d', 'password', 'move-me')
  await db.query(`update secrets set owner = 'connection:e' where owner = 'connection:d'`)
  await t.rejects(vault.get('connection:e', 'password'), { code: 'CW_VAULT_UNSEAL_FAILED' }, 'moved to another owner')
  await vault.put('connection:f', 'password', 'rename-me')
  await db.query(`update secrets set name = 'token' where owner = 'connection:f'`)
  await t.rejects(vault.get('connection:f', 'token'), { code: 'CW_VAULT_UNSEAL_FAILED' }, 'moved to another name')

  // the wrong key stops at start, with both key ids named
  const other = generateMasterKey()
  await t.rejects(SqlSecretStore.open(db, other), {
    code: 'CW_VAULT_KEY_MISMATCH',
    message: new RegExp(`key id ${other.id}\\) is not the key .* \\(key id ${key.id}\\)`),
  })
})

t.test('rotation re-seals everything under the new key; the old key is no longer needed', async (t) => {
  const db = await testStore(t)
  const oldKey = generateMasterKey()
  const newKey = generateMasterKey()
  const before = await SqlSecretStore.open(db, oldKey)
  const values: Record<string, string> = {}
  for (let i = 0; i < 25; i++) {
    values[`s${i}`] = `value-${i}-${'x'.repeat(i)}`
    await before.put(`connection:${i % 3}`, `s${i}`, values[`s${i}`] as string)
  }

  await t.rejects(
    rotateMasterKey(db, generateMasterKey(), newKey),
    { code: 'CW_VAULT_KEY_MISMATCH' },
    'from a wrong key',
  )
  await t.rejects(rotateMasterKey(db, oldKey, oldKey), { code: 'CW_VAULT_ROTATION_FAILED' }, 'to the same key')

  const result = await rotateMasterKey(db, oldKey, newKey)
  t.same(result, { fromKeyId: oldKey.id, toKeyId: newKey.id, resealed: 25, alreadyCurrent: false })
  const after = await SqlSecretStore.open(db, newKey)
  for (let i = 0; i < 25; i++) t.equal(await after.get(`connection:${i % 3}`, `s${i}`), values[`s${i}`])
  t.equal((await rawRow(db, 'connection:0', 's0'))?.key_id, newKey.id)
  const { rows } = await db.query<{ key_id: string; retired: boolean }>(
    'select key_id, retired_at is not null as retired from vault_keys order by activated_at',
  )
  t.same(rows, [
    { key_id: oldKey.id, retired: true },
    { key_id: newKey.id, retired: false },
  ])

  // the old key no longer opens anything, and an instance still running with it cannot write
  await t.rejects(SqlSecretStore.open(db, oldKey), { code: 'CW_VAULT_KEY_MISMATCH' })
  await t.rejects(before.get('connection:0', 's0'), { code: 'CW_VAULT_KEY_UNKNOWN', message: new RegExp(newKey.id) })
  await t.rejects(before.put('connection:0', 'late', 'v'), { code: 'CW_VAULT_KEY_RETIRED' })
  t.equal(await after.get('connection:0', 'late'), undefined)

  t.same(
    await rotateMasterKey(db, oldKey, newKey),
    {
      fromKeyId: oldKey.id,
      toKeyId: newKey.id,
      resealed: 0,
      alreadyCurrent: true,
    },
    'running it again changes nothing',
  )
})

t.test('rotation is all or nothing: one value that does not open leaves every value as it was', async (t) => {
  const db = await testStore(t)
  const oldKey = generateMasterKey()
  const vault = await SqlSecretStore.open(db, oldKey)
  await vault.put('connection:1', 'good', 'still-good')
  await vault.put('connection:2', 'broken', 'soon-broken')
  await db.query(`update secrets set tag = overlay(tag placing '\\x00'::bytea from 1 for 1) where name = 'broken'`)
  await t.rejects(rotateMasterKey(db, oldKey, generateMasterKey()), {
    code: 'CW_VAULT_ROTATION_FAILED',
    message: /nothing was changed.*"broken" of connection:2/,
  })
  t.equal((await rawRow(db, 'connection:1', 'good'))?.key_id, oldKey.id, 'the good value kept its key')
  t.equal(await (await SqlSecretStore.open(db, oldKey)).get('connection:1', 'good'), 'still-good')
})

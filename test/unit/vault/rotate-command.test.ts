// npm run vault:rotate end to end on an embedded store on disk: every secret re-sealed under the
// new key, the new key id current, the old key useless afterwards, the rotation audited.
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { openStore } from '../../../core/store/open.ts'
import { migrate } from '../../../core/store/migrations.ts'
import { HUB_MIGRATIONS } from '../../../modules.ts'
import { resolveMasterKey } from '../../../core/vault/key-source.ts'
import { SqlSecretStore } from '../../../core/vault/sql-secret-store.ts'
import { parseMasterKey } from '../../../core/vault/master-key.ts'

// three starts of an embedded PostgreSQL on disk: slow on a busy machine
t.setTimeout(480_000)

const run = promisify(execFile)
const script = fileURLToPath(new URL('../../../scripts/rotate-key.ts', import.meta.url))

async function rotate(dataDir: string, args: string[]) {
  // only the settings this test gives: nothing from the environment of whoever runs the suite
  const env = { PATH: process.env.PATH ?? '', CROSSWALK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], { env, timeout: 240_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

t.test('rotates an embedded store to a new key file it creates', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cw-rotate-'))
  const settings = { dataDir }
  const oldKey = resolveMasterKey(settings, { create: true }).key
  {
    const db = await openStore(settings)
    await migrate(db, HUB_MIGRATIONS)
    const vault = await SqlSecretStore.open(db, oldKey)
    await vault.put('connection:1', 'password', 'first-secret')
    await vault.put('connection:2', 'clientSecret', 'second-secret')
    await db.close()
  }

  const missing = await rotate(dataDir, [])
  t.equal(missing.code, 1, 'no new key given')
  t.match(missing.stderr, /--new-key-file <path> or CROSSWALK_NEW_MASTER_KEY/)

  const newKeyFile = join(dataDir, 'next.key')
  const result = await rotate(dataDir, ['--new-key-file', newKeyFile])
  t.equal(result.code, 0, result.stderr)
  t.equal(statSync(newKeyFile).mode & 0o777, 0o600, 'the new key file is private')
  const newKey = parseMasterKey(readFileSync(newKeyFile, 'utf8'), 'new')
  t.match(result.stdout, `Re-sealed 2 secret(s): key id ${oldKey.id} -> ${newKey.id}`)
  t.notOk(result.stdout.includes(newKey.key.toString('base64')), 'the key itself is not printed')

  const db = await openStore(settings)
  t.teardown(() => db.close())
  const after = await SqlSecretStore.open(db, newKey)
  t.equal(await after.get('connection:1', 'password'), 'first-secret')
  t.equal(await after.get('connection:2', 'clientSecret'), 'second-secret')
  await t.rejects(SqlSecretStore.open(db, oldKey), { code: 'CW_VAULT_KEY_MISMATCH' }, 'the old key is retired')
  const { rows } = await db.query<{ action: string; summary: { resealed: number; toKeyId: string } }>(
    `select action, summary from audit_log where action = 'vault.rotate'`,
  )
  t.match(rows, [{ action: 'vault.rotate', summary: { resealed: 2, toKeyId: newKey.id } }])
  // the old key file still sits there; a rotation run with it now is refused, nothing changes
  writeFileSync(join(dataDir, 'another.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 })
  await db.close()
  const again = await rotate(dataDir, ['--new-key-file', join(dataDir, 'another.key')])
  t.equal(again.code, 1)
  t.match(again.stderr, /CW_VAULT_KEY_MISMATCH/)
})

// Key parsing and where the key comes from: setting, key file, a key file created on first start
// (embedded only), refusal on a PostgreSQL server without a key.
import { test } from 'tap'
import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { randomBytes } from 'node:crypto'
import { parseMasterKey, generateMasterKey } from '../../../core/vault/master-key.ts'
import { resolveMasterKey } from '../../../core/vault/key-source.ts'

test('a key is 32 bytes as 64 hex characters or base64; anything else says what is wrong', async (t) => {
  const bytes = randomBytes(32)
  const fromHex = parseMasterKey(bytes.toString('hex'), 'test')
  const fromB64 = parseMasterKey(`${bytes.toString('base64')}\n`, 'test')
  const fromB64url = parseMasterKey(bytes.toString('base64url'), 'test')
  t.same(fromHex.key, bytes)
  t.same(fromB64.key, bytes)
  t.same(fromB64url.key, bytes)
  t.equal(fromHex.id, fromB64.id, 'the key id depends on the key only')
  t.match(fromHex.id, /^[0-9a-f]{16}$/)
  t.not(fromHex.id, generateMasterKey().id)

  const short = randomBytes(16).toString('base64')
  t.throws(() => parseMasterKey(short, 'CROSSWALK_MASTER_KEY'), {
    code: 'CW_VAULT_KEY_INVALID',
    message: /CROSSWALK_MASTER_KEY .*decodes to 16 bytes, 32 are needed/,
  })
  const err = (() => {
    try {
      parseMasterKey(short, 'CROSSWALK_MASTER_KEY')
    } catch (e) {
      return e as Error
    }
  })()
  t.notOk(err?.message.includes(short), 'the message never quotes the key')
  t.throws(() => parseMasterKey('ab'.repeat(31), 'x'), { message: /62 hex characters, 64 are needed/ })
  t.throws(() => parseMasterKey('not a key at all!', 'x'), { message: /not all of them hex or base64/ })
  t.throws(() => parseMasterKey('  ', 'x'), { message: /it is empty/ })
})

test('embedded store: the first start creates the key file 0600, later starts reuse it', async (t) => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'cw-key-')), 'data')
  const first = resolveMasterKey({ dataDir }, { create: true })
  t.equal(first.origin, 'created-file')
  const path = join(dataDir, 'master.key')
  t.equal(statSync(path).mode & 0o777, 0o600)
  const again = resolveMasterKey({ dataDir }, { create: true })
  t.equal(again.origin, 'file')
  t.equal(again.key.id, first.key.id)
  t.same(parseMasterKey(readFileSync(path, 'utf8'), 'file').key, first.key.key)

  chmodSync(path, 0o644)
  const loose = resolveMasterKey({ dataDir }, { create: true })
  t.match('warning' in loose ? loose.warning : '', /readable by other users .*chmod 600/)
})

test('PostgreSQL server without a key: refuse, never generate', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cw-key-'))
  t.throws(() => resolveMasterKey({ dataDir, databaseUrl: 'postgres://x@127.0.0.1/db' }, { create: true }), {
    code: 'CW_VAULT_KEY_REQUIRED',
    message: /same key on every instance/,
  })
  t.throws(() => statSync(join(dataDir, 'master.key')), 'no key file was written')
  const key = randomBytes(32).toString('base64')
  const ok = resolveMasterKey({ dataDir, databaseUrl: 'postgres://x@127.0.0.1/db', masterKey: key }, { create: true })
  t.equal(ok.origin, 'setting')
})

test('explicit settings: a missing key file, both settings at once, the rotation tool never creates', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-key-'))
  t.throws(() => resolveMasterKey({ dataDir: dir, masterKeyFile: join(dir, 'nope.key') }, { create: true }), {
    code: 'CW_VAULT_KEY_FILE',
    message: /nope\.key .*does not exist/,
  })
  const file = join(dir, 'k')
  writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 })
  t.equal(resolveMasterKey({ dataDir: dir, masterKeyFile: file }, { create: true }).origin, 'file')
  t.throws(
    () =>
      resolveMasterKey(
        { dataDir: dir, masterKeyFile: file, masterKey: randomBytes(32).toString('base64') },
        { create: true },
      ),
    { message: /set only one/ },
  )
  t.throws(() => resolveMasterKey({ dataDir: join(dir, 'fresh') }, { create: false }), { code: 'CW_VAULT_KEY_FILE' })
  t.equal(resolveMasterKey({ dataDir: ':memory:' }, { create: true }).origin, 'ephemeral')
})

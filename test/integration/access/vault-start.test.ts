// The hub's start-up refuses a vault key it cannot use, and says why: none with a PostgreSQL
// server, a malformed one, or another key than the one the store's secrets are sealed with.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { buildTestApp } from '../../helpers/app.ts'
import { testStore } from '../../helpers/store.ts'
import { parseMasterKey } from '../../../core/vault/master-key.ts'

// every start opens an embedded PostgreSQL (PGlite): slow on a busy machine
t.setTimeout(300_000)

t.test('start-up with a wrong, missing or malformed key is refused; the right key opens the secrets', async (t) => {
  const db = await testStore(t)
  const first = await buildTestApp(t, { db })
  await first.hub.vault.put('connection:x', 'password', 'kept-across-restarts')
  await first.app.close()

  const other = randomBytes(32).toString('base64')
  await t.rejects(buildTestApp(t, { db, config: { masterKey: other } }), {
    code: 'CW_VAULT_KEY_MISMATCH',
    message: new RegExp(
      `key id ${parseMasterKey(other, 'x').id}\\) is not the key .*\\(key id ${parseMasterKey(first.masterKey, 'x').id}\\)`,
    ),
  })

  await t.rejects(
    buildTestApp(t, { db, config: { masterKey: undefined, databaseUrl: 'postgres://crosswalk@127.0.0.1:1/none' } }),
    { code: 'CW_VAULT_KEY_REQUIRED', message: /CROSSWALK_MASTER_KEY or CROSSWALK_MASTER_KEY_FILE/ },
  )

  const malformed = 'this-is-not-a-key-but-it-is-long-enough-for-the-schema!'
  const refused = await buildTestApp(t, { db, config: { masterKey: malformed } }).then(
    () => undefined,
    (error: Error & { code?: string }) => error,
  )
  t.equal(refused?.code, 'CW_VAULT_KEY_INVALID')
  t.match(refused?.message, /CROSSWALK_MASTER_KEY is not usable/)
  t.notOk(refused?.message.includes(malformed), 'the message does not quote the key')

  const again = await buildTestApp(t, { db, config: { masterKey: first.masterKey } })
  t.equal(await again.hub.vault.get('connection:x', 'password'), 'kept-across-restarts')
})

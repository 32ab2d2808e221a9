// The first admin token: generated once into an empty store and handed over outside the log,
// or taken from CROSSWALK_ADMIN_TOKEN (a changed setting replaces the previous one; a revocation
// made over the API stands).
import t from 'tap'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { testStore } from '../../helpers/store.ts'
import { TokenStore } from '../../../core/auth/token-store.ts'
import { ensureFirstAdmin } from '../../../core/auth/first-admin.ts'
import { announceGeneratedToken } from '../../../core/auth/announce-token.ts'

// each store is an embedded PostgreSQL (PGlite): slow to start on a busy machine
t.setTimeout(300_000)

t.test('an empty store gets one generated admin token, handed over once', async (t) => {
  const db = await testStore(t)
  const tokens = new TokenStore(db)

  await t.rejects(
    ensureFirstAdmin(db, tokens, undefined, () => {
      throw new Error('terminal gone')
    }),
    /terminal gone/,
  )
  t.notOk(await tokens.any(), 'a token nobody received is not kept')

  const handed: string[] = []
  const first = await ensureFirstAdmin(db, tokens, undefined, (token) => handed.push(token))
  t.equal(first.kind, 'generated')
  t.equal(handed.length, 1)
  t.notOk(JSON.stringify(first).includes(handed[0] as string), 'the outcome does not carry the token')
  t.match(await tokens.verify(handed[0] as string), { role: 'admin', kind: 'token' })

  const second = await ensureFirstAdmin(db, tokens, undefined, (token) => handed.push(token))
  t.same(second, { kind: 'none-needed' })
  t.equal(handed.length, 1, 'never generated again')
})

t.test('CROSSWALK_ADMIN_TOKEN: registered, replaced when changed, a revocation stands', async (t) => {
  const db = await testStore(t)
  const tokens = new TokenStore(db)
  const never = () => t.fail('nothing is generated when a token is configured')
  const a = `configured-admin-token-A-${'x'.repeat(20)}`
  const b = `configured-admin-token-B-${'y'.repeat(20)}`

  const first = await ensureFirstAdmin(db, tokens, a, never)
  t.match(first, { kind: 'configured', replaced: 0 })
  t.match(await tokens.verify(a), { role: 'admin' })
  t.match(await ensureFirstAdmin(db, tokens, a, never), { kind: 'configured-present' })

  const changed = await ensureFirstAdmin(db, tokens, b, never)
  t.match(changed, { kind: 'configured', replaced: 1 })
  t.equal(await tokens.verify(a), undefined, 'the previous configured token stops working')
  t.match(await tokens.verify(b), { role: 'admin' })

  // revoked over the API (another admin exists), then the hub restarts with the same setting
  await tokens.create({ name: 'second admin', role: 'admin', createdBy: 'test' })
  if (changed.kind !== 'configured') throw new Error('expected the configured token')
  await tokens.revoke(changed.tokenId)
  t.match(await ensureFirstAdmin(db, tokens, b, never), { kind: 'configured-revoked' })
  t.equal(await tokens.verify(b), undefined, 'stays revoked')
})

t.test(
  'handing over: a terminal gets it on stderr; a service gets a 0600 file and a log line with its path',
  async (t) => {
    const written: string[] = []
    const tty = { isTTY: true, write: (s: string) => written.push(s) }
    t.same(announceGeneratedToken('cw_tty_token', { dataDir: '/nonexistent', stderr: tty }), { where: 'stderr' })
    t.match(written.join(''), /cw_tty_token/)

    const quiet: string[] = []
    const service = { isTTY: false, write: (s: string) => quiet.push(s) }
    const dataDir = join(mkdtempSync(join(tmpdir(), 'cw-admin-')), 'data')
    const announced = announceGeneratedToken('cw_file_token', { dataDir, stderr: service })
    t.same(announced, { where: 'file', path: join(dataDir, 'initial-admin-token') })
    t.same(quiet, [], 'nothing on stderr, which a service manager would keep')
    const path = join(dataDir, 'initial-admin-token')
    t.equal(readFileSync(path, 'utf8'), 'cw_file_token\n')
    t.equal(statSync(path).mode & 0o777, 0o600)
    announceGeneratedToken('cw_newer_token', { dataDir, stderr: service })
    t.equal(readFileSync(path, 'utf8'), 'cw_newer_token\n', 'a stale file is replaced')

    const memory: string[] = []
    announceGeneratedToken('cw_memory_token', { dataDir: ':memory:', stderr: { write: (s: string) => memory.push(s) } })
    t.match(memory.join(''), /cw_memory_token/, 'no folder with the in-memory store: stderr')
  },
)

// Verified hub tokens are kept in memory (core/auth/verified-tokens.ts), trusted only while the
// store's token-change notifications are heard: a revocation made anywhere (another instance, an
// operator's SQL) ends the token on this instance as it commits.
import t from 'tap'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { recordStatements } from '../../helpers/statements.ts'
import { serverUrl } from '../../helpers/store.ts'
import { until } from '../../helpers/until.ts'

t.setTimeout(300_000)
const { test } = t

const URL = '/api/v1/connections'

/** Waits until a request with `token` is answered without asking the store for its token. */
async function servedFromMemory(hub: TestApp, token: string, statements: string[]): Promise<void> {
  await until(
    async () => {
      statements.length = 0
      const answer = await hub.inject(URL, token)
      if (answer.statusCode !== 200) throw new Error(`answered ${answer.statusCode}: ${answer.body}`)
      return !statements.some((sql) => sql.includes('api_tokens'))
    },
    'a request whose token is not looked up in the store',
    { timeoutMs: 10_000 },
  )
}

/** Revokes the way another instance or an operator does: in the store, not through this hub. */
async function revokeInStore(hub: TestApp, name: string): Promise<void> {
  const { affectedRows } = await hub.db.query('update api_tokens set revoked_at = now() where name = $1', [name])
  if (affectedRows !== 1) throw new Error(`no token named ${name}`)
}

async function refusedWithin(hub: TestApp, token: string, ms: number): Promise<void> {
  await until(async () => (await hub.inject(URL, token)).statusCode === 401, 'the revoked token to be refused', {
    timeoutMs: ms,
    everyMs: 5,
  })
}

test('a token that verified is not looked up again, and a revocation made elsewhere ends it as it commits', async (t) => {
  const hub = await buildTestApp(t)
  const viewer = await hub.token('viewer', 'monitoring')
  const statements = recordStatements(t, hub.db)
  await servedFromMemory(hub, viewer, statements)

  await revokeInStore(hub, 'monitoring')
  await refusedWithin(hub, viewer, 1_000)
  const refused = await hub.inject(URL, viewer)
  t.equal(refused.statusCode, 401)
  t.equal(refused.json<{ code: string }>().code, 'CW_AUTH_REQUIRED')
})

test('a token whose role is lowered in the store gets the new role', async (t) => {
  const hub = await buildTestApp(t)
  const operator = await hub.token('operator', 'automation')
  const statements = recordStatements(t, hub.db)
  await servedFromMemory(hub, operator, statements)
  t.equal((await hub.inject('/api/v1/mappings?limit=1', operator)).statusCode, 200)

  await hub.db.query(`update api_tokens set role = 'viewer' where name = 'automation'`)
  // an operator route (checking a connection) is refused once the change is heard
  await until(
    async () => (await hub.inject({ method: 'POST', url: '/api/v1/connections/x/check' }, operator)).statusCode === 403,
    'the lowered role to take effect',
    { timeoutMs: 1_000, everyMs: 5 },
  )
  t.pass('the cached principal was replaced')
})

test('a token created a moment ago works at once, and an unknown one is never remembered', async (t) => {
  const hub = await buildTestApp(t)
  const statements = recordStatements(t, hub.db)
  const unknown = 'cw_' + 'x'.repeat(43)
  for (let i = 0; i < 3; i++) t.equal((await hub.inject(URL, unknown)).statusCode, 401)
  t.equal(statements.filter((sql) => sql.includes('api_tokens')).length, 3, 'each unknown token is asked of the store')
  const fresh = await hub.token('viewer')
  t.equal((await hub.inject(URL, fresh)).statusCode, 200)
})

test(
  'when the connection that hears token changes is lost, the hub says so, reconnects and hears them again',
  { skip: serverUrl ? false : 'the embedded store is one connection in this process; it cannot be lost' },
  async (t) => {
    const hub = await buildTestApp(t, { logLevel: 'warn' })
    const viewer = await hub.token('viewer', 'dashboard')
    const statements = recordStatements(t, hub.db)
    await servedFromMemory(hub, viewer, statements)

    const { rows } = await hub.db.query<{ ended: boolean }>(
      `select pg_terminate_backend(pid) as ended from pg_stat_activity
        where datname = current_database() and query = 'listen crosswalk_api_tokens'`,
    )
    t.same(
      rows.map((row) => row.ended),
      [true],
      'the listening connection was found and ended',
    )
    await until(
      () => hub.logLines.some((line) => line.includes('lost the store connection that hears token changes')),
      'the warning',
      { timeoutMs: 5_000 },
    )
    await servedFromMemory(hub, viewer, statements)
    await revokeInStore(hub, 'dashboard')
    await refusedWithin(hub, viewer, 1_000)
  },
)

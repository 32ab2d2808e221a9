// Several hub instances on one PostgreSQL server start together: one first admin token is
// generated, not one per instance, and they agree on the vault key.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { buildTestApp } from '../../helpers/app.ts'
import { createTestDatabase } from '../../helpers/store.ts'
import { NEEDS_POSTGRES, postgresUrl } from '../../helpers/postgres.ts'
import { PostgresDb } from '../../../core/store/postgres-db.ts'
import { migrate } from '../../../core/store/migrations.ts'
import { HUB_MIGRATIONS } from '../../../modules.ts'

t.setTimeout(300_000)

t.test(
  'instances starting at once generate one first admin token',
  { skip: postgresUrl ? false : NEEDS_POSTGRES },
  async (t) => {
    const database = await createTestDatabase()
    t.teardown(() => database.drop())
    const url = database.url as string
    const stores = await Promise.all([0, 1, 2].map(() => PostgresDb.open({ connectionString: url })))
    t.teardown(() => Promise.all(stores.map((s) => s.close())))
    await migrate(stores[0] as PostgresDb, HUB_MIGRATIONS)
    const masterKey = randomBytes(32).toString('base64')
    const written: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    // the generated token goes to stderr with the in-memory data folder: catch it there
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    }) as typeof process.stderr.write
    let hubs
    try {
      hubs = await Promise.all(
        stores.map((db) => buildTestApp(t, { db, config: { adminToken: undefined, masterKey, databaseUrl: url } })),
      )
    } finally {
      process.stderr.write = write
    }
    const { rows } = await (stores[0] as PostgresDb).query<{ n: string }>('select count(*) as n from api_tokens')
    t.equal(Number(rows[0]?.n), 1, 'one token for all instances')
    const token = /\n {4}(cw_\S+)\n/.exec(written.join(''))?.[1]
    t.ok(token, 'printed once')
    t.equal(written.join('').split('cw_').length - 1, 1, 'by one instance only')
    for (const hub of hubs) t.equal((await hub.inject('/api/v1/tokens', token as string)).statusCode, 200)
    const keys = await (stores[0] as PostgresDb).query('select key_id from vault_keys where retired_at is null')
    t.equal(keys.rows.length, 1)
  },
)

import { test } from 'tap'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, serverUrl, testStore } from '../../helpers/store.ts'
import { PostgresDb } from '../../../core/store/postgres-db.ts'
import { loadMigrations, migrate, migrationStatus } from '../../../core/store/migrations.ts'

test('migrations apply once and report no pending work after', async (t) => {
  const db = await testStore(t)
  const status = await migrationStatus(db)
  t.same(status.pending, [])
  t.ok(status.applied.includes(1))
  t.same(await migrate(db), [], 'a second run applies nothing')
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from connections')
  t.equal(rows[0]?.n, 0)
})

test('an edited, already-applied migration is refused with CW_MIGRATION_TAMPERED', async (t) => {
  const db = await testStore(t)
  const dir = await mkdtemp(join(tmpdir(), 'cw-mig-'))
  await writeFile(join(dir, '900_probe.sql'), 'create table probe (id int);')
  t.same(await migrate(db, dir), [900])
  await writeFile(join(dir, '900_probe.sql'), 'create table probe (id bigint);')
  await t.rejects(migrate(db, dir), { code: 'CW_MIGRATION_TAMPERED' })
})

test('a failing migration rolls back and names itself', async (t) => {
  const db = await testStore(t)
  const dir = await mkdtemp(join(tmpdir(), 'cw-mig-'))
  await writeFile(join(dir, '901_bad.sql'), 'create table half (id int); select * from no_such_table;')
  await t.rejects(migrate(db, dir), { code: 'CW_MIGRATION_FAILED', message: /901_bad\.sql/ })
  const { rows } = await db.query(`select to_regclass('half') as t`)
  t.equal((rows[0] as { t: unknown }).t, null, 'nothing of the failed migration is left')
})

// Regression: two hubs starting together on one empty database raced on
// `create table if not exists schema_migrations` (23505 on pg_type) before the lock was taken.
test(
  'several processes migrating one empty database at once all succeed',
  { skip: !serverUrl && 'needs a PostgreSQL server' },
  async (t) => {
    const database = await createTestDatabase()
    t.teardown(() => database.drop())
    const dbs = await Promise.all(
      Array.from({ length: 6 }, () => PostgresDb.open({ connectionString: database.url as string })),
    )
    t.teardown(() => Promise.all(dbs.map((db) => db.close())))
    const applied = await Promise.all(dbs.map((db) => migrate(db)))
    const expected = (await loadMigrations()).map((m) => m.version)
    t.same(
      applied.flat().sort((a, b) => a - b),
      expected,
      'each migration applied exactly once across the processes',
    )
    t.same((await migrationStatus(dbs[0]!)).pending, [])
  },
)

import { test } from 'tap'
import { copyFile, mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, serverUrl, testStore } from '../../helpers/store.ts'
import { PostgresDb } from '../../../core/store/postgres-db.ts'
import { PgliteDb } from '../../../core/store/pglite-db.ts'
import type { Db } from '../../../core/store/db.ts'
import { MIGRATIONS_DIR, loadMigrations, migrate, migrationStatus } from '../../../core/store/migrations.ts'
import { HUB_MIGRATIONS } from '../../../modules.ts'
import { identityNowModule } from '../../../connectors/identitynow/module.ts'

/** A store with nothing applied yet. */
async function emptyStore(t: { teardown(fn: () => unknown): void }): Promise<Db> {
  const database = await createTestDatabase()
  const db = database.url ? await PostgresDb.open({ connectionString: database.url }) : await PgliteDb.open()
  t.teardown(async () => {
    await db.close()
    await database.drop()
  })
  return db
}

test('migrations apply once and report no pending work after', async (t) => {
  const db = await testStore(t)
  const status = await migrationStatus(db, HUB_MIGRATIONS)
  t.same(status.pending, [])
  t.ok(status.applied.includes(1), "the kernel's")
  t.ok(status.applied.includes(30), "IdentityNow's, from its own folder")
  t.same(await migrate(db, HUB_MIGRATIONS), [], 'a second run applies nothing')
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from connections')
  t.equal(rows[0]?.n, 0)
})

test('an edited, already-applied migration is refused with CW_MIGRATION_TAMPERED', async (t) => {
  const db = await testStore(t)
  const dir = await mkdtemp(join(tmpdir(), 'cw-mig-'))
  await writeFile(join(dir, '900_probe.sql'), 'create table probe (id int);')
  t.same(await migrate(db, [dir]), [900])
  await writeFile(join(dir, '900_probe.sql'), 'create table probe (id bigint);')
  await t.rejects(migrate(db, [dir]), { code: 'CW_MIGRATION_TAMPERED' })
})

test('a failing migration rolls back and names itself', async (t) => {
  const db = await testStore(t)
  const dir = await mkdtemp(join(tmpdir(), 'cw-mig-'))
  await writeFile(join(dir, '901_bad.sql'), 'create table half (id int); select * from no_such_table;')
  await t.rejects(migrate(db, [dir]), { code: 'CW_MIGRATION_FAILED', message: /901_bad\.sql/ })
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
    const applied = await Promise.all(dbs.map((db) => migrate(db, HUB_MIGRATIONS)))
    const expected = (await loadMigrations(HUB_MIGRATIONS)).map((m) => m.version)
    t.same(
      applied.flat().sort((a, b) => a - b),
      expected,
      'each migration applied exactly once across the processes',
    )
    t.same((await migrationStatus(dbs[0]!, HUB_MIGRATIONS)).pending, [])
  },
)

test('a store migrated when every migration was in the kernel folder upgrades without re-running any', async (t) => {
  // the layout before modules had their own folders: IdentityNow's 030-031 beside the kernel's
  const legacy = await mkdtemp(join(tmpdir(), 'cw-mig-legacy-'))
  for (const dir of [MIGRATIONS_DIR, identityNowModule.migrations as string]) {
    for (const file of await readdir(dir))
      if (file.endsWith('.sql')) await copyFile(join(dir, file), join(legacy, file))
  }
  const db = await emptyStore(t)
  const before = await migrate(db, [legacy])
  t.ok(before.includes(30) && before.includes(31), "IdentityNow's migrations applied from the old folder")
  const recorded = await db.query<{ version: number; checksum: string }>(
    'select version, checksum from schema_migrations',
  )

  // what the old layout never had (modules added since) is applied; nothing it had runs again
  const applied = await migrate(db, HUB_MIGRATIONS)
  t.notOk(
    applied.some((v) => before.includes(v)),
    'nothing re-run, nothing refused as tampered',
  )
  t.same((await migrationStatus(db, HUB_MIGRATIONS)).pending, [])
  const after = await db.query<{ version: number; checksum: string }>('select version, checksum from schema_migrations')
  t.same(
    after.rows.filter((r) => !applied.includes(r.version)),
    recorded.rows,
    'the rows of what was applied before unchanged',
  )
})

test('migrations of several folders run in version order, and a version used twice is refused naming both files', async (t) => {
  const db = await testStore(t)
  const first = await mkdtemp(join(tmpdir(), 'cw-mig-a-'))
  const second = await mkdtemp(join(tmpdir(), 'cw-mig-b-'))
  await writeFile(join(first, '911_fill.sql'), 'insert into ordered values (1);')
  await writeFile(join(second, '910_create.sql'), 'create table ordered (id int);')
  t.same(await migrate(db, [first, second]), [910, 911], 'the lower version first, whatever its folder')

  await writeFile(join(second, '911_other.sql'), 'select 1;')
  await t.rejects(migrate(db, [first, second]), {
    code: 'CW_MIGRATION_FAILED',
    message: /911_other\.sql.*911_fill\.sql/,
  })
})

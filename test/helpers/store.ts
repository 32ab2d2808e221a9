// Test store: PGlite in memory by default; a fresh database on a PostgreSQL server when
// CROSSWALK_TEST_DATABASE_URL is set (what .ci/run does for the second pass of the suite).
import pg from 'pg'
import type { Db } from '../../core/store/db.ts'
import { PgliteDb } from '../../core/store/pglite-db.ts'
import { PostgresDb } from '../../core/store/postgres-db.ts'
import { loadMigrations, migrate } from '../../core/store/migrations.ts'
import { HUB_MIGRATIONS } from '../../modules.ts'
import { createHash, randomBytes } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'

export const serverUrl = process.env.CROSSWALK_TEST_DATABASE_URL

export interface TestDatabase {
  /** the URL of the fresh database, or undefined on PGlite */
  url: string | undefined
  drop(): Promise<void>
}

/** Creates an empty database on the test server (nothing on PGlite). */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!serverUrl) return { url: undefined, drop: async () => {} }
  const name = `cw_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}

// PGlite's initdb costs seconds per store. Loading a migrated template's data folder costs a
// fraction of that, so the template is made once (per set of migrations), kept as a file in the
// temp folder for every test process, and loaded for each test.
let template: Promise<Blob> | undefined

async function migratedTemplate(): Promise<Blob> {
  const migrations = await loadMigrations(HUB_MIGRATIONS)
  const key = createHash('sha256')
    // a migration renumbered keeps its checksum: the version is part of the key
    .update(migrations.map((m) => `${m.version}:${m.checksum}`).join(','))
    .digest('hex')
    .slice(0, 16)
  const path = join(tmpdir(), `crosswalk-pglite-template-${key}.tar`)
  try {
    return new Blob([await readFile(path)])
  } catch {
    const db = await PgliteDb.open()
    await migrate(db, HUB_MIGRATIONS)
    const dump = await db.pglite.dumpDataDir('none')
    await db.close()
    const partial = `${path}.${process.pid}`
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()))
    await rename(partial, path)
    return dump
  }
}

async function pgliteFromTemplate(): Promise<Db> {
  template ??= migratedTemplate()
  return PgliteDb.fromPglite(new PGlite({ loadDataDir: await template }))
}

/** A store with every migration of the hub applied, empty, for one test; closed and dropped by `t.teardown`. */
export async function testStore(t: { teardown(fn: () => unknown): void }): Promise<Db> {
  const database = await createTestDatabase()
  const db: Db = database.url ? await PostgresDb.open({ connectionString: database.url }) : await pgliteFromTemplate()
  t.teardown(async () => {
    await db.close()
    await database.drop()
  })
  await migrate(db, HUB_MIGRATIONS)
  return db
}

// Test store: PGlite in memory by default; a fresh database on a PostgreSQL server when
// CROSSWALK_TEST_DATABASE_URL is set (what .ci/run does for the second pass of the suite).
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Db } from '../../core/store/db.ts'
import { PgliteDb } from '../../core/store/pglite-db.ts'
import { PostgresDb } from '../../core/store/postgres-db.ts'
import { migrate } from '../../core/store/migrations.ts'

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

/** A migrated, empty store for one test; closed and dropped by `t.teardown`. */
export async function testStore(t: { teardown(fn: () => unknown): void }): Promise<Db> {
  const database = await createTestDatabase()
  const db: Db = database.url ? await PostgresDb.open({ connectionString: database.url }) : await PgliteDb.open()
  t.teardown(async () => {
    await db.close()
    await database.drop()
  })
  await migrate(db)
  return db
}

// Versioned schema migrations: numbered SQL files in ./migrations, applied in order at start,
// each in its own transaction, recorded with a checksum so an edited, already-applied file is
// caught instead of silently diverging. Several hub instances starting at once are serialised by
// an advisory lock.
import { createHash } from 'node:crypto'
import { readFile, readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Db } from './db.ts'
import { CoreErrors } from '../errors.ts'

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
const LOCK_KEY = 4_242_001

export interface Migration {
  version: number
  name: string
  sql: string
  checksum: string
}

export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3,}_[\w-]+\.sql$/.test(f)).sort()
  const migrations: Migration[] = []
  for (const file of files) {
    const sql = await readFile(new URL(file, `file://${dir.endsWith('/') ? dir : `${dir}/`}`), 'utf8')
    const version = Number(file.split('_', 1)[0])
    if (migrations.some((m) => m.version === version)) {
      throw new CoreErrors.MIGRATION_FAILED(file, `version ${version} is used twice`)
    }
    migrations.push({ version, name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') })
  }
  return migrations
}

// Inside the advisory lock: `create table if not exists` is not atomic in PostgreSQL, and two hubs
// starting at once both pass the existence check and collide on pg_type (23505).
function createMigrationsTable(db: Db): Promise<void> {
  return db.exec(`create table if not exists schema_migrations (
    version integer primary key, name text not null, checksum text not null,
    applied_at timestamptz not null default now())`)
}

export interface MigrationStatus {
  applied: number[]
  pending: number[]
}

export async function migrationStatus(db: Db, dir?: string): Promise<MigrationStatus> {
  const migrations = await loadMigrations(dir)
  await db.withAdvisoryLock(LOCK_KEY, () => createMigrationsTable(db))
  const { rows } = await db.query<{ version: number }>('select version from schema_migrations')
  const applied = new Set(rows.map((r) => Number(r.version)))
  return {
    applied: [...applied].sort((a, b) => a - b),
    pending: migrations.filter((m) => !applied.has(m.version)).map((m) => m.version),
  }
}

/** Applies pending migrations; returns the versions it applied. */
export async function migrate(db: Db, dir?: string): Promise<number[]> {
  const migrations = await loadMigrations(dir)
  const appliedNow: number[] = []
  const run = async () => {
    await createMigrationsTable(db)
    const { rows } = await db.query<{ version: number; checksum: string; name: string }>(
      'select version, checksum, name from schema_migrations',
    )
    const applied = new Map(rows.map((r) => [Number(r.version), r]))
    for (const migration of migrations) {
      const previous = applied.get(migration.version)
      if (previous) {
        if (previous.checksum !== migration.checksum) throw new CoreErrors.MIGRATION_TAMPERED(migration.name)
        continue
      }
      try {
        await db.transaction(async (tx) => {
          await tx.exec(migration.sql)
          await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
            migration.version,
            migration.name,
            migration.checksum,
          ])
        })
      } catch (error) {
        throw new CoreErrors.MIGRATION_FAILED(migration.name, (error as Error).message)
      }
      appliedNow.push(migration.version)
    }
  }
  await db.withAdvisoryLock(LOCK_KEY, run)
  return appliedNow
}

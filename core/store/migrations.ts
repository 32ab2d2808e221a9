// Versioned schema migrations: numbered SQL files, the kernel's in ./migrations and each module's
// in its own folder (HubModule.migrations), applied in the order of their versions at start, each
// in its own transaction, recorded with a checksum so an edited, already-applied file is caught
// instead of silently diverging. Versions are one sequence across all folders (schema_migrations
// is keyed by version): a store migrated when every file was in ./migrations matches the same
// files in their new folders. Several hub instances starting at once are serialised by an
// advisory lock.
import { createHash } from 'node:crypto'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Db } from './db.ts'
import { CoreErrors } from '../errors.ts'

/** the kernel's own migrations */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
const LOCK_KEY = 4_242_001

export interface Migration {
  version: number
  name: string
  sql: string
  checksum: string
}

/** The migrations of these folders (the kernel's by default), in the order of their versions. */
export async function loadMigrations(dirs: readonly string[] = [MIGRATIONS_DIR]): Promise<Migration[]> {
  const migrations: Migration[] = []
  for (const dir of dirs) {
    const files = (await readdir(dir)).filter((f) => /^\d{3,}_[\w-]+\.sql$/.test(f))
    for (const file of files) {
      const sql = await readFile(join(dir, file), 'utf8')
      const version = Number(file.split('_', 1)[0])
      const taken = migrations.find((m) => m.version === version)
      if (taken) {
        throw new CoreErrors.MIGRATION_FAILED(file, `version ${version} is already used by ${taken.name}`)
      }
      migrations.push({ version, name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') })
    }
  }
  return migrations.sort((a, b) => a.version - b.version)
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

export async function migrationStatus(db: Db, dirs?: readonly string[]): Promise<MigrationStatus> {
  const migrations = await loadMigrations(dirs)
  await db.withAdvisoryLock(LOCK_KEY, () => createMigrationsTable(db))
  const { rows } = await db.query<{ version: number }>('select version from schema_migrations')
  const applied = new Set(rows.map((r) => Number(r.version)))
  return {
    applied: [...applied].sort((a, b) => a - b),
    pending: migrations.filter((m) => !applied.has(m.version)).map((m) => m.version),
  }
}

/** Applies pending migrations; returns the versions it applied. */
export async function migrate(db: Db, dirs?: readonly string[]): Promise<number[]> {
  const migrations = await loadMigrations(dirs)
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

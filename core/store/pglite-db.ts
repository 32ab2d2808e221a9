// Embedded store: PGlite with its data folder on disk. PGlite is a single connection, so
// transactions are serialised by PGlite's own transaction lock; nothing else is needed here.
import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import type { Db, QueryResult, Queryable } from './db.ts'

export class PgliteDb implements Db {
  readonly kind = 'pglite' as const
  readonly pglite: PGlite

  private constructor(pglite: PGlite) {
    this.pglite = pglite
  }

  /** Wraps an already open PGlite (tests load one from a migrated template). */
  static async fromPglite(pglite: PGlite): Promise<PgliteDb> {
    await pglite.waitReady
    return new PgliteDb(pglite)
  }

  /** `dataDir` undefined keeps everything in memory (tests). */
  static async open(dataDir?: string): Promise<PgliteDb> {
    if (dataDir) await mkdir(dataDir, { recursive: true })
    const pglite = dataDir ? new PGlite(dataDir) : new PGlite()
    await pglite.waitReady
    return new PgliteDb(pglite)
  }

  async query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
    const result = await this.pglite.query<Row>(sql, params as unknown[])
    return { rows: result.rows, affectedRows: result.affectedRows ?? 0 }
  }

  async exec(sql: string): Promise<void> {
    await this.pglite.exec(sql)
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction(async (tx) =>
      work({
        async query<Row>(sql: string, params: readonly unknown[] = []) {
          const result = await tx.query<Row>(sql, params as unknown[])
          return { rows: result.rows, affectedRows: result.affectedRows ?? 0 }
        },
        async exec(sql: string) {
          await tx.exec(sql)
        },
      }),
    )
  }

  // One connection, one process: there is nobody to serialise against.
  withAdvisoryLock<T>(_key: number, work: () => Promise<T>): Promise<T> {
    return work()
  }

  async ping(): Promise<boolean> {
    try {
      await this.pglite.query('select 1')
      return true
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close()
  }
}

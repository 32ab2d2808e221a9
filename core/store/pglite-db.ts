// Embedded store: PGlite with its data folder on disk. PGlite is a single connection, so
// transactions are serialised by PGlite's own transaction lock; nothing else is needed here.
// The folder is private to the hub's user (private-files.ts).
import { PGlite } from '@electric-sql/pglite'
import type { Db, NotificationHandlers, QueryResult, Queryable } from './db.ts'
import { makePrivateDir, makeTreePrivate } from './private-files.ts'

export class PgliteDb implements Db {
  readonly kind = 'pglite' as const
  readonly pglite: PGlite
  readonly #dataDir: string | undefined

  private constructor(pglite: PGlite, dataDir?: string) {
    this.pglite = pglite
    this.#dataDir = dataDir
  }

  /** Wraps an already open PGlite (tests load one from a migrated template). */
  static async fromPglite(pglite: PGlite): Promise<PgliteDb> {
    await pglite.waitReady
    return new PgliteDb(pglite)
  }

  /** `dataDir` undefined keeps everything in memory (tests). */
  static async open(dataDir?: string): Promise<PgliteDb> {
    if (!dataDir) {
      const pglite = new PGlite()
      await pglite.waitReady
      return new PgliteDb(pglite)
    }
    await makePrivateDir(dataDir)
    const pglite = new PGlite(dataDir)
    await pglite.waitReady
    // a new store's files were written 0666, an older release's too
    await makeTreePrivate(dataDir)
    return new PgliteDb(pglite, dataDir)
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

  // One connection in this process: it cannot be lost while the store is open.
  async listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>> {
    const unlisten = await this.pglite.listen(channel, (payload) => handlers.notify(payload))
    handlers.listening()
    return async () => {
      if (!this.pglite.closed) await unlisten()
    }
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
    if (this.pglite.closed) return
    await this.pglite.close()
    // files PostgreSQL wrote since (0644 ones, inside the 0700 folder) are made private at rest
    if (this.#dataDir) await makeTreePrivate(this.#dataDir)
  }
}

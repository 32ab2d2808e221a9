// PostgreSQL server store through a `pg` pool, for deployments where several hub instances
// share one database.
import pg from 'pg'
import type { Db, NotificationHandlers, QueryResult, Queryable } from './db.ts'
import { listenOnServer, type PgListenerOptions } from './pg-listener.ts'

export interface PostgresDbOptions {
  connectionString: string
  maxConnections?: number
  /** ms to wait for a connection from the pool or the server */
  connectTimeoutMs?: number
  /** ms a single statement may run */
  statementTimeoutMs?: number
}

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await client.query(sql, params as unknown[])
      return { rows: result.rows as Row[], affectedRows: result.rowCount ?? 0 }
    },
    async exec(sql: string) {
      await client.query(sql)
    },
  }
}

export class PostgresDb implements Db {
  readonly kind = 'postgres' as const
  readonly pool: pg.Pool
  readonly #queryable: Queryable
  readonly #listenerOptions: PgListenerOptions
  readonly #listeners = new Set<() => Promise<void>>()

  private constructor(pool: pg.Pool, listenerOptions: PgListenerOptions) {
    this.pool = pool
    this.#queryable = wrap(pool)
    this.#listenerOptions = listenerOptions
  }

  static async open(options: PostgresDbOptions): Promise<PostgresDb> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      statement_timeout: options.statementTimeoutMs ?? 60_000,
      idleTimeoutMillis: 30_000,
    })
    // An idle client's error (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => {})
    const db = new PostgresDb(pool, {
      connectionString: options.connectionString,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    })
    await db.query('select 1')
    return db
  }

  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return this.#queryable.query<Row>(sql, params)
  }

  exec(sql: string): Promise<void> {
    return this.#queryable.exec(sql)
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('begin')
      const result = await work(wrap(client))
      await client.query('commit')
      return result
    } catch (error) {
      await client.query('rollback').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  async withAdvisoryLock<T>(key: number, work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('select pg_advisory_lock($1)', [key])
      return await work()
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]).catch(() => {})
      client.release()
    }
  }

  async listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>> {
    const stop = listenOnServer(this.#listenerOptions, channel, handlers)
    const unlisten = async () => {
      this.#listeners.delete(unlisten)
      await stop()
    }
    this.#listeners.add(unlisten)
    return unlisten
  }

  async ping(): Promise<boolean> {
    try {
      await this.pool.query('select 1')
      return true
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#listeners].map((unlisten) => unlisten()))
    await this.pool.end()
  }
}

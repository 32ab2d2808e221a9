// How pg-boss reaches the store. Embedded: through the very PGlite instance the hub uses (one
// connection, in process). Server: through a small pool of its own on the same database, so
// heartbeats and polling never wait behind the store pool, and so pg-boss can LISTEN and open
// transactions itself. Everything above this file is the same on both.
import { fromPglite, type ConstructorOptions, type Db as BossDb } from 'pg-boss'
import type { Db, Queryable } from '../store/db.ts'
import { PgliteDb } from '../store/pglite-db.ts'
import { PostgresDb } from '../store/postgres-db.ts'

type ConnectionOptions = Pick<
  ConstructorOptions,
  | 'db'
  | 'backend'
  | 'connectionString'
  | 'host'
  | 'port'
  | 'user'
  | 'password'
  | 'database'
  | 'ssl'
  | 'max'
  | 'connectionTimeoutMillis'
  | 'application_name'
>

export function bossConnection(db: Db, maxConnections: number): ConnectionOptions {
  if (db instanceof PgliteDb) return { db: fromPglite(db.pglite), backend: 'pglite' }
  if (db instanceof PostgresDb) {
    // the store pool's own settings, so both reach the same server and database the same way
    const { connectionString, host, port, user, password, database, ssl } = db.pool.options
    return {
      backend: 'postgres',
      ...(connectionString !== undefined ? { connectionString } : {}),
      ...(host ? { host } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(user !== undefined ? { user } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(database !== undefined ? { database } : {}),
      ...(ssl !== undefined ? { ssl } : {}),
      max: maxConnections,
      connectionTimeoutMillis: 10_000,
      application_name: 'crosswalk-queue',
    }
  }
  throw new TypeError(`the job queue has no connection for a "${db.kind}" store`)
}

/** Lets pg-boss write into the caller's open transaction (one statement at a time, with parameters). */
export function bossTransaction(tx: Queryable): BossDb {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const { rows } = await tx.query(text, values ?? [])
      return { rows }
    },
  }
}

// One SQL surface over the two stores we run on: PGlite (embedded, in-process WebAssembly
// PostgreSQL) and a PostgreSQL server through `pg`. Same SQL, same migrations on both.

export interface QueryResult<Row> {
  rows: Row[]
  /** rows touched by INSERT/UPDATE/DELETE */
  affectedRows: number
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>
  /** several statements without parameters (DDL, migrations) */
  exec(sql: string): Promise<void>
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** runs `work` in one transaction; rolls back when it throws */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  /** runs `work` while holding a session-level advisory lock (serialises concurrent hub instances) */
  withAdvisoryLock<T>(key: number, work: () => Promise<T>): Promise<T>
  /** cheap liveness probe */
  ping(): Promise<boolean>
  close(): Promise<void>
}

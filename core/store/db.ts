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

/** What a listener of a notification channel (LISTEN/NOTIFY) is told. */
export interface NotificationHandlers {
  /** a notification on the channel, with its payload */
  notify(payload: string): void
  /** notifications arrive from now on (after the first LISTEN, and after each reconnection) */
  listening(): void
  /** the listening connection was lost: notifications may be missed until listening() again */
  lost(): void
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** runs `work` in one transaction; rolls back when it throws */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  /** runs `work` while holding a session-level advisory lock (serialises concurrent hub instances) */
  withAdvisoryLock<T>(key: number, work: () => Promise<T>): Promise<T>
  /**
   * Listens to a notification channel (NOTIFY, delivered on commit) until the returned function
   * is called. Returns at once; `handlers.listening` says when notifications start to arrive.
   */
  listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>>
  /** cheap liveness probe */
  ping(): Promise<boolean>
  close(): Promise<void>
}

// Records every SQL statement a store runs from now until the test ends (to prove what a request
// asked the store, or that it asked nothing).
import type { Db } from '../../core/store/db.ts'

export function recordStatements(t: { teardown(fn: () => unknown): void }, db: Db): string[] {
  const statements: string[] = []
  const original = db.query.bind(db)
  db.query = (async (sql: string, params?: readonly unknown[]) => {
    statements.push(sql)
    return original(sql, params)
  }) as typeof db.query
  t.teardown(() => {
    db.query = original
  })
  return statements
}

// Timestamps read from the store, as the API shows them: ISO 8601 in UTC. PostgreSQL (pg) hands
// over Date objects, PGlite and JSON columns strings; both come out the same.
export function isoTimestamp(value: Date | string): string
export function isoTimestamp(value: Date | string | null): string | null
export function isoTimestamp(value: Date | string | null): string | null {
  if (value === null) return null
  return (value instanceof Date ? value : new Date(value)).toISOString()
}

// Values as the mapping kernel compares and writes them. Each system hands values its own way
// (ServiceNow: every value a string, a reference a sys_id; LeanIX: typed JSON, structured
// fields). A field mapping compares in one comparable form, text or a sorted list of text, so
// that "5" and 5, "a,b" and ["b","a"] are the same value, and writes in the form the written
// field's type asks for.
import { createHash } from 'node:crypto'
import type { FieldType } from '../connector/contract.ts'

/** What a field mapping compares: no value, a text, or a set of texts (sorted). */
export type Comparable = string | null | string[]

/** A value read at `path`: a flat dot-walked key as ServiceNow returns it, else walked through objects. */
export function valueAt(record: Record<string, unknown> | undefined, path: string): unknown {
  if (!record) return undefined
  if (path in record) return record[path]
  if (!path.includes('.')) return undefined
  let at: unknown = record
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined
    at = (at as Record<string, unknown>)[part]
  }
  return at
}

function scalarText(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value === '' ? null : value
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>
    // an external id, a reference link object, a displayed value
    if (typeof o.externalId === 'string') return o.externalId === '' ? null : o.externalId
    if (typeof o.value === 'string') return o.value === '' ? null : o.value
    if (typeof o.asString === 'string') return o.asString === '' ? null : o.asString
    if (typeof o.name === 'string') return o.name === '' ? null : o.name
  }
  return JSON.stringify(value)
}

function listOf(value: unknown): string[] {
  if (value === null || value === undefined || value === '') return []
  if (Array.isArray(value)) return value.map(scalarText).filter((v): v is string => v !== null)
  if (typeof value === 'string')
    return value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
  const one = scalarText(value)
  return one === null ? [] : [one]
}

const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/

/** The comparable form of a value held by (or to be written into) a field of `type`. */
export function comparable(value: unknown, type: FieldType): Comparable {
  switch (type) {
    case 'list':
    case 'tags':
      return [...new Set(listOf(value))].sort()
    case 'integer':
    case 'decimal': {
      const text = scalarText(value)
      if (text === null) return null
      return NUMERIC.test(text.trim()) ? String(Number(text)) : text
    }
    case 'boolean': {
      const text = scalarText(value)
      if (text === null) return null
      return ['true', '1', 'yes'].includes(text.toLowerCase()) ? 'true' : 'false'
    }
    case 'date': {
      const text = scalarText(value)
      return text === null ? null : text.slice(0, 10)
    }
    default:
      // a list read into a single value: its items, joined
      return Array.isArray(value) ? listOf(value).join(', ') || null : scalarText(value)
  }
}

/** The value to hand the connector for a field of `type`. */
export function writable(value: Comparable, type: FieldType): unknown {
  if (value === null) return null
  switch (type) {
    case 'list':
      return Array.isArray(value) ? value : [value]
    case 'integer':
    case 'decimal': {
      const text = Array.isArray(value) ? value.join(',') : value
      const n = Number(text)
      return Number.isFinite(n) ? n : text
    }
    case 'externalId':
      return { externalId: Array.isArray(value) ? value.join(',') : value }
    default:
      return Array.isArray(value) ? value.join(', ') : value
  }
}

/** One text for comparing and hashing comparables; no value and an empty list are the same. */
export function canon(value: Comparable): string {
  if (value === null) return ''
  if (Array.isArray(value)) return value.length === 0 ? '' : `\u0000${value.join('\u0000')}`
  return value
}

export function sameValue(a: Comparable, b: Comparable): boolean {
  return canon(a) === canon(b)
}

/** A short hash of a comparable: what the links table keeps per field. */
export function valueHash(value: Comparable): string {
  return createHash('sha256').update(canon(value)).digest('base64url').slice(0, 16)
}

/** Today as YYYY-MM-DD (UTC); the clock is injectable for tests. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10)
}

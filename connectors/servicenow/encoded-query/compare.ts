// How two ServiceNow field values (always strings) compare: numerically when both are numbers,
// chronologically when both are dates/date-times ("YYYY-MM-DD[ HH:mm:ss]", UTC), otherwise as
// text. Text comparison is case- and accent-insensitive by default, as ServiceNow's database
// queries are ("By default, text searches in ServiceNow table columns are insensitive to case …
// and accent", docs: sl-locale-text-match; GlideRecord queries are case-insensitive, GlideFilter
// docs); `caseSensitive` switches that off.

const PLAIN_INTEGER = /^(?:0|[1-9]\d*)$/
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)$/

export function isNumeric(value: string): boolean {
  // cheap first-character test: most text and every date-time fails it without the regex
  const c = value.charCodeAt(0)
  const plausible = (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46
  return plausible && (value.length < 5 || value.charCodeAt(4) !== 45) && NUMBER.test(value)
}

/** Milliseconds since the epoch of a "YYYY-MM-DD" or "YYYY-MM-DD HH:mm:ss" UTC value, else undefined. */
export function parseDateTime(value: string): number | undefined {
  // read by character codes: this runs for every compared value, a regex match per call shows up in sorts
  const long = value.length === 19
  if (!long && value.length !== 10) return undefined
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return undefined
  if (long && (value.charCodeAt(10) !== 32 || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58)) {
    return undefined
  }
  const y = digits(value, 0, 4)
  const mo = digits(value, 5, 2)
  const d = digits(value, 8, 2)
  const h = long ? digits(value, 11, 2) : 0
  const mi = long ? digits(value, 14, 2) : 0
  const s = long ? digits(value, 17, 2) : 0
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) {
    return undefined
  }
  return Date.UTC(y, mo - 1, d, h, mi, s)
}

/** The non-negative integer written by `length` digits at `start`, or -1. */
function digits(value: string, start: number, length: number): number {
  let n = 0
  for (let i = start; i < start + length; i++) {
    const c = value.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

/** "YYYY-MM-DD HH:mm:ss" in UTC, the format the Table API uses for date-times. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

/** Folded forms of non-ASCII text, which is costly to fold; bounded by clearing when full. */
const foldCache = new Map<string, string>()
const FOLD_CACHE_LIMIT = 50_000

export function foldText(value: string, caseSensitive: boolean): string {
  if (caseSensitive) return value
  // one pass over the characters: most values (sys_ids, names, choices) are ASCII, and many have
  // no capital, so they come back as they are; this runs once per row and condition of a scan
  let upper = false
  let ascii = true
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c > 0x7f) {
      ascii = false
      break
    }
    if (c >= 65 && c <= 90) upper = true
  }
  if (ascii) return upper ? value.toLowerCase() : value
  let folded = foldCache.get(value)
  if (folded === undefined) {
    folded = value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    if (foldCache.size >= FOLD_CACHE_LIMIT) foldCache.clear()
    foldCache.set(value, folded)
  }
  return folded
}

/** Exact comparison of two decimal strings (no float rounding: 32-digit numeric ids stay distinct). */
function compareDecimals(a: string, b: string): number {
  if (PLAIN_INTEGER.test(a) && PLAIN_INTEGER.test(b)) {
    return a.length !== b.length ? a.length - b.length : compareStrings(a, b)
  }
  const pa = splitDecimal(a)
  const pb = splitDecimal(b)
  if (pa.zero && pb.zero) return 0
  if (pa.negative !== pb.negative) return pa.negative ? -1 : 1
  const sign = pa.negative ? -1 : 1
  if (pa.int.length !== pb.int.length) return sign * (pa.int.length < pb.int.length ? -1 : 1)
  if (pa.int !== pb.int) return sign * (pa.int < pb.int ? -1 : 1)
  if (pa.frac !== pb.frac) return sign * (pa.frac < pb.frac ? -1 : 1)
  return 0
}

function splitDecimal(value: string): { negative: boolean; int: string; frac: string; zero: boolean } {
  const negative = value.startsWith('-')
  const body = value.replace(/^[-+]/, '')
  const [rawInt = '', rawFrac = ''] = body.split('.')
  const int = rawInt.replace(/^0+/, '')
  const frac = rawFrac.replace(/0+$/, '')
  const zero = int === '' && frac === ''
  return { negative: negative && !zero, int, frac, zero }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * How a column's values compare, when its type is known: numbers, date-times or text (a string
 * column holding "10" and "9" compares them as text, as the database does).
 */
export type ValueKind = 'number' | 'datetime' | 'text'

const NUMBER_TYPES = new Set([
  'integer',
  'decimal',
  'float',
  'longint',
  'numeric',
  'currency',
  'price',
  'percent_complete',
  'order_index',
  'auto_increment',
])
const DATE_TYPES = new Set(['glide_date_time', 'glide_date', 'due_date', 'calendar_date_time', 'date', 'datetime'])

/** The comparison kind of a ServiceNow column type ("integer", "glide_date_time", "string", …); undefined when not known. */
export function kindOfFieldType(type: string | undefined): ValueKind | undefined {
  if (type === undefined) return undefined
  if (NUMBER_TYPES.has(type)) return 'number'
  if (DATE_TYPES.has(type)) return 'datetime'
  return 'text'
}

/**
 * Negative, zero or positive as `a` sorts before, with or after `b`. Without a `kind` the values
 * decide: numeric when both are numbers, chronological when both are date-times, else text. A
 * `kind` whose parse fails on either side (a number column holding text) falls back to text.
 */
export function compareValues(a: string, b: string, caseSensitive = false, kind?: ValueKind): number {
  if (kind !== 'text' && kind !== 'datetime' && isNumeric(a) && isNumeric(b)) return compareDecimals(a, b)
  if (kind !== 'text' && kind !== 'number') {
    const da = parseDateTime(a)
    const db = parseDateTime(b)
    if (da !== undefined && db !== undefined) return da - db
  }
  return compareStrings(foldText(a, caseSensitive), foldText(b, caseSensitive))
}

export function valuesEqual(a: string, b: string, caseSensitive = false, kind?: ValueKind): boolean {
  return compareValues(a, b, caseSensitive, kind) === 0
}

/**
 * A value prepared for sorting: which kind it is (empty, number, date-time, text, in that order)
 * and its comparable form. Computing it once per value keeps sorts from re-parsing on every compare.
 */
export interface SortKey {
  readonly rank: 0 | 1 | 2 | 3
  readonly raw: string
  readonly ms: number
  readonly text: string
}

/** `kind` (from the column type) overrides what the value looks like; a value that does not parse as its kind sorts as text. */
export function sortKey(value: string, caseSensitive = false, kind?: ValueKind): SortKey {
  if (value === '') return { rank: 0, raw: value, ms: 0, text: '' }
  if (kind !== 'text' && kind !== 'datetime' && isNumeric(value)) return { rank: 1, raw: value, ms: 0, text: '' }
  if (kind !== 'text' && kind !== 'number') {
    const ms = parseDateTime(value)
    if (ms !== undefined) return { rank: 2, raw: value, ms, text: '' }
  }
  return { rank: 3, raw: value, ms: 0, text: foldText(value, caseSensitive) }
}

export function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a.rank !== b.rank) return a.rank - b.rank
  switch (a.rank) {
    case 0:
      return 0
    case 1:
      return compareDecimals(a.raw, b.raw)
    case 2:
      return a.ms - b.ms
    case 3:
      return compareStrings(a.text, b.text)
  }
}

/**
 * A total order for sorting a column whose values may mix kinds: empty first (as NULLs sort first
 * ascending), then numbers, then date-times, then text; within a kind as compareValues.
 */
export function compareForSort(a: string, b: string, caseSensitive = false, kind?: ValueKind): number {
  return compareSortKeys(sortKey(a, caseSensitive, kind), sortKey(b, caseSensitive, kind))
}

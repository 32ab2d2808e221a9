// How two ServiceNow field values (always strings) compare: numerically when both are numbers,
// chronologically when both are dates/date-times ("YYYY-MM-DD[ HH:mm:ss]", UTC), otherwise as
// text. Text comparison is case- and accent-insensitive by default, as ServiceNow's database
// queries are ("By default, text searches in ServiceNow table columns are insensitive to case …
// and accent", docs: sl-locale-text-match; GlideRecord queries are case-insensitive, GlideFilter
// docs); `caseSensitive` switches that off.

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/

export function isNumeric(value: string): boolean {
  return NUMBER.test(value)
}

/** Milliseconds since the epoch of a "YYYY-MM-DD" or "YYYY-MM-DD HH:mm:ss" UTC value, else undefined. */
export function parseDateTime(value: string): number | undefined {
  const m = DATE_TIME.exec(value)
  if (m === null) return undefined
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
  return Number.isNaN(ms) ? undefined : ms
}

/** "YYYY-MM-DD HH:mm:ss" in UTC, the format the Table API uses for date-times. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

export function foldText(value: string, caseSensitive: boolean): string {
  return caseSensitive ? value : value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/** Exact comparison of two decimal strings (no float rounding: 32-digit numeric ids stay distinct). */
function compareDecimals(a: string, b: string): number {
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
 * A total order for sorting a column whose values may mix kinds: empty first (as NULLs sort first
 * ascending), then numbers, then date-times, then text; within a kind as compareValues.
 */
export function compareForSort(a: string, b: string, caseSensitive = false, kind?: ValueKind): number {
  if (kind !== undefined) {
    if (a === '' || b === '') return (a === '' ? 0 : 1) - (b === '' ? 0 : 1)
    return compareValues(a, b, caseSensitive, kind)
  }
  const ka = kindRank(a)
  const kb = kindRank(b)
  if (ka !== kb) return ka - kb
  return compareValues(a, b, caseSensitive)
}

function kindRank(value: string): number {
  if (value === '') return 0
  if (isNumeric(value)) return 1
  if (parseDateTime(value) !== undefined) return 2
  return 3
}

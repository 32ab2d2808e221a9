// The `javascript:gs.<fn>(…)` values the condition builder writes into date conditions, and the
// RELATIVE operators' "now ± n units", as pure functions of `now` (UTC). A real instance runs
// the script in the session user's time zone; we never evaluate script, we only recognise this
// whitelist (GlideSystem date functions,
// https://www.servicenow.com/docs/r/api-reference/server-api-reference/c_GlideSystemAPI.html) and refuse anything else.
import { EncodedQueryErrors } from './errors.ts'
import { formatDateTime, parseDateTime } from './compare.ts'
import type { RelativeUnit } from './values.ts'

const DAY = 86_400_000
type Span = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year'

/** Start of the `span` containing `ms`; weeks start on Monday (ServiceNow's default first day of week). */
export function startOf(ms: number, span: Span): number {
  const d = new Date(ms)
  const y = d.getUTCFullYear()
  const mo = d.getUTCMonth()
  switch (span) {
    case 'second':
      return Math.floor(ms / 1000) * 1000
    case 'minute':
      return Math.floor(ms / 60_000) * 60_000
    case 'hour':
      return Math.floor(ms / 3_600_000) * 3_600_000
    case 'day':
      return Math.floor(ms / DAY) * DAY
    case 'week': {
      const day = Math.floor(ms / DAY) * DAY
      const weekday = (new Date(day).getUTCDay() + 6) % 7 // Monday = 0
      return day - weekday * DAY
    }
    case 'month':
      return Date.UTC(y, mo, 1)
    case 'quarter':
      return Date.UTC(y, mo - (mo % 3), 1)
    case 'year':
      return Date.UTC(y, 0, 1)
  }
}

/** `ms` moved by `n` spans (negative = back in time); months keep the day of month where it exists. */
export function shift(ms: number, span: RelativeUnit | 'second', n: number): number {
  switch (span) {
    case 'second':
      return ms + n * 1000
    case 'minute':
      return ms + n * 60_000
    case 'hour':
      return ms + n * 3_600_000
    case 'day':
      return ms + n * DAY
    case 'week':
      return ms + n * 7 * DAY
    case 'month':
    case 'quarter':
    case 'year': {
      const months = n * (span === 'month' ? 1 : span === 'quarter' ? 3 : 12)
      const d = new Date(ms)
      d.setUTCMonth(d.getUTCMonth() + months)
      return d.getTime()
    }
  }
}

/** Last second of the `span` containing `ms` (ServiceNow's "end of" values end at :59). */
function endOf(ms: number, span: Span): number {
  return shift(startOf(ms, span), span, 1) - 1000
}

const PERIODS: Record<string, { span: Span; offset: number }> = {
  Today: { span: 'day', offset: 0 },
  Yesterday: { span: 'day', offset: -1 },
  Tomorrow: { span: 'day', offset: 1 },
  ThisWeek: { span: 'week', offset: 0 },
  LastWeek: { span: 'week', offset: -1 },
  NextWeek: { span: 'week', offset: 1 },
  ThisMonth: { span: 'month', offset: 0 },
  LastMonth: { span: 'month', offset: -1 },
  NextMonth: { span: 'month', offset: 1 },
  ThisQuarter: { span: 'quarter', offset: 0 },
  LastQuarter: { span: 'quarter', offset: -1 },
  NextQuarter: { span: 'quarter', offset: 1 },
  ThisYear: { span: 'year', offset: 0 },
  LastYear: { span: 'year', offset: -1 },
  NextYear: { span: 'year', offset: 1 },
}

const AGO_UNITS: Record<string, RelativeUnit> = {
  minutes: 'minute',
  hours: 'hour',
  days: 'day',
  months: 'month',
  quarters: 'quarter',
  years: 'year',
}

const CALL = /^javascript:\s*gs\.([A-Za-z]+)\(([^()]*)\)\s*;?\s*$/

export interface ScriptScope {
  readonly now: number
  readonly userSysId?: string | undefined
}

/**
 * The value a `javascript:gs.…()` query value stands for: a "YYYY-MM-DD HH:mm:ss" date-time, or
 * for gs.getUserID() the user's sys_id. Throws CW_SN_QUERY_UNSUPPORTED for anything else.
 */
export function evaluateScriptValue(value: string, scope: ScriptScope): string {
  const unsupported = () =>
    new EncodedQueryErrors.UNSUPPORTED(
      `script value "${value}" (only the GlideSystem date functions and gs.getUserID() are recognised, never arbitrary script)`,
    )
  const m = CALL.exec(value)
  if (m === null) throw unsupported()
  const [, fn = '', rawArgs = ''] = m
  const args = rawArgs.trim() === '' ? [] : rawArgs.split(',').map((a) => a.trim().replace(/^(['"])(.*)\1$/, '$2'))
  const now = scope.now

  if (fn === 'getUserID') {
    if (scope.userSysId === undefined) throw new EncodedQueryErrors.UNSUPPORTED('gs.getUserID() needs ctx.userSysId')
    return scope.userSysId
  }
  if (fn === 'nowDateTime' || fn === 'nowNoTZ') return formatDateTime(now)
  if (fn === 'now') return formatDateTime(startOf(now, 'day')).slice(0, 10)

  const period = /^(beginningOf|endOf)([A-Za-z]+)$/.exec(fn)
  if (period !== null) {
    const spec = PERIODS[period[2] ?? '']
    if (spec === undefined) throw unsupported()
    const anchor = startOf(shift(startOf(now, spec.span), spec.span, spec.offset), spec.span)
    return formatDateTime(period[1] === 'beginningOf' ? anchor : endOf(anchor, spec.span))
  }

  const ago = /^(minutes|hours|days|months|quarters|years)Ago(Start|End)?$/.exec(fn)
  if (ago !== null) {
    const unit = AGO_UNITS[ago[1] ?? ''] as RelativeUnit
    const n = Number(args[0] ?? '0')
    if (!Number.isInteger(n)) throw unsupported()
    const moved = shift(now, unit, -n)
    if (ago[2] === 'Start') return formatDateTime(startOf(moved, unit))
    if (ago[2] === 'End') return formatDateTime(endOf(moved, unit))
    return formatDateTime(moved)
  }

  if (fn === 'dateGenerate') {
    const [date = '', time = 'start'] = args
    if (parseDateTime(date) === undefined) throw unsupported()
    // pysnow sends one "YYYY-MM-DD HH:mm:ss" argument; the condition builder sends (date, time)
    if (date.length === 19) return date
    if (time === 'start') return `${date} 00:00:00`
    if (time === 'end') return `${date} 23:59:59`
    if (/^\d{2}:\d{2}:\d{2}$/.test(time)) return `${date} ${time}`
    throw unsupported()
  }
  throw unsupported()
}

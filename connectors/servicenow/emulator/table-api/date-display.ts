// Date and date/time display values as the platform shows them to a user: in the user's time
// zone (sys_user.time_zone) and date format (sys_user.date_format; empty = the system's
// yyyy-MM-dd), times as HH:mm:ss. Stored values stay UTC "yyyy-MM-dd HH:mm:ss"; only display
// values (sysparm_display_value=true|all) convert ("date/time → user's TZ & format", Table API
// docs https://www.servicenow.com/docs/r/api-reference/rest-apis/c_TableAPI.html). Dates
// (glide_date) have no time zone and are only reformatted.
import type { Instance } from '../instance/instance.ts'
import { parseGlideDateTime } from '../instance/glide-time.ts'

export interface DateDisplay {
  /** IANA zone name, e.g. Europe/Berlin */
  timeZone: string
  /** Java-style pattern of day, month and year, e.g. dd.MM.yyyy */
  dateFormat: string
}

export const SYSTEM_DATE_DISPLAY: DateDisplay = { timeZone: 'UTC', dateFormat: 'yyyy-MM-dd' }

const knownZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** the display settings of a user; the system's for unknown or unset values */
export function dateDisplayOf(instance: Instance, userSysId: string | undefined): DateDisplay {
  const ref = userSysId ? instance.get('sys_user', userSysId) : undefined
  if (!ref) return SYSTEM_DATE_DISPLAY
  const zone = ref.store.value(ref.row, 'time_zone')
  const format = ref.store.value(ref.row, 'date_format')
  return {
    timeZone: zone && zone !== 'GMT' && knownZone(zone) ? zone : 'UTC',
    dateFormat: /^(?=.*dd)(?=.*MM)(?=.*yyyy)[dMy./ -]+$/.test(format) ? format : 'yyyy-MM-dd',
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>()
const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, f)
  }
  return f
}

const applyPattern = (pattern: string, year: string, month: string, day: string): string =>
  pattern.replace('yyyy', year).replace('MM', month).replace('dd', day)

/** a stored UTC date/time as the user sees it */
export function displayDateTime(raw: string, display: DateDisplay): string {
  const at = parseGlideDateTime(raw)
  if (!at || raw.length !== 19) return raw
  const parts: Record<string, string> = {}
  for (const p of formatterFor(display.timeZone).formatToParts(at)) parts[p.type] = p.value
  const date = applyPattern(display.dateFormat, parts.year ?? '', parts.month ?? '', parts.day ?? '')
  return `${date} ${parts.hour}:${parts.minute}:${parts.second}`
}

/** a stored date as the user sees it */
export function displayDate(raw: string, display: DateDisplay): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw)
  return m ? applyPattern(display.dateFormat, m[1] as string, m[2] as string, m[3] as string) : raw
}

// Date/time values as the platform stores and returns them: "YYYY-MM-DD HH:mm:ss" in UTC.
const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

export const formatGlideDateTime = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}`

export const formatGlideDate = (d: Date): string => formatGlideDateTime(d).slice(0, 10)

/** parses the stored format (UTC); undefined when the text is not a glide date/time */
export const parseGlideDateTime = (text: string): Date | undefined => {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(text)
  if (!m) return undefined
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)))
}

// Turns a request body into an audit summary that can be kept and shown: the shape of the change
// and its plain values, with every value that could be a secret replaced. Errs on the side of
// hiding: a field is a secret when its name looks like one, when it sits under such a field, or
// when the whole request is about secrets (a route path naming secrets or credentials).
export const REDACTED = '[redacted]'

const SECRET_KEY =
  /pass(word|phrase)?|secret|token|api[-_]?key|private|credential|authori[sz]ation|cookie|signature|bearer|^key$|master[-_]?key|session/i
const SECRET_ROUTE = /secret|credential|password/i
const MAX_DEPTH = 6
const MAX_ITEMS = 50
const MAX_STRING = 200

export interface RedactOptions {
  /** redact every value, keep only the keys (requests about secrets) */
  valuesToo?: boolean
}

export function redact(value: unknown, options: RedactOptions = {}, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null
  if (depth >= MAX_DEPTH) return '[nested]'
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => redact(item, options, depth + 1))
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more]`] : items
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(value as Record<string, unknown>).slice(0, MAX_ITEMS)) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : redact(child, options, depth + 1)
    }
    return out
  }
  if (options.valuesToo) return REDACTED
  if (typeof value === 'string') return value.length > MAX_STRING ? `[${value.length} characters]` : value
  if (typeof value === 'number' || typeof value === 'boolean') return value
  return `[${typeof value}]`
}

/** The audit summary of a request: its redacted body and query. */
export function summarise(routeUrl: string, body: unknown, query: unknown): Record<string, unknown> {
  const options = { valuesToo: SECRET_ROUTE.test(routeUrl) }
  const summary: Record<string, unknown> = {}
  if (body !== undefined && body !== null && body !== '') summary.body = redact(body, options)
  if (query && typeof query === 'object' && Object.keys(query).length > 0) summary.query = redact(query, options)
  return summary
}

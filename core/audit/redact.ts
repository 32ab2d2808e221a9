// Turns a request body into an audit summary that can be kept and shown: the shape of the change
// and its plain values, with every value that could be a secret replaced. Errs on the side of
// hiding: a field is a secret when a schema says so (the secret rules modules contribute: the
// settings a connector marks `secret: true`, an integration's secret attributes), when its name
// looks like one, when it sits under such a field, or when the whole request is about secrets (a
// route path naming secrets or credentials). JSON Patch operations are read as what they change:
// `{"op": "replace", "path": "/attributes/password", "value": ...}` hides its value. The
// user:password@ part of a URL is hidden too.
export const REDACTED = '[redacted]'

const SECRET_KEY =
  /pass(word|phrase)?|secret|token|api[-_]?key|private|credential|authori[sz]ation|cookie|signature|bearer|^key$|master[-_]?key|session/i
const SECRET_ROUTE = /secret|credential|password/i
const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i
const MAX_DEPTH = 6
const MAX_ITEMS = 50
const MAX_STRING = 200

/** True when the value at `path` (keys from the top of the body or patched document) is a secret. */
export type SecretRule = (path: readonly string[]) => boolean

export interface RedactOptions {
  /** redact every value, keep only the keys (requests about secrets) */
  valuesToo?: boolean
  /** what schemas say is secret, besides the names that look like secrets */
  secret?: SecretRule
}

interface PatchOperation {
  op: string
  path: string
  value?: unknown
}

function isPatchOperation(value: object): value is PatchOperation {
  const candidate = value as Partial<PatchOperation>
  return typeof candidate.op === 'string' && typeof candidate.path === 'string'
}

/** "/attributes/pass~1word" -> ["attributes", "pass/word"] (RFC 6901) */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** True when a name looks like it holds a secret (password, token, api_key...): shared with previews of records. */
export function looksSecret(name: string): boolean {
  return SECRET_KEY.test(name)
}

/** The text with the user:password@ part of a URL at its start hidden. */
export function hideUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, `$1${REDACTED}@`)
}

function isSecretAt(path: readonly string[], options: RedactOptions): boolean {
  const last = path[path.length - 1]
  return (last !== undefined && looksSecret(last)) || options.secret?.(path) === true
}

export function redact(value: unknown, options: RedactOptions = {}, depth = 0, path: readonly string[] = []): unknown {
  if (value === null || value === undefined) return value ?? null
  if (depth >= MAX_DEPTH) return '[nested]'
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => redact(item, options, depth + 1, path))
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more]`] : items
  }
  if (typeof value === 'object') {
    // a JSON Patch operation's value lands at its path in the patched document
    const operation = isPatchOperation(value) ? pointerSegments(value.path) : undefined
    const out: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(value as Record<string, unknown>).slice(0, MAX_ITEMS)) {
      const at = operation && key === 'value' ? operation : [...path, key]
      out[key] = isSecretAt(at, options) ? REDACTED : redact(child, options, depth + 1, at)
    }
    return out
  }
  if (options.valuesToo) return REDACTED
  if (typeof value === 'string') {
    if (value.length > MAX_STRING) return `[${value.length} characters]`
    // a URL's user:password@ (refused as a setting, but a refused request is audited too)
    return hideUrlCredentials(value)
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value
  return `[${typeof value}]`
}

/** The audit summary of a request: its redacted body and query. */
export function summarise(
  routeUrl: string,
  body: unknown,
  query: unknown,
  secret?: SecretRule,
): Record<string, unknown> {
  const options: RedactOptions = { valuesToo: SECRET_ROUTE.test(routeUrl), ...(secret ? { secret } : {}) }
  const summary: Record<string, unknown> = {}
  if (body !== undefined && body !== null && body !== '') summary.body = redact(body, options)
  if (query && typeof query === 'object' && Object.keys(query).length > 0) summary.query = redact(query, options)
  return summary
}

// What a connector's settings schema says about URLs and secrets, and what the hub enforces
// because of it. Every setting whose schema has `format: "uri"` (an instance URL, a proxy, a
// token endpoint) says where requests go; the secrets of a connection are bound to the origins
// (scheme, host, port) of those URLs as they were when the secrets were given, so a changed
// origin drops them unless the same request sends them again (a "write-only" password must
// not follow the URL to another host). A URL never carries credentials (user:password@host):
// those go in the secret fields, which the vault seals.
import type { JsonSchema } from '../schema/json-schema.ts'

function walk(schema: JsonSchema, prefix: string, pick: (s: JsonSchema) => boolean, out: string[]): string[] {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${key}`
    if (pick(child)) out.push(path)
    if (child.properties) walk(child, `${path}.`, pick, out)
    for (const variant of child.anyOf ?? child.oneOf ?? []) {
      if (pick(variant) && !out.includes(path)) out.push(path)
      if (variant.properties) walk(variant, `${path}.`, pick, out)
    }
  }
  return out
}

/** Dot paths of the settings that are URLs ("instanceUrl", "proxyUrl", "auth.tokenUrl"). */
export function urlSettingPaths(schema: JsonSchema): string[] {
  return walk(schema, '', (s) => s.format === 'uri', [])
}

/** Dot paths of every setting the schema declares, nested ones included. */
export function settingPaths(schema: JsonSchema): string[] {
  return walk(schema, '', () => true, [])
}

/** Dot paths of the settings marked `secret: true`. */
export function secretSettingPaths(schema: JsonSchema): string[] {
  return walk(schema, '', (s) => s.secret === true, [])
}

export function readPath(obj: Record<string, unknown>, path: string): unknown {
  let node: unknown = obj
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}

/** "https://host:port" of a URL setting; the text itself when it is no URL; undefined when unset. */
export function originOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  try {
    return new URL(String(value)).origin
  } catch {
    return String(value)
  }
}

/** A URL with a user name or password in it (https://user:pass@host). */
export function urlHasCredentials(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    const url = new URL(value)
    return url.username !== '' || url.password !== ''
  } catch {
    return false
  }
}

export interface OriginChange {
  setting: string
  from: string | undefined
  to: string | undefined
}

/** The URL settings whose origin differs between `before` and `after` (set, unset or moved). */
export function changedOrigins(
  paths: readonly string[],
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): OriginChange[] {
  return paths.flatMap((setting) => {
    const from = originOf(readPath(before, setting))
    const to = originOf(readPath(after, setting))
    return from === to ? [] : [{ setting, from, to }]
  })
}

/** "instanceUrl (https://a.example -> https://b.example)" */
export function describeOriginChanges(changes: readonly OriginChange[]): string {
  return changes.map((c) => `${c.setting} (${c.from ?? 'unset'} -> ${c.to ?? 'unset'})`).join(', ')
}

// Connection settings against a connector's schema: defaults applied, errors naming the field,
// and the split between plain settings (stored as JSON) and secrets (sealed in the vault).
import '../schema/formats.ts'
import { Value } from 'typebox/value'
import type { TObject } from 'typebox'
import type { Connector } from '../connector/contract.ts'
import { CoreErrors } from '../errors.ts'
import { schemaErrors } from '../schema/errors.ts'
import { ConnectionErrors } from './errors.ts'
import { readPath, secretSettingPaths, settingPaths, urlHasCredentials, urlSettingPaths } from './url-settings.ts'

/** A placeholder that satisfies the schema for a secret that is set but not opened. */
const SECRET_PRESENT = '\u0000secret-present\u0000'

/** The settings against the connector's schema, with its defaults; URLs never carry credentials. */
export function validateSettings(connector: Connector, input: Record<string, unknown>): Record<string, unknown> {
  const schema: TObject = connector.configSchema
  for (const path of urlSettingPaths(schema)) {
    if (urlHasCredentials(readPath(input, path))) {
      const where =
        connector.secretFields.length > 0 ? `a secret field (${connector.secretFields.join(', ')})` : 'a secret field'
      throw new CoreErrors.URL_CREDENTIALS(path, where)
    }
  }
  const withDefaults = Value.Default(schema, structuredClone(input)) as Record<string, unknown>
  const errors = schemaErrors(schema, withDefaults)
  if (errors.length > 0) {
    const described = errors.slice(0, 5).map((e) => {
      const field = e.path === '' ? '(settings)' : e.path.slice(1).replaceAll('/', '.')
      return `${field}: ${e.message}`
    })
    const error = new ConnectionErrors.SETTINGS_INVALID(connector.name, described.join('; ')) as InvalidSettings
    // every problem at its JSON pointer into the request body, so that a form shows each at its field
    error.problems = errors.map((e) => ({ pointer: `/settings${e.path}`, message: e.message }))
    throw error
  }
  return withDefaults
}

type InvalidSettings = InstanceType<typeof ConnectionErrors.SETTINGS_INVALID> & {
  problems: Array<{ pointer: string; message: string }>
}

export interface SplitSettings {
  settings: Record<string, unknown>
  secrets: Record<string, string>
}

// Secret fields are named by path ("password", or "auth.clientSecret" for a nested one).
function writePath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.')
  let node = obj
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) return // parent absent: nothing to place
    node = node[key] as Record<string, unknown>
  }
  const last = keys[keys.length - 1] as string
  if (value === undefined) delete node[last]
  else node[last] = value
}

/** Separates the secret fields (marked in the schema or listed in secretFields) from the rest. */
export function splitSecrets(connector: Connector, values: Record<string, unknown>): SplitSettings {
  const settings = structuredClone(values)
  const secrets: Record<string, string> = {}
  for (const path of secretPaths(connector)) {
    const value = readPath(settings, path)
    if (typeof value === 'string' && value !== SECRET_PRESENT) secrets[path] = value
    writePath(settings, path, undefined)
  }
  return { settings, secrets }
}

/** Settings plus placeholders for secrets already stored, for validating a partial update. */
export function withStoredSecretPlaceholders(
  settings: Record<string, unknown>,
  storedSecretNames: string[],
): Record<string, unknown> {
  const out = structuredClone(settings)
  for (const name of storedSecretNames) if (readPath(out, name) === undefined) writePath(out, name, SECRET_PRESENT)
  return out
}

/** Puts opened secrets back at their paths, for the connector's call. */
export function mergeSecrets(
  settings: Record<string, unknown>,
  secrets: Record<string, string>,
): Record<string, unknown> {
  const out = structuredClone(settings)
  for (const [path, value] of Object.entries(secrets)) writePath(out, path, value)
  return out
}

/** A set of setting paths per connector, worked out once per connector. */
function perConnector(paths: (connector: Connector) => Iterable<string>): (connector: Connector) => Set<string> {
  const cache = new WeakMap<Connector, Set<string>>()
  return (connector) => {
    let found = cache.get(connector)
    if (!found) {
      found = new Set(paths(connector))
      cache.set(connector, found)
    }
    return found
  }
}

/** The secret settings of a connector: marked `secret: true` in its schema, or listed in secretFields. */
export const secretPaths = perConnector((connector) => [
  ...secretSettingPaths(connector.configSchema),
  ...connector.secretFields,
])

/** Every setting a connector's schema declares. */
const declaredPaths = perConnector((connector) => settingPaths(connector.configSchema))

/**
 * An audit secret rule: a value under a `settings` key (a REST body, GraphQL variables) is
 * secret when some installed connector's schema marks that setting secret, or when no schema
 * declares it at all: a mistyped "pasword" is refused, and the refusal is audited, but nothing
 * vouches that its value is not the password.
 */
export function settingsSecretRule(connectors: () => readonly Connector[]): (path: readonly string[]) => boolean {
  return (path) => {
    const at = path.lastIndexOf('settings')
    if (at < 0 || at === path.length - 1) return false
    const setting = path.slice(at + 1).join('.')
    const installed = connectors()
    return (
      installed.some((connector) => secretPaths(connector).has(setting)) ||
      !installed.some((connector) => declaredPaths(connector).has(setting))
    )
  }
}

// Reads the settings: defaults, then the config file (YAML or JSON, from --config or
// CROSSWALK_CONFIG), then the environment, then validates the whole against the hub's schema
// (the kernel's settings and the modules' sections, composed in modules.ts, which binds these
// functions to it). A wrong setting stops start-up with a message that names it and says what
// is expected.
import { readFileSync } from 'node:fs'
import '../schema/formats.ts'
import { Value } from 'typebox/value'
import type { TObject } from 'typebox'
import { parse as parseYaml } from 'yaml'
import type { Config } from './schema.ts'
import { migrateConfig } from './versions.ts'
import { CoreErrors } from '../errors.ts'
import type { JsonSchema } from '../schema/json-schema.ts'
import { schemaErrors } from '../schema/errors.ts'

type Env = Record<string, string | undefined>

interface EnvBinding {
  path: string[]
  env: string
  schema: JsonSchema
}

/** Every setting that can come from the environment, read off the schema's `env` annotations. */
export function envBindings(schema: JsonSchema, prefix: string[] = []): EnvBinding[] {
  const out: EnvBinding[] = []
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = [...prefix, key]
    if (typeof child.env === 'string') out.push({ path, env: child.env, schema: child })
    if (child.type === 'object' && child.properties) out.push(...envBindings(child, path))
  }
  return out
}

function coerceEnv(raw: string, schema: JsonSchema): unknown {
  // a number or a word (5 or "off"): a number when the text is one
  if (Array.isArray(schema.anyOf)) {
    const numeric = schema.anyOf.some((s) => s.type === 'integer' || s.type === 'number')
    return numeric && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw
  }
  if (schema.type === 'integer' || schema.type === 'number') return raw.trim() === '' ? raw : Number(raw)
  if (schema.type === 'boolean') {
    if (/^(true|1|yes|on)$/i.test(raw)) return true
    if (/^(false|0|no|off)$/i.test(raw)) return false
  }
  return raw
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  node[path[path.length - 1] as string] = value
}

export function readConfigFile(path: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new CoreErrors.CONFIG_INVALID(`cannot read config file ${path}: ${(error as Error).message}`)
  }
  try {
    const parsed: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text)
    if (parsed === null || parsed === undefined) return {}
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the top level must be a mapping')
    return parsed as Record<string, unknown>
  } catch (error) {
    throw new CoreErrors.CONFIG_INVALID(`config file ${path} is not valid YAML/JSON: ${(error as Error).message}`)
  }
}

export interface LoadConfigOptions {
  argv?: string[]
  env?: Env
  /** settings given by code (tests), applied last */
  overrides?: Partial<Config>
}

export function configPathFrom(argv: string[], env: Env): string | undefined {
  const index = argv.findIndex((a) => a === '--config' || a.startsWith('--config='))
  if (index >= 0) {
    const arg = argv[index] as string
    const value = arg.includes('=') ? arg.slice('--config='.length) : argv[index + 1]
    if (!value) throw new CoreErrors.CONFIG_INVALID('--config needs a file path')
    return value
  }
  return env.CROSSWALK_CONFIG || undefined
}

export function loadConfig(schema: TObject, options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env
  const path = configPathFrom(options.argv ?? [], env)
  const fromFile = path ? migrateConfig(readConfigFile(path), path) : {}
  const merged: Record<string, unknown> = structuredClone(fromFile)
  for (const binding of envBindings(schema)) {
    const raw = env[binding.env]
    if (raw !== undefined && raw !== '') setPath(merged, binding.path, coerceEnv(raw, binding.schema))
  }
  Object.assign(merged, options.overrides ?? {})
  return validateConfig(schema, merged, path)
}

export function validateConfig(schema: TObject, input: unknown, source?: string): Config {
  const bindingByPath = new Map(envBindings(schema).map((b) => [`/${b.path.join('/')}`, b.env]))
  const withDefaults = Value.Default(schema, structuredClone(input))
  const errors = schemaErrors(schema, withDefaults)
  if (errors.length > 0) {
    const lines = errors.slice(0, 10).map((e) => {
      const setting = e.path === '' ? '(top level)' : e.path.slice(1).replaceAll('/', '.')
      const env = bindingByPath.get(e.path)
      const secret = e.schema.secret === true
      const shown = secret ? '' : ` (got ${JSON.stringify(e.value)})`
      return `${setting}${env ? ` [${env}]` : ''}: ${e.message}${shown}`
    })
    throw new CoreErrors.CONFIG_INVALID(`${source ? `${source}: ` : ''}${lines.join('; ')}`)
  }
  return withDefaults as Config
}

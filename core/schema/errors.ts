// A value's errors against a TypeBox schema, each at the JSON pointer of the value it is about,
// with that value and the schema it failed. TypeBox 1 reports errors as ajv does: a missing or
// an unknown property once at its object (for all of them), and the errors of a union's
// branches flat, ahead of the union's own. The kernel names every problem where it is (a setting,
// a field of a mapping), so these are spread to one error per property, and a union's errors
// are gathered under it, by branch.
import type { TSchema } from 'typebox'
import { Settings } from 'typebox/system'
import type { TLocalizedValidationError } from 'typebox/error'
import { Value } from 'typebox/value'
import type { JsonSchema } from './json-schema.ts'

// TypeBox keeps 8 errors by default, fewer than one failed union of mapping fields brings; the
// budget still bounds the work an invalid input can cause (callers show the first few).
Settings.Set({ maxErrors: 2000 })

export interface SchemaError {
  /** JSON pointer of the value ('' for the whole) */
  path: string
  /** the JSON Schema keyword that failed (anyOf for a union) */
  keyword: string
  message: string
  /** the value at path; undefined for a missing property */
  value: unknown
  /** the schema the value failed; for a missing property, that property's; for an unknown one, its object's */
  schema: JsonSchema
  /** for a union: the errors of each branch, in the order of anyOf */
  branches: SchemaError[][]
}

interface Located {
  schemaPath: string
  error: SchemaError
}

const BRANCH = /\/anyOf\/\d+(\/|$)/

export function schemaErrors(schema: TSchema, value: unknown): SchemaError[] {
  const found: Located[] = []
  for (const raw of Value.Errors(schema, value)) {
    const at = Value.Pointer.Get(schema, raw.schemaPath.slice(1)) as JsonSchema
    if (raw.keyword === 'boolean' && raw.schemaPath.endsWith('/additionalProperties')) continue // named below
    if (raw.keyword === 'anyOf') {
      found.push({ schemaPath: raw.schemaPath, error: union(raw, at, value, found) })
      continue
    }
    for (const error of spread(raw, at, value)) found.push({ schemaPath: raw.schemaPath, error })
  }
  // a branch's errors whose union did not fit in the error budget say nothing on their own
  return found.filter((f) => !BRANCH.test(f.schemaPath)).map((f) => f.error)
}

function child(path: string, key: string): string {
  return `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
}

function spread(raw: TLocalizedValidationError, at: JsonSchema, value: unknown): SchemaError[] {
  const base = { keyword: raw.keyword, branches: [] }
  if (raw.keyword === 'required') {
    return raw.params.requiredProperties.map((key) => ({
      ...base,
      path: child(raw.instancePath, key),
      message: 'is required',
      value: undefined,
      schema: at.properties?.[key] ?? {},
    }))
  }
  if (raw.keyword === 'additionalProperties') {
    // with a schema for them, its own errors say what is wrong with each
    if (at.additionalProperties !== false) return []
    return raw.params.additionalProperties.map((key) => {
      const path = child(raw.instancePath, key)
      return { ...base, path, message: 'is not a known property', value: Value.Pointer.Get(value, path), schema: at }
    })
  }
  const got = Value.Pointer.Get(value, raw.instancePath)
  return [{ ...base, path: raw.instancePath, message: raw.message, value: got, schema: at }]
}

/** The union's error, with the errors of its branches taken off the end of `found`. */
function union(raw: TLocalizedValidationError, at: JsonSchema, value: unknown, found: Located[]): SchemaError {
  const branches: SchemaError[][] = (at.anyOf ?? []).map(() => [])
  const prefix = `${raw.schemaPath}/anyOf/`
  for (let last = found.at(-1); last?.schemaPath.startsWith(prefix); last = found.at(-1)) {
    found.pop()
    branches[Number.parseInt(last.schemaPath.slice(prefix.length), 10)]?.unshift(last.error)
  }
  const got = Value.Pointer.Get(value, raw.instancePath)
  const literals = (at.anyOf ?? []).map((branch) => branch.const)
  const message =
    literals.length > 0 && literals.every((l) => l !== undefined)
      ? `must be one of ${literals.map((l) => JSON.stringify(l)).join(', ')}`
      : raw.message
  return { path: raw.instancePath, keyword: raw.keyword, message, value: got, schema: at, branches }
}

// fast-check arbitraries from a route's JSON Schema (what Fastify validates against): values that
// fit the schema, mixed with values that do not (wrong types, text PostgreSQL cannot store, huge
// numbers, deep nesting), so that a fuzz run reaches handlers as well as the validation in front
// of them. URLs are only ever loopback addresses: a fuzz run sends nothing off this machine.
import fc, { type Arbitrary } from 'fast-check'

export type JsonSchema = {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  format?: string
  pattern?: string
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  additionalProperties?: boolean | JsonSchema
  patternProperties?: Record<string, JsonSchema>
}

/** Schemas a `$ref` may name (Fastify's shared schemas, by $id). */
export type SchemaLookup = (ref: string) => JsonSchema | undefined

/** Text that has broken handlers before: NUL bytes, lone surrogates, huge numbers as text, control characters. */
export const hostileText: Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '1e309',
    '-1',
    '9'.repeat(400),
    '../../etc/passwd',
    '%00',
    '%',
    '{"a":',
    "' or '1'='1",
    '__proto__',
    'constructor',
    '\r\nSet-Cookie: x=y',
    '😀'.repeat(50),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
)

const loopbackUrl: Arbitrary<string> = fc
  .tuple(fc.constantFrom('http', 'https'), fc.constantFrom('127.0.0.1', 'localhost'), fc.integer({ min: 1, max: 9 }))
  // ports below 10 on loopback: nothing listens there, a connection is refused at once
  .map(([scheme, host, port]) => `${scheme}://${host}:${port}/fuzz`)

export const hostileValue: Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.constantFrom(null, true, -1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, [], {}),
  fc.jsonValue({ maxDepth: 3 }),
  // nesting deeper than any schema allows
  fc.integer({ min: 50, max: 400 }).map((depth) => {
    let value: unknown = 'deep'
    for (let i = 0; i < depth; i++) value = { a: value }
    return value
  }),
)

function stringFor(schema: JsonSchema): Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid()
  if (schema.format === 'uri' || schema.format === 'url' || schema.pattern?.startsWith('^http')) return loopbackUrl
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
  if (schema.format === 'email') return fc.constant('someone@example.test')
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => !/https?:\/\//.test(s))
    } catch {
      // a pattern JavaScript cannot read: any text
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 60) })
}

/** Values for `schema`: mostly fitting it, sometimes not (`hostileRatio` of the nodes). */
export function arbitraryFor(schema: JsonSchema | undefined, lookup: SchemaLookup, depth = 0): Arbitrary<unknown> {
  return fc.oneof({ arbitrary: fitting(schema, lookup, depth), weight: 4 }, { arbitrary: hostileValue, weight: 1 })
}

function fitting(schema: JsonSchema | undefined, lookup: SchemaLookup, depth: number): Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 })
  if (schema.$ref) return fitting(lookup(schema.$ref), lookup, depth + 1)
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum) return fc.constantFrom(...schema.enum)
  const choices = schema.anyOf ?? schema.oneOf
  if (choices?.length) return fc.oneof(...choices.map((c) => fitting(c, lookup, depth + 1)))
  if (schema.allOf?.length) return fitting(Object.assign({}, ...schema.allOf) as JsonSchema, lookup, depth + 1)
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case 'string':
      return stringFor(schema)
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -1000, Number.MIN_SAFE_INTEGER),
        max: Math.min(schema.maximum ?? 100_000, Number.MAX_SAFE_INTEGER),
      })
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(arbitraryFor(schema.items, lookup, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 6),
      })
    case 'object': {
      const properties = schema.properties ?? {}
      const required = (schema.required ?? []).filter((name) => name in properties)
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, arbitraryFor(s, lookup, depth + 1)])),
        { requiredKeys: required },
      )
      // sometimes a field the schema does not know
      return fc.oneof(
        { arbitrary: record, weight: 5 },
        {
          arbitrary: fc
            .tuple(record, fc.string({ minLength: 1, maxLength: 12 }), hostileValue)
            .map(([r, key, value]) => ({ ...(r as object), [key]: value })),
          weight: 1,
        },
      )
    }
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

// fast-check arbitraries of GraphQL requests read off the hub's schema, so that types added later
// are fuzzed too: operations over random fields (aliases, nesting), arguments inline or as
// variables, fitting their type or not.
import fc, { type Arbitrary } from 'fast-check'
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql'
import { hostileText, hostileValue } from './schema-arbitrary.ts'

export interface GraphqlRequest {
  query: string
  variables: Record<string, unknown>
}

function valueFor(type: GraphQLInputType, depth = 0): Arbitrary<unknown> {
  if (isNonNullType(type)) return valueFor(type.ofType, depth)
  const fitting = ((): Arbitrary<unknown> => {
    if (isListType(type)) return fc.array(valueFor(type.ofType, depth + 1), { maxLength: 3 })
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.name))
    if (isInputObjectType(type)) {
      if (depth > 3) return fc.constant({})
      const fields = Object.values(type.getFields())
      return fc.record(Object.fromEntries(fields.map((f) => [f.name, valueFor(f.type, depth + 1)])), {
        requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name),
      })
    }
    switch (getNamedType(type).name) {
      case 'ID':
        return fc.oneof(fc.uuid(), hostileText)
      case 'Int':
        return fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constantFrom(-2147483648, 2147483647, 0))
      case 'Float':
        return fc.double({ noNaN: true })
      case 'Boolean':
        return fc.boolean()
      case 'String':
        return fc.oneof(fc.string({ maxLength: 20 }), hostileText)
      default:
        return fc.jsonValue({ maxDepth: 3 })
    }
  })()
  return fc.oneof({ arbitrary: fitting, weight: 5 }, { arbitrary: hostileValue, weight: 1 })
}

/** A selection over `type`: a few of its fields, with arguments, aliases and sub-selections. */
function selectionOf(
  type: GraphQLObjectType,
  depth: number,
  variables: Map<string, { type: GraphQLInputType; value: unknown }>,
): Arbitrary<string> {
  const fields = Object.values(type.getFields())
  const field = (f: GraphQLField<unknown, unknown>): Arbitrary<string> => {
    const named = getNamedType(f.type)
    const args = fc.tuple(
      ...f.args.map((a) =>
        fc.tuple(fc.boolean(), fc.boolean(), valueFor(a.type)).map(([given, asVariable, value]) => {
          if (!given && !isNonNullType(a.type)) return ''
          if (asVariable) {
            const name = `v${variables.size}`
            variables.set(name, { type: a.type, value })
            return `${a.name}: $${name}`
          }
          return `${a.name}: ${inline(value)}`
        }),
      ),
    )
    const inner: Arbitrary<string> =
      isObjectType(named) && depth < 4
        ? selectionOf(named, depth + 1, variables).map((s) => ` { ${s} }`)
        : fc.constant('')
    return fc
      .tuple(fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }), args, inner)
      .map(([alias, given, sub]) => {
        const list = given.filter(Boolean).join(', ')
        // a leaf needs no selection, an object one (the hub answers both mistakes with CW_GRAPHQL_INVALID)
        const selection = isLeafType(named) ? '' : sub || ' { __typename }'
        return `${alias ? `${alias}${variables.size}: ` : ''}${f.name}${list ? `(${list})` : ''}${selection}`
      })
  }
  return fc
    .subarray(fields, { minLength: 1, maxLength: Math.min(fields.length, 4) })
    .chain((chosen) => fc.tuple(...chosen.map(field)))
    .map((parts) => parts.join(' '))
}

/** GraphQL inline literal syntax for a JSON value (object keys unquoted, as GraphQL wants). */
function inline(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([k]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(k))
      .map(([k, v]) => `${k}: ${inline(v)}`)
      .join(', ')}}`
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0'
  return JSON.stringify(value)
}

function printType(type: GraphQLInputType): string {
  return String(type)
}

/** Queries (and, when `mutations`, mutations) over the whole schema. */
export function graphqlRequest(
  schema: GraphQLSchema,
  { mutations }: { mutations: boolean },
): Arbitrary<GraphqlRequest> {
  const roots = [schema.getQueryType(), mutations ? schema.getMutationType() : null].filter(
    (t): t is GraphQLObjectType => Boolean(t),
  )
  return fc
    .constantFrom(...roots)
    .chain((root) => {
      const variables = new Map<string, { type: GraphQLInputType; value: unknown }>()
      return selectionOf(root, 0, variables).map((selection) => ({ root, selection, variables }))
    })
    .map(({ root, selection, variables }) => {
      const declared = [...variables].map(([name, v]) => `$${name}: ${printType(v.type)}`).join(', ')
      const keyword = root === schema.getMutationType() ? 'mutation' : 'query'
      return {
        query: `${keyword}${declared ? ` (${declared})` : ''} { ${selection} }`,
        variables: Object.fromEntries([...variables].map(([name, v]) => [name, v.value])),
      }
    })
}

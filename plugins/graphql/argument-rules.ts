// What the hub accepts in GraphQL arguments beyond their GraphQL type, checked before anything
// runs so that nothing reaches the store that the store would refuse with a message of its own
// ("invalid input syntax for type uuid", "LIMIT must not be negative"). The rules follow the
// schema, not a list of fields, so fields added later are covered:
// - an `ID` is a UUID (every record the hub keeps is keyed by one);
// - a `limit`/`first`/`last` lies between 1 and the largest list the hub serves; an
//   `offset`/`skip` is not negative;
// - no text anywhere in an argument (JSON values included) holds a NUL character or an unpaired
//   surrogate, which PostgreSQL cannot store.
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql'
import { GraphqlErrors } from './errors.ts'
import { LIMIT_ARGUMENTS } from './cost.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const OFFSET_ARGUMENTS = ['offset', 'skip']

/** The first piece of text in `value` that PostgreSQL could not store, as a description. */
function unstorableText(value: unknown, depth = 0): string | undefined {
  if (depth > 100) return 'is nested too deeply'
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return 'must not contain NUL characters'
    if (!value.isWellFormed()) return 'must not contain unpaired UTF-16 surrogates'
    return undefined
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = unstorableText(item, depth + 1)
      if (found) return found
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = unstorableText(key, depth + 1) ?? unstorableText(item, depth + 1)
      if (found) return found
    }
  }
  return undefined
}

/** Every ID inside a value of `type` (an ID, a list of them, an input object holding them). */
function idsIn(type: GraphQLInputType, value: unknown, depth = 0): unknown[] {
  if (value === null || value === undefined || depth > 20) return []
  const inner = isNonNullType(type) ? type.ofType : type
  if (isListType(inner)) {
    return Array.isArray(value) ? value.flatMap((v) => idsIn(inner.ofType, v, depth + 1)) : idsIn(inner.ofType, value)
  }
  if (isInputObjectType(inner)) {
    const fields = inner.getFields()
    return Object.entries(value as Record<string, unknown>).flatMap(([name, v]) => {
      const field = fields[name]
      return field ? idsIn(field.type, v, depth + 1) : []
    })
  }
  return getNamedType(inner).name === 'ID' ? [value] : []
}

function check(argument: string, field: string, type: GraphQLInputType, value: unknown, maxListSize: number): void {
  const text = unstorableText(value)
  if (text) throw new GraphqlErrors.ARGUMENT_INVALID(argument, field, text)
  if (idsIn(type, value).some((id) => typeof id !== 'string' || !UUID.test(id))) {
    throw new GraphqlErrors.ARGUMENT_INVALID(argument, field, 'must be a UUID (the hub identifies records by UUIDs)')
  }
  if (typeof value !== 'number') return
  if ((LIMIT_ARGUMENTS as readonly string[]).includes(argument) && (value < 1 || value > maxListSize)) {
    throw new GraphqlErrors.ARGUMENT_INVALID(argument, field, `must be between 1 and ${maxListSize}`)
  }
  if (OFFSET_ARGUMENTS.includes(argument) && value < 0) {
    throw new GraphqlErrors.ARGUMENT_INVALID(argument, field, 'must not be negative')
  }
}

/** Throws CW_GRAPHQL_ARGUMENT_INVALID for the first argument of the operation the hub would refuse. */
export function checkArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  maxListSize: number,
): void {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0]
  if (!operation) return
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {})
  // variables that do not coerce are reported by GraphQL itself, in its own words (error-format.ts)
  if (coerced.errors) return
  const values = coerced.coerced
  const typeInfo = new TypeInfo(schema)
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      // another operation of the same document is not run: its arguments do not matter
      OperationDefinition: (node) => (node === operation ? undefined : false),
      Field(node) {
        const definition = typeInfo.getFieldDef()
        if (!definition || definition.args.length === 0) return
        let args: Record<string, unknown>
        try {
          args = getArgumentValues(definition, node, values)
        } catch {
          return // a missing or mistyped argument: GraphQL reports it when it runs
        }
        for (const argument of definition.args) {
          if (argument.name in args)
            check(argument.name, definition.name, argument.type, args[argument.name], maxListSize)
        }
      },
    }),
  )
}

// How GraphQL errors leave the hub. Every error carries a CW_ code in `extensions.code`, and its
// message speaks about the request, never about the store or a library underneath:
// - our own errors (CW_ codes) keep their message;
// - GraphQL's validation errors become CW_GRAPHQL_INVALID; the ones about variables are
//   rewritten from the variable's declared type, because GraphQL's own text repeats the value
//   sent (a secret, for a connection's settings);
// - anything else is an internal error: its text (a PostgreSQL message, a stack) goes to the log
//   and the answer says only which request id to quote.
// As a last guard, no message may contain a string the request sent in its variables.
import {
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type VariableDefinitionNode,
} from 'graphql'
import type { FastifyRequest } from 'fastify'
import { GraphqlErrors } from './errors.ts'
import { RequestErrors } from '../../core/answer/errors.ts'

type Coded = Error & { code?: string; statusCode?: number; errors?: unknown[] }

export interface FormattedError {
  message: string
  locations?: ReadonlyArray<{ line: number; column: number }>
  path?: ReadonlyArray<string | number>
  extensions: { code: string } & Record<string, unknown>
}

/** Errors of mercurius and Fastify that say something true about the request, in our words. */
const REQUEST_ERRORS: Record<string, string> = {
  MER_ERR_GQL_VALIDATION: 'variables and extensions must be JSON objects',
  MER_ERR_METHOD_NOT_ALLOWED: 'a mutation must be sent with POST',
  MER_ERR_INVALID_METHOD: 'use GET or POST',
  MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND: 'it carries no query',
  MER_ERR_GQL_CSRF_PREVENTION: 'a GET request needs a content-type or a graphql-preflight header',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send it as application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body is too large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
}

const VARIABLE_ERROR = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" /

/**
 * The text values a request's variables carry (however deep), to be kept out of messages. Short
 * ones are left: a secret is longer than 8 characters, and words like "memo" appear in messages.
 */
export function sentStrings(value: unknown, into: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > 64 || into.size > 10_000) return into
  if (typeof value === 'string') {
    if (value.length >= 8) into.add(value)
  } else if (Array.isArray(value)) {
    for (const item of value) sentStrings(item, into, depth + 1)
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) sentStrings(item, into, depth + 1)
  }
  return into
}

function withoutSent(message: string, sent: Set<string>): string {
  let out = message
  // longest first, so that a value containing another is replaced whole
  for (const value of [...sent].sort((a, b) => b.length - a.length)) {
    if (out.includes(value)) out = out.replaceAll(value, '…')
  }
  return out
}

/** What a value of `type` looks like, in words, without any value that was sent. */
function describeType(type: GraphQLInputType): string {
  if (isNonNullType(type)) return describeType(type.ofType)
  if (isListType(type)) return `a list of ${describeType(type.ofType)}`
  if (isEnumType(type))
    return `one of ${type
      .getValues()
      .map((v) => v.name)
      .join(', ')}`
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields())
    const required = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name)
    return `a ${type.name} object (fields: ${fields.map((f) => f.name).join(', ')}${required.length ? `; required: ${required.join(', ')}` : ''})`
  }
  if (isScalarType(type)) return type.name === 'JSON' ? 'a JSON value' : `a value of type ${type.name}`
  return 'a different value'
}

/** The type at `path` ("input.settings", "ids[2]") when every step of it is a field of `type` or a list index. */
function typeAt(type: GraphQLInputType | undefined, path: string): GraphQLInputType | undefined {
  if (!type) return undefined
  let current: GraphQLInputType = type
  for (const step of path
    .split('.')
    .slice(1)
    .flatMap((part) => part.split(/(?=\[)/))) {
    if (isNonNullType(current)) current = current.ofType
    if (/^\[\d+\]$/.test(step)) {
      if (!isListType(current)) return undefined
      current = current.ofType
    } else if (isInputObjectType(current)) {
      const field = current.getFields()[step]
      if (!field) return undefined
      current = field.type
    } else {
      return undefined
    }
  }
  return current
}

/** The message of a variable coercion error, rebuilt from the declared type (GraphQL's repeats the value). */
function variableMessage(error: GraphQLError, schema: GraphQLSchema | undefined): { name: string; reason: string } {
  const name = VARIABLE_ERROR.exec(error.message)?.[1] ?? 'variable'
  const node = error.nodes?.[0]
  const declared =
    node?.kind === Kind.VARIABLE_DEFINITION && schema
      ? (typeFromAST(schema, (node as VariableDefinitionNode).type) as GraphQLInputType | undefined)
      : undefined
  // GraphQL's text is `Variable "$x" got invalid value <the value> at "<path>"; <reason>`: only what
  // is anchored at its end can be read without reading the value
  if (/ was not provided\.$/.test(error.message) && !error.message.includes(' got invalid value ')) {
    return { name, reason: 'it is required and was not sent' }
  }
  if (/ must not be null\.$/.test(error.message) && !error.message.includes(' got invalid value ')) {
    return { name, reason: 'it must not be null' }
  }
  // the path names schema fields only (a candidate that does not is not a path but part of the value)
  let at: string | undefined
  let there = declared
  for (const match of error.message.matchAll(/ at "([_0-9A-Za-z.[\]]+)"; /g)) {
    const found = typeAt(declared, match[1] as string)
    if (found) {
      at = match[1]
      there = found
      break
    }
  }
  const where = at ? ` at "${at}"` : ''
  const unknownField =
    /; Field "([_A-Za-z][_0-9A-Za-z]*)" is not defined by type "([_A-Za-z][_0-9A-Za-z]*)"\.( Did you mean [^;]*\?)?$/.exec(
      error.message,
    )
  if (unknownField)
    return { name, reason: `field "${unknownField[1]}"${where} is not defined by type ${unknownField[2]}` }
  const missingField =
    /; Field "([_A-Za-z][_0-9A-Za-z]*)" of required type "([_A-Za-z][_0-9A-Za-z![\]]*)" was not provided\.$/.exec(
      error.message,
    )
  if (missingField) return { name, reason: `field "${missingField[1]}"${where} is required (type ${missingField[2]})` }
  return {
    name,
    reason: `the value${where} does not fit the declared type; expected ${there ? describeType(there) : 'another value'}`,
  }
}

interface Classified {
  code: string
  message: string
  /** a whole document's problems, each at its JSON pointer (CW_MAPPING_INVALID) */
  problems?: unknown[]
  /** an internal failure: logged with its original text, answered without it */
  internal?: Coded
}

function classify(error: GraphQLError, schema: GraphQLSchema | undefined): Classified {
  const original = error.originalError as Coded | undefined
  if (original?.code?.startsWith('CW_')) {
    const problems = (original as Coded & { problems?: unknown }).problems
    return { code: original.code, message: original.message, ...(Array.isArray(problems) ? { problems } : {}) }
  }
  if (!original || original instanceof GraphQLError) {
    // GraphQL's own syntax and validation errors: about the document that was sent
    if (VARIABLE_ERROR.test(error.message)) {
      const { name, reason } = variableMessage(error, schema)
      const coded = new GraphqlErrors.VARIABLES_INVALID(name, reason)
      return { code: coded.code, message: coded.message }
    }
    const coded = new GraphqlErrors.INVALID(error.message.replace(/^Syntax Error: /, 'syntax error: '))
    return { code: coded.code, message: coded.message }
  }
  const known = original.code ? REQUEST_ERRORS[original.code] : undefined
  const validation = (original as Coded & { validation?: unknown }).validation
    ? 'the body must be {"query": string, "variables"?: object, "operationName"?: string}'
    : undefined
  const reason = known ?? validation
  if (reason) {
    const coded = new GraphqlErrors.INVALID(reason)
    return { code: coded.code, message: coded.message }
  }
  return { code: new RequestErrors.INTERNAL('').code, message: '', internal: original }
}

/** Flattens mercurius' wrapper errors (one error holding the list of validation errors). */
function flatten(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    const inner = (error.originalError as Coded | undefined)?.errors
    if (Array.isArray(inner) && inner.length > 0) {
      return inner.map((e) =>
        e instanceof GraphQLError ? e : new GraphQLError((e as Error).message, { originalError: e as Error }),
      )
    }
    return [error]
  })
}

export interface FormatInput {
  errors: readonly GraphQLError[]
  request: FastifyRequest | undefined
  schema: GraphQLSchema | undefined
  /** what the request sent as variables (kept out of every message) */
  variables: unknown
  log: { error(object: unknown, message: string): void }
}

export function formatErrors(input: FormatInput): FormattedError[] {
  const sent = sentStrings(input.variables)
  const requestId = input.request ? String(input.request.id) : 'unknown'
  return flatten(input.errors).map((error) => {
    const classified = classify(error, input.schema)
    let message = classified.message
    if (classified.internal) {
      input.log.error({ err: classified.internal, path: error.path }, 'graphql request failed')
      message = new RequestErrors.INTERNAL(requestId).message
    }
    const formatted: FormattedError = {
      message: withoutSent(message, sent),
      extensions: { code: classified.code, ...(classified.problems ? { problems: classified.problems } : {}) },
    }
    if (error.locations) formatted.locations = error.locations
    if (error.path) formatted.path = error.path
    return formatted
  })
}

/** The HTTP status of an answer that carries only errors: the first error's, 200 when it has data. */
export function statusOf(errors: readonly GraphQLError[], hasData: boolean): number {
  if (hasData) return 200
  const first = flatten(errors)[0]
  const original = first?.originalError as Coded | undefined
  if (!original || original instanceof GraphQLError) return 400
  const status = original.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) return status
  // an execution error without data (a resolver failed at the root): GraphQL over HTTP says 200
  return 200
}

// How a route becomes an operation of an OpenAPI document: the rules every route follows, so that
// no route (including ones added later) has to remember them. A route belongs to one document
// (config.openapiDocument, the admin API when omitted). In it, parameters with a default are
// optional for the caller (the server fills them in); a public route needs no token; and the
// errors every route of the admin API can give are described beside the route's own.
import { STATUS_CODES } from 'node:http'
import type { FastifySchema, RouteOptions } from 'fastify'
import { ErrorRef } from '../schemas/common.ts'

/** The OpenAPI documents the hub serves: its admin API, and the IdentityNow-compatible API. */
export type OpenApiDocumentName = 'admin' | 'identitynow'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the OpenAPI document that describes the route; the admin API's when omitted */
    openapiDocument?: OpenApiDocumentName
  }
}

type JsonObject = Record<string, unknown>
type Responses = Record<string, unknown>

/** A copy of an object schema in which properties that have a default are not required. */
function defaultsOptional(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return schema
  const object = schema as JsonObject
  const required = object.required
  const properties = object.properties as Record<string, JsonObject> | undefined
  if (!Array.isArray(required) || !properties) return schema
  const stillRequired = required.filter((name) => properties[name]?.default === undefined)
  return { ...object, required: stillRequired }
}

/**
 * The admin API's errors every route can give, in the documented error shape: 429 and 500 on every
 * route, 400 where the request is validated, 401 and 403 where a token is needed.
 */
function adminErrors(schema: FastifySchema, isPublic: boolean): Responses {
  const validated = Boolean(schema.body || schema.querystring || schema.params)
  return {
    ...(validated ? { 400: ErrorRef } : {}),
    ...(isPublic ? {} : { 401: ErrorRef, 403: ErrorRef }),
    429: ErrorRef,
    500: ErrorRef,
  }
}

/** What an answer means when its schema does not say (@fastify/swagger would write "Default Response"). */
const ANSWER_MEANINGS: Record<string, string> = {
  400: 'The request is not valid; the error says what to fix',
  401: 'No valid bearer token was sent',
  403: "The token's role may not do this",
  404: 'Not found',
  409: 'In conflict with the current state; the error says which',
  413: 'The request or its answer is too large',
  424: 'The connected system refused or failed the request; the error says what it answered and what to fix',
  429: 'Too many requests; Retry-After says when to try again',
  500: 'Internal error; quote the request id when reporting it',
  502: 'The connected system answered with an error',
  503: 'Not available now',
}

function described(response: Responses): Responses {
  return Object.fromEntries(
    Object.entries(response).map(([status, schema]) => {
      const own = schema as JsonObject
      if (typeof own.description === 'string') return [status, schema]
      const meaning = ANSWER_MEANINGS[status] ?? STATUS_CODES[status] ?? 'Answer'
      return [status, { ...own, description: meaning }]
    }),
  )
}

/** @fastify/swagger's transform for one document: other documents' routes are hidden in it. */
export function transformFor(document: OpenApiDocumentName) {
  return ({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }) => {
    const belongsTo = route.config?.openapiDocument ?? 'admin'
    if (belongsTo !== document || !schema || schema.hide) return { schema: { ...schema, hide: true }, url }
    const isPublic = route.config?.public === true
    const own = (schema.response ?? {}) as Responses
    const response = document === 'admin' ? { ...adminErrors(schema, isPublic), ...own } : own
    return {
      url,
      schema: {
        ...schema,
        ...(schema.querystring ? { querystring: defaultsOptional(schema.querystring) } : {}),
        ...(isPublic ? { security: [] } : {}),
        response: described(response),
      },
    }
  }
}

/**
 * The document without the component schemas none of its operations reach: every schema shared
 * with app.addSchema lands in every document, and a document lists only what it uses.
 */
export function withoutUnusedSchemas<T extends { paths?: unknown; components?: { schemas?: object } }>(document: T): T {
  const schemas = document.components?.schemas as JsonObject | undefined
  if (!schemas) return document
  const used = new Set<string>()
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (!node || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node)) {
      const name =
        key === '$ref' && typeof value === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(value)?.[1] : undefined
      if (name !== undefined && !used.has(name)) {
        used.add(name)
        visit(schemas[name])
      } else visit(value)
    }
  }
  visit(document.paths)
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)))
  return { ...document, components: { ...document.components, schemas: kept } }
}

// /graphql as an operation of the admin API's OpenAPI document: a name, a summary, and the
// answers it gives in GraphQL's shape (every error with a CW_ code in `extensions`). mercurius
// declares the route and its 2xx schema; this adds what a generated client needs.
import type { FastifySchema, HTTPMethods } from 'fastify'

const GRAPHQL_ANSWER_DESCRIPTIONS: Record<string, string> = {
  '2xx': 'The GraphQL answer: `data`, and `errors` if some fields failed, each with a CW_ code in `extensions.code`',
  400: 'The request is not a valid GraphQL request, or asks for more than its limits allow (depth, cost, mutations); `errors[].extensions.code` says which',
  413: 'The answer was larger than graphql.maxAnswerBytes (CW_GRAPHQL_ANSWER_TOO_LARGE)',
}

export function describeGraphqlRoute(method: HTTPMethods | HTTPMethods[], schema: FastifySchema | undefined) {
  const isGet = (Array.isArray(method) ? method : [method]).includes('GET')
  const given = (schema?.response ?? {}) as Record<string, object>
  const answer = given['2xx'] ?? {}
  const response = Object.fromEntries(
    Object.entries(GRAPHQL_ANSWER_DESCRIPTIONS).map(([status, description]) => [status, { ...answer, description }]),
  )
  return {
    ...schema,
    tags: ['graphql'],
    operationId: isGet ? 'queryGraphql' : 'executeGraphql',
    summary: isGet
      ? 'Run a GraphQL query given in the query string (no mutations)'
      : 'Run a GraphQL query or mutation (the schema: introspection, or GraphiQL at /graphiql)',
    response,
  }
}

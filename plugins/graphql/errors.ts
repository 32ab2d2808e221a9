// GraphQL-specific errors, declared once. Messages speak about the request that was sent (which
// field, which argument, which limit) and never repeat a value from it: variables carry secrets.
import createError from '@fastify/error'

export const GraphqlErrors = {
  /** the document does not parse or does not validate against the schema */
  INVALID: createError('CW_GRAPHQL_INVALID', 'The GraphQL request is invalid: %s', 400),
  /** a variable does not fit the type its operation declares */
  VARIABLES_INVALID: createError('CW_GRAPHQL_VARIABLES_INVALID', 'Variable "$%s" is invalid: %s', 400),
  /** an argument is of the right type but outside what the hub accepts (ids, limits, text) */
  ARGUMENT_INVALID: createError('CW_GRAPHQL_ARGUMENT_INVALID', 'Argument "%s" of field "%s" %s', 400),
  /** a subscription sent as an HTTP request: it needs a socket to answer on */
  SUBSCRIPTION_OVER_HTTP: createError(
    'CW_GRAPHQL_SUBSCRIPTION_OVER_HTTP',
    'A subscription is served over a WebSocket at /graphql (protocol graphql-transport-ws, the token in connection_init), not over HTTP; send queries and mutations over HTTP',
    400,
  ),
  TOO_COMPLEX: createError(
    'CW_GRAPHQL_TOO_COMPLEX',
    'The query would cost %s, more than the %d one request may (each field counts once per item its lists can hold: lower the limit arguments, ask for fewer fields or aliases, or split the query)',
    400,
  ),
  TOO_DEEP: createError(
    'CW_GRAPHQL_TOO_DEEP',
    'The query nests %d levels deep, more than the %d allowed; ask for less nesting or split the query',
    400,
  ),
  TOO_MANY_MUTATIONS: createError(
    'CW_GRAPHQL_TOO_MANY_MUTATIONS',
    'The request carries %d mutations, more than the %d one request may (a mutation can reach an external system); send them in several requests',
    400,
  ),
  ANSWER_TOO_LARGE: createError(
    'CW_GRAPHQL_ANSWER_TOO_LARGE',
    'The answer would be larger than %d bytes; ask for fewer items (limit, offset) or fewer fields',
    413,
  ),
} as const

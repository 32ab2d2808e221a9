// Errors about the request itself, whichever surface received it (admin REST, GraphQL, the
// IdentityNow-compatible API): what Fastify, its plugins and the store say about bad input is
// answered with one of these, never in their own words (which echo the input back).
import createError from '@fastify/error'

export const RequestErrors = {
  VALIDATION: createError('CW_VALIDATION', '%s', 400),
  BAD_REQUEST: createError('CW_BAD_REQUEST', 'The request cannot be read: %s', 400),
  INVALID_JSON: createError(
    'CW_INVALID_JSON',
    'The body is not valid JSON (or is empty while content-type says JSON); send a JSON document',
    400,
  ),
  BODY_TOO_LARGE: createError('CW_BODY_TOO_LARGE', 'The body is larger than this route accepts', 413),
  UNSUPPORTED_MEDIA_TYPE: createError(
    'CW_UNSUPPORTED_MEDIA_TYPE',
    'This route does not take that content-type; send application/json',
    415,
  ),
  URL_TOO_LONG: createError(
    'CW_URL_TOO_LONG',
    'A path segment of the URL is longer than the hub accepts; ids are at most 100 characters',
    414,
  ),
  BAD_URL: createError('CW_BAD_URL', 'The URL path cannot be decoded (a malformed %-escape)', 400),
  HEADERS_TOO_LARGE: createError('CW_HEADERS_TOO_LARGE', 'The request headers are larger than the hub accepts', 431),
  REQUEST_TIMEOUT: createError('CW_REQUEST_TIMEOUT', 'The request was not received in time', 408),
  TEXT_INVALID: createError(
    'CW_TEXT_INVALID',
    'The %s holds text that cannot be stored at %s (a NUL character or an unpaired UTF-16 surrogate); remove it',
    400,
  ),
  NESTED_TOO_DEEP: createError(
    'CW_NESTED_TOO_DEEP',
    'The %s nests objects and arrays more than %d levels deep; no setting needs that many',
    400,
  ),
  NUMBER_INVALID: createError(
    'CW_NUMBER_INVALID',
    'The %s holds a number that is not finite at %s; send a number within range',
    400,
  ),
  VALUE_REJECTED: createError(
    'CW_VALUE_REJECTED',
    'A value in the request does not fit the field it is meant for (%s); check ids, numbers and text in the request',
    400,
  ),
  ROUTE_NOT_FOUND: createError('CW_ROUTE_NOT_FOUND', 'No route %s %s; GET /docs lists the API', 404),
  INTERNAL: createError('CW_INTERNAL', 'Internal error; quote request id %s when reporting it', 500),
} as const

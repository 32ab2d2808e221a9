// Errors raised by the admin surface, declared once. Kernel errors live in core/errors.ts.
import createError from '@fastify/error'

export const HttpErrors = {
  NOT_FOUND: createError('CW_NOT_FOUND', '%s', 404),
  ROUTE_NOT_FOUND: createError('CW_ROUTE_NOT_FOUND', 'No route %s %s; GET /docs lists the API', 404),
  CONNECTOR_NOT_FOUND: createError(
    'CW_CONNECTOR_NOT_FOUND',
    'No connector named "%s"; GET /api/v1/connectors lists the installed ones',
    404,
  ),
  VALIDATION: createError('CW_VALIDATION', '%s', 400),
  CONFLICT: createError('CW_CONFLICT', '%s', 409),
  INTERNAL: createError('CW_INTERNAL', 'Internal error; quote request id %s when reporting it', 500),
} as const

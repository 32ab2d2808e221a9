// Errors of connection records, declared once.
import createError from '@fastify/error'

export const ConnectionErrors = {
  NOT_FOUND: createError(
    'CW_CONNECTION_NOT_FOUND',
    'No connection with id %s; GET /api/v1/connections lists them',
    404,
  ),
  NAME_TAKEN: createError(
    'CW_CONNECTION_NAME_TAKEN',
    'A connection named "%s" exists already; choose another name',
    409,
  ),
  SETTINGS_INVALID: createError('CW_CONNECTION_SETTINGS_INVALID', 'Settings for connector "%s" are invalid: %s', 400),
  SECRETS_NEEDED: createError(
    'CW_CONNECTION_SECRETS_NEEDED',
    'The origin of %s changed, so the stored secrets %s were dropped rather than sent there, and the settings are incomplete without them (%s); send them again in the same request',
    400,
  ),
  IN_USE: createError(
    'CW_CONNECTION_IN_USE',
    'Connection %s is used by mapping(s) %s; delete or change those first',
    409,
  ),
} as const

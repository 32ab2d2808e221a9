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
  IN_USE: createError('CW_CONNECTION_IN_USE', 'Connection %s is used by %s; delete or change those first', 409),
  ENTITY_NOT_FOUND: createError(
    'CW_CONNECTION_ENTITY_NOT_FOUND',
    'Connection %s has no entity "%s" that its user can see; GET /api/v1/connections/%s/entities lists the ones it shows (names are case-sensitive: a ServiceNow table name, a LeanIX fact sheet type)',
    404,
  ),
  FILTER_INVALID: createError(
    'CW_CONNECTION_FILTER_INVALID',
    "The filter is not one the %s connector reads: %s; write it in the system's own language (a ServiceNow encoded query, a LeanIX facet filter as JSON)",
    400,
  ),
  /** the system refused or failed a read made for a person (a preview, a discovery): its words, not a 5xx */
  SYSTEM_FAILED: createError<'CW_CONNECTION_SYSTEM_FAILED', 424, [string, string, string, string]>(
    'CW_CONNECTION_SYSTEM_FAILED',
    'Connection %s could not %s: %s; POST /api/v1/connections/%s/check says what to fix',
    424,
  ),
  // the codes a failed check is stored and answered with (connection_health), when the
  // connector names none of its own
  CHECK_FAILED: createError('CW_CONNECTION_CHECK_FAILED', 'The check of connection "%s" did not pass: %s', 502),
  CHECK_TIMEOUT: createError(
    'CW_CONNECTION_CHECK_TIMEOUT',
    'The check of connection "%s" was stopped after %s s without an answer; check that the system is up and reachable from the hub',
    504,
  ),
} as const

// Every error the IdentityNow connector raises, declared once. On the IdentityNow-compatible API
// they are answered in SailPoint's ErrorResponseDto shape (api/error-shape.ts); elsewhere in the
// hub's own shape.
import createError from '@fastify/error'

export const IdnErrors = {
  INTEGRATION_NOT_FOUND: createError(
    'CW_IDN_INTEGRATION_NOT_FOUND',
    'No service desk integration with id "%s"; GET the collection to list them',
    404,
  ),
  INTEGRATION_NAME_TAKEN: createError(
    'CW_IDN_INTEGRATION_NAME_TAKEN',
    'A service desk integration named "%s" already exists; names must be unique',
    400,
  ),
  INTEGRATION_INVALID: createError('CW_IDN_INTEGRATION_INVALID', 'The service desk integration is invalid: %s', 400),
  STATUS_MAP_INVALID: createError('CW_IDN_STATUS_MAP_INVALID', 'The status map is invalid: %s', 400),
  PATCH_OP_FORBIDDEN: createError(
    'CW_IDN_PATCH_OP_FORBIDDEN',
    'JSON Patch operation "%s" is not allowed; only "replace" operations are accepted',
    403,
  ),
  PATCH_INVALID: createError('CW_IDN_PATCH_INVALID', 'The JSON Patch cannot be applied: %s', 400),
  BAD_COLLECTION_PARAM: createError('CW_IDN_BAD_COLLECTION_PARAM', 'Invalid %s: %s', 400),
  STATUS_CHECK_INVALID: createError(
    'CW_IDN_STATUS_CHECK_INVALID',
    'Invalid status-check configuration: %s must be a whole number given as a string, e.g. "30"',
    400,
  ),
  TEMPLATE_NOT_FOUND: createError(
    'CW_IDN_TEMPLATE_NOT_FOUND',
    'No service desk integration template "%s"; GET .../service-desk-integrations/types lists the script names',
    404,
  ),
  TEMPLATE_INVALID: createError('CW_IDN_TEMPLATE_INVALID', 'Ticket template "%s" cannot be used: %s', 400),
  /** POST /oauth/token answers in OAuth's shape; these codes travel in x-crosswalk-error-code */
  OAUTH_INVALID_CLIENT: createError(
    'CW_IDN_OAUTH_INVALID_CLIENT',
    'Bad credentials: unknown client or wrong secret',
    401,
  ),
  OAUTH_UNSUPPORTED_GRANT: createError(
    'CW_IDN_OAUTH_UNSUPPORTED_GRANT',
    'Unsupported grant_type "%s"; use client_credentials',
    400,
  ),
  UNAUTHORIZED: createError('CW_IDN_UNAUTHORIZED', 'JWT validation failed: %s', 401),
  API_CLIENT_NOT_FOUND: createError(
    'CW_IDN_API_CLIENT_NOT_FOUND',
    'No IdentityNow API client with id "%s"; GET /api/v1/identitynow/api-clients lists them',
    404,
  ),
  PROVISIONING_NOT_FOUND: createError(
    'CW_IDN_PROVISIONING_NOT_FOUND',
    'No provisioning record for "%s"; the id is the plan correlation id or the ticket number',
    404,
  ),
  PROVISIONING_CLOSED: createError('CW_IDN_PROVISIONING_CLOSED', 'Provisioning "%s" is already closed as %s', 409),
  TICKET_CREATE_FAILED: createError('CW_IDN_TICKET_CREATE_FAILED', 'ServiceNow ticket creation failed: %s', 502),
  TICKET_CONFIG_MISSING: createError(
    'CW_IDN_TICKET_CONFIG_MISSING',
    'Integration "%s" cannot create tickets: %s; set it in the integration attributes',
    400,
  ),
  CATALOG_ORPHAN_UNRESOLVED: createError(
    'CW_IDN_CATALOG_ORPHAN_UNRESOLVED',
    'Plan %s: an interrupted catalog order cannot be matched, because catalog item %s has no "%s" variable (on the item or in a variable set attached to it) to find it by; decide by hand: set correlation_id on the requested item that belongs to this plan (adopted at the next check), or close the record; add the variable to the item to avoid this',
    409,
  ),
  CATALOG_VARIABLE_MISSING: createError(
    'CW_IDN_CATALOG_VARIABLE_MISSING',
    'Catalog item %s (source %s) has no "%s" variable, on the item or in an attached variable set: an order interrupted between ordering and marking cannot be matched to its plan and waits for a decision by hand; add a Single Line Text variable of that name to the item',
    400,
  ),
  TENANT_TOKEN_FAILED: createError(
    'CW_IDN_TENANT_TOKEN_FAILED',
    'The IdentityNow tenant refused the client credentials (HTTP %s: %s); check the tenant URL, client id and secret',
    502,
  ),
  TENANT_REQUEST_FAILED: createError('CW_IDN_TENANT_REQUEST_FAILED', 'IdentityNow tenant call "%s" failed: %s', 502),
  TENANT_CONFIG_INVALID: createError(
    'CW_IDN_TENANT_CONFIG_INVALID',
    'The IdentityNow tenant is misconfigured: %s',
    500,
  ),
} as const

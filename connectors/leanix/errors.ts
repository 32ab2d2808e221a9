// Every error the LeanIX connector raises, declared once with a stable CW_LX_ code, a message
// that says what to fix, and the HTTP status it maps to.
import createError from '@fastify/error'
import { retryable } from '../../core/retryable.ts'

export const LeanixErrors = {
  SETTINGS_INVALID: createError('CW_LX_SETTINGS_INVALID', 'LeanIX connection settings are invalid: %s', 400),
  INSECURE_URL: createError(
    'CW_LX_INSECURE_URL',
    'LeanIX instance URL %s is not https: the API token would travel in clear text. Use https://, or set allowHttp for a local emulator',
    400,
  ),
  AUTH_REJECTED: createError(
    'CW_LX_AUTH_REJECTED',
    'LeanIX rejected the API token (HTTP %d): replace the technical user API token in the connection (Administration > Technical Users)',
    401,
  ),
  AUTH_RESPONSE_INVALID: createError(
    'CW_LX_AUTH_RESPONSE_INVALID',
    'LeanIX MTM answered the token exchange without a usable access_token: %s; check that the host is a LeanIX instance URL',
    502,
  ),
  WORKSPACE_MISMATCH: createError(
    'CW_LX_WORKSPACE_MISMATCH',
    'The API token belongs to workspace %s but the connection is set to workspace %s: use a technical user of the intended workspace',
    400,
  ),
  HTTP_STATUS: retryable(createError('CW_LX_HTTP_STATUS', 'LeanIX %s answered HTTP %d: %s', 502)),
  TIMEOUT: retryable(
    createError(
      'CW_LX_TIMEOUT',
      'LeanIX %s did not answer within %d ms; raise requestTimeoutMs or check the network',
      504,
    ),
  ),
  RETRIES_EXHAUSTED: retryable(
    createError('CW_LX_RETRIES_EXHAUSTED', 'LeanIX %s still failed after %d attempts: %s', 502),
  ),
  GRAPHQL: createError('CW_LX_GRAPHQL', 'LeanIX GraphQL error%s: %s', 502),
  PARTITION_EXHAUSTED: createError(
    'CW_LX_PARTITION_EXHAUSTED',
    'Cannot read all %s fact sheets: a slice of %d is above the %d-result cap of allFactSheets and no single-select field splits it further; narrow the filter',
    500,
  ),
  CURSOR_INVALID: createError(
    'CW_LX_CURSOR_INVALID',
    'The read cursor was not issued by this connector version: restart the read without a cursor',
    400,
  ),
  UNKNOWN_TYPE: createError(
    'CW_LX_UNKNOWN_TYPE',
    'Fact sheet type "%s" is not in the workspace data model; known types: %s',
    400,
  ),
  FIELD_UNKNOWN: createError(
    'CW_LX_FIELD_UNKNOWN',
    'Field "%s" is not defined on fact sheet type %s in this workspace; discover the type to see its fields',
    400,
  ),
  FILTER_INVALID: createError(
    'CW_LX_FILTER_INVALID',
    'The LeanIX filter is not a valid facet filter (JSON FilterInput or list of FacetFilter): %s',
    400,
  ),
  CHANGE_INVALID: createError('CW_LX_CHANGE_INVALID', 'Change "%s" cannot be written to LeanIX: %s', 400),
  WRITE_UNCONFIRMED: retryable(
    createError(
      'CW_LX_WRITE_UNCONFIRMED',
      'LeanIX answered without the written fact sheet; the change is retried on the next run',
      502,
    ),
  ),
  WEBHOOK_UNAUTHORIZED: createError(
    'CW_LX_WEBHOOK_UNAUTHORIZED',
    'The LeanIX webhook delivery did not carry the secret configured for this connection',
    401,
  ),
  WEBHOOK_UNKNOWN_CONNECTION: createError(
    'CW_LX_WEBHOOK_UNKNOWN_CONNECTION',
    'No LeanIX connection "%s" takes webhook deliveries here; check the subscription target URL',
    404,
  ),
  WEBHOOK_PAYLOAD_INVALID: createError(
    'CW_LX_WEBHOOK_PAYLOAD_INVALID',
    'The LeanIX webhook delivery is not an event or list of events: %s',
    400,
  ),
  WEBHOOK_SETTINGS: createError('CW_LX_WEBHOOK_SETTINGS', 'LeanIX webhook settings are incomplete: %s', 400),
} as const

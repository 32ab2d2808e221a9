// Every error the ServiceNow client and connector raise, declared once with a stable code, a
// message that says what to fix, and the HTTP status the hub maps it to. ServiceNow's own
// error.message and error.detail travel with the error (see `ServiceNowErrorInfo`).
import createError from '@fastify/error'
import type { FastifyError } from '@fastify/error'

export const ServiceNowErrors = {
  CONFIG_INVALID: createError('CW_SN_CONFIG_INVALID', 'ServiceNow connection settings are invalid: %s', 400),
  INSECURE_URL: createError(
    'CW_SN_INSECURE_URL',
    'Instance URL %s does not use https; use the https URL, or set allowHttp on a connection to a test instance',
    400,
  ),
  INVALID_FIELD_NAME: createError(
    'CW_SN_INVALID_FIELD_NAME',
    'Field or table name "%s" is not a ServiceNow name (lowercase letters, digits, underscores and dots)',
    400,
  ),
  BAD_CURSOR: createError(
    'CW_SN_BAD_CURSOR',
    'The read cursor or watermark "%s" was not written by this connector; start the read again without it',
    400,
  ),
  AUTH_FAILED: createError(
    'CW_SN_AUTH_FAILED',
    'ServiceNow did not accept the credentials for %s (%s); check the user name and password, that the user is active and not locked out, and that Basic auth is allowed for it',
    401,
  ),
  OAUTH_FAILED: createError(
    'CW_SN_OAUTH_FAILED',
    'ServiceNow /oauth_token.do refused the %s grant (%s); check client id and secret in System OAuth > Application Registry, that the user is active and not locked out, and for client_credentials that glide.oauth.inbound.client.credential.grant_type.enabled is true',
    401,
  ),
  FORBIDDEN: createError(
    'CW_SN_FORBIDDEN',
    'ServiceNow denied %s %s: %s; give the integration user a role whose ACLs allow it',
    403,
  ),
  NOT_FOUND: createError('CW_SN_NOT_FOUND', 'ServiceNow found nothing at %s %s: %s', 404),
  INVALID_TABLE: createError(
    'CW_SN_INVALID_TABLE',
    'ServiceNow has no table "%s" that the integration user can see; check the table name and the user roles',
    400,
  ),
  REQUEST_REJECTED: createError<'CW_SN_REQUEST_REJECTED', 400, [string, string, number, string]>(
    'CW_SN_REQUEST_REJECTED',
    'ServiceNow rejected %s %s with HTTP %d: %s',
    400,
  ),
  RATE_LIMITED: createError<'CW_SN_RATE_LIMITED', 429, [string, string, number, number]>(
    'CW_SN_RATE_LIMITED',
    'ServiceNow rate-limited %s %s and asked to wait %d ms, longer than the %d ms this connection allows; retry later or raise the rate-limit rule for the integration user',
    429,
  ),
  UNAVAILABLE: createError<'CW_SN_UNAVAILABLE', 502, [string, string, number, string]>(
    'CW_SN_UNAVAILABLE',
    'ServiceNow %s %s still failed after %d attempts: %s',
    502,
  ),
  TIMEOUT: createError(
    'CW_SN_TIMEOUT',
    'ServiceNow %s %s did not answer in time (%s); raise the timeout setting or lower the page size',
    504,
  ),
  NOT_JSON: createError<'CW_SN_NOT_JSON', 502, [string, string, number, string]>(
    'CW_SN_NOT_JSON',
    'ServiceNow answered %s %s with HTTP %d and a %s body instead of JSON (a hibernating instance, an SSO or proxy page, or a truncated response)',
    502,
  ),
  SESSION_QUEUED: createError(
    'CW_SN_SESSION_QUEUED',
    'ServiceNow answered %s %s with 202 and no body: the request was queued on a busy session and dropped',
    503,
  ),
  TRANSACTION_CANCELLED: createError(
    'CW_SN_TRANSACTION_CANCELLED',
    'ServiceNow cancelled %s %s: %s; lower the page size or narrow the query',
    504,
  ),
  TLS_FAILED: createError(
    'CW_SN_TLS_FAILED',
    'TLS to %s failed: %s; if the instance or the proxy uses a private CA, put its certificate in the ca setting',
    502,
  ),
  CONNECTION_FAILED: createError('CW_SN_CONNECTION_FAILED', 'Cannot reach %s: %s', 502),
  UNEXPECTED_RESPONSE: createError(
    'CW_SN_UNEXPECTED_RESPONSE',
    'ServiceNow answered %s %s with a body this client does not understand: %s',
    502,
  ),
  WRITE_FAILED: createError('CW_SN_WRITE_FAILED', 'ServiceNow did not %s the %s record: %s', 502),
  CATALOG_ORDER_FAILED: createError(
    'CW_SN_CATALOG_ORDER_FAILED',
    'ServiceNow did not place the catalog order for item %s: %s',
    502,
  ),
  DUPLICATE_CORRELATION: createError(
    'CW_SN_DUPLICATE_CORRELATION',
    'More than one %s record has %s=%s; the correlation field must identify one record',
    409,
  ),
  GRAPH_RULES_UNAVAILABLE: createError(
    'CW_SN_GRAPH_RULES_UNAVAILABLE',
    'The ServiceNow connector computes no graph rules here (%s asked of %s): install and enable the plugin that supplies them (ServiceNow SAM), or remove graphRules from the mapping side',
    400,
  ),
} as const

export type ServiceNowErrorCode = ReturnType<(typeof ServiceNowErrors)[keyof typeof ServiceNowErrors]>['code']

/** What ServiceNow said, carried on every error raised from one of its answers. */
export interface ServiceNowErrorInfo {
  /** HTTP status ServiceNow answered with, when it answered */
  httpStatus?: number
  /** error.message of ServiceNow's envelope */
  snMessage?: string
  /** error.detail of ServiceNow's envelope */
  snDetail?: string
  /** X-Transaction-ID, to find the transaction in the instance's logs */
  transactionId?: string
  /** true when trying again later can succeed (absent: it cannot) */
  retryable?: boolean
}

export type ServiceNowError = FastifyError & ServiceNowErrorInfo

export function withInfo<E extends FastifyError>(
  error: E,
  info: ServiceNowErrorInfo,
  cause?: unknown,
): E & ServiceNowErrorInfo {
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false, writable: true })
  return Object.assign(error, info)
}

export function isServiceNowError(error: unknown): error is ServiceNowError {
  if (!(error instanceof Error) || !('code' in error)) return false
  const { code } = error
  return typeof code === 'string' && code.startsWith('CW_SN_')
}

// How anything thrown becomes an answer: a status, a declared CW_ code and a message that says
// what to fix. Every surface uses it (the REST error handler, the IdentityNow-compatible API,
// GraphQL's error formatter), so one error is answered alike everywhere. Our own errors keep
// their code; Fastify's, its plugins' and the store's are mapped to declared request errors and
// never answered in their own words (those echo the input and name internals); anything else is
// CW_INTERNAL. 5xx texts are hidden: the caller logs the error and the answer names the request.
import { RequestErrors } from './errors.ts'
import { isRetryable } from '../retryable.ts'
import { describeStoreDataError, isStoreError } from '../store/constraint-errors.ts'

export interface ErrorAnswer {
  statusCode: number
  /** a declared CW_ code */
  code: string
  /** what went wrong and what to fix; for 5xx only the request id */
  message: string
  /** trying again later can succeed */
  retryable: boolean
  /** headers the error asks for (Retry-After of a rate limit) */
  headers?: Record<string, string>
  /** true for 5xx: log the original error, it is not in the answer */
  hidden: boolean
}

interface SchemaIssue {
  instancePath?: string
  keyword?: string
  params?: unknown
  message?: string
}

interface Thrown {
  code?: unknown
  statusCode?: unknown
  message?: unknown
  validation?: SchemaIssue[]
  validationContext?: string
  headers?: Record<string, string>
}

/** Fastify's and its plugins' own codes, as our declared errors. */
const FRAMEWORK: Record<string, () => Error> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => new RequestErrors.BODY_TOO_LARGE(),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new RequestErrors.UNSUPPORTED_MEDIA_TYPE(),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new RequestErrors.INVALID_JSON(),
  FST_ERR_CTP_INVALID_JSON_BODY: () => new RequestErrors.INVALID_JSON(),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new RequestErrors.BAD_REQUEST('content-length does not match the body'),
  FST_ERR_BAD_URL: () => new RequestErrors.BAD_URL(),
  FST_ERR_MAX_PARAM_LENGTH: () => new RequestErrors.URL_TOO_LONG(),
}

/** "body field "settings.url" must match format "uri"": the first schema issue, naming its field. */
export function describeValidation(issues: SchemaIssue[], context: string | undefined): string {
  const first = issues[0]
  const where = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : context
  if (first?.keyword === 'additionalProperties') {
    const unknown = String((first.params as { additionalProperty?: string }).additionalProperty)
    const path = first.instancePath ? `${where}.${unknown}` : unknown
    return `${context ?? 'request'} field "${path}" is not a known field: remove it or check its spelling`
  }
  const field =
    first?.keyword === 'required' ? String((first.params as { missingProperty?: string }).missingProperty) : where
  return `${context ?? 'request'} ${field ? `field "${field}" ` : ''}${first?.message ?? 'is invalid'}`
}

function ours(error: Thrown): error is Thrown & { code: string; statusCode?: number } {
  return typeof error.code === 'string' && error.code.startsWith('CW_')
}

/** What to answer for `thrown`; `requestId` goes into hidden 5xx messages. */
export function errorAnswer(thrown: unknown, requestId: string): ErrorAnswer {
  const error: Thrown = typeof thrown === 'object' && thrown !== null ? (thrown as Thrown) : {}
  let declared: Thrown & { code: string }
  if (Array.isArray(error.validation)) {
    declared = new RequestErrors.VALIDATION(describeValidation(error.validation, error.validationContext)) as Thrown &
      Error & { code: string }
  } else if (ours(error)) {
    declared = error
  } else if (typeof error.code === 'string' && FRAMEWORK[error.code]) {
    declared = FRAMEWORK[error.code]!() as Error & { code: string }
  } else if (isStoreError(thrown) && describeStoreDataError(thrown)) {
    declared = new RequestErrors.VALUE_REJECTED(describeStoreDataError(thrown)) as Error & { code: string }
  } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    // a 4xx from a plugin (multipart, form body...) whose words we do not repeat
    declared = new RequestErrors.BAD_REQUEST('its format is not what this route takes') as Error & { code: string }
  } else {
    declared = new RequestErrors.INTERNAL(requestId) as Error & { code: string }
  }
  const status = typeof declared.statusCode === 'number' && declared.statusCode >= 400 ? declared.statusCode : 500
  const hidden = status >= 500
  return {
    statusCode: status,
    code: declared.code,
    message: hidden ? new RequestErrors.INTERNAL(requestId).message : String(declared.message),
    retryable: isRetryable(declared),
    ...(error.headers ? { headers: error.headers } : {}),
    hidden,
  }
}

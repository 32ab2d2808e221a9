// SailPoint's error bodies (https://github.com/sailpoint-oss/api-specs/blob/main/idn/apis/shared/responses): ErrorResponseDto for
// 400/403/404/500, `{"error": "JWT validation failed: ..."}` for 401 and
// `{"message": " Rate Limit Exceeded "}` for 429. The hub's stable code rides along in the
// `X-Crosswalk-Error-Code` header so nothing unknown is added to SailPoint's shapes.
import { randomBytes } from 'node:crypto'
import type { FastifyError, FastifyInstance } from 'fastify'

const DETAIL_CODES: Record<number, string> = {
  400: '400.1 Bad Request Content',
  403: '403 Forbidden',
  404: '404 Not found',
  409: '409 Conflict',
  500: '500.0 Internal Fault',
  502: '502 Bad Gateway',
  503: '503 Service Unavailable',
}

export interface ErrorMessageDto {
  locale: string | null
  localeOrigin: 'DEFAULT' | 'REQUEST' | null
  text: string
}

export interface ErrorResponseDto {
  detailCode: string
  trackingId: string
  messages: ErrorMessageDto[]
  causes: ErrorMessageDto[]
}

export function errorResponse(
  statusCode: number,
  text: string,
  trackingId = randomBytes(16).toString('hex'),
): ErrorResponseDto {
  return {
    detailCode: DETAIL_CODES[statusCode] ?? `${statusCode}`,
    trackingId,
    messages: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text }],
    causes: [],
  }
}

function ourCode(error: FastifyError): string {
  if (error.validation) return 'CW_IDN_BAD_REQUEST'
  if (error.code?.startsWith('CW_')) return error.code
  return (error.statusCode ?? 500) >= 500 ? 'CW_IDN_INTERNAL' : 'CW_IDN_BAD_REQUEST'
}

/** Installs the SailPoint-shaped error handler on an encapsulated scope. */
export function useSailPointErrors(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
    void reply.header('x-crosswalk-error-code', ourCode(error))
    if (statusCode === 401) {
      // SailPoint's 401 body; the hub's own auth errors get the same prefix
      const text = error.message.includes('JWT validation failed')
        ? error.message.replace(/^.*?(JWT validation failed)/, '$1')
        : `JWT validation failed: ${error.message}`
      return reply.code(401).send({ error: text })
    }
    if (statusCode === 429) {
      const headers = (error as FastifyError & { headers?: Record<string, string> }).headers
      if (headers) void reply.headers(headers)
      return reply.code(429).send({ message: ' Rate Limit Exceeded ' })
    }
    let text = error.message
    if (error.validation) {
      const first = error.validation[0]
      const where = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : ''
      const field =
        first?.keyword === 'required' ? String((first.params as { missingProperty?: string }).missingProperty) : where
      text = `${error.validationContext ?? 'request'} ${field ? `field "${field}" ` : ''}${first?.message ?? 'is invalid'}`
    }
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'identitynow api request failed')
      if (statusCode === 500) text = `Internal error; quote tracking id ${request.id} when reporting it`
    }
    return reply.code(statusCode).send(errorResponse(statusCode, text, String(request.id).replace(/-/g, '')))
  })
}

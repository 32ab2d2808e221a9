// SailPoint's error bodies (https://github.com/sailpoint-oss/api-specs/blob/main/idn/apis/shared/responses): ErrorResponseDto for
// 400/403/404/500, `{"error": "JWT validation failed: ..."}` for 401 and
// `{"message": " Rate Limit Exceeded "}` for 429. The hub's stable code rides along in the
// `X-Crosswalk-Error-Code` header so nothing unknown is added to SailPoint's shapes.
import { randomBytes } from 'node:crypto'
import type { FastifyError, FastifyInstance } from 'fastify'
import { errorAnswer } from '../../../core/answer/error-answer.ts'
import type { ErrorResponseDto } from './schemas.ts'

const DETAIL_CODES: Record<number, string> = {
  400: '400.1 Bad Request Content',
  403: '403 Forbidden',
  404: '404 Not found',
  409: '409 Conflict',
  500: '500.0 Internal Fault',
  502: '502 Bad Gateway',
  503: '503 Service Unavailable',
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

/** Installs the SailPoint-shaped error handler on an encapsulated scope. */
export function useSailPointErrors(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError, request, reply) => {
    // the hub's declared code and its words, in SailPoint's shapes
    const answer = errorAnswer(error, String(request.id))
    const statusCode = answer.statusCode
    void reply.header('x-crosswalk-error-code', answer.code)
    if (answer.headers) void reply.headers(answer.headers)
    if (statusCode === 401) {
      // SailPoint's 401 body; the hub's own auth errors get the same prefix
      const text = answer.message.includes('JWT validation failed')
        ? answer.message.replace(/^.*?(JWT validation failed)/, '$1')
        : `JWT validation failed: ${answer.message}`
      return reply.code(401).send({ error: text })
    }
    if (statusCode === 429) return reply.code(429).send({ message: ' Rate Limit Exceeded ' })
    let text = answer.message
    if (answer.hidden) {
      request.log.error({ err: error }, 'identitynow api request failed')
      text = `Internal error; quote tracking id ${request.id} when reporting it`
    }
    return reply.code(statusCode).send(errorResponse(statusCode, text, String(request.id).replace(/-/g, '')))
  })
}

// Every refusal of the token endpoint in OAuth 2.0's error shape (RFC 6749 §5.2,
// https://www.rfc-editor.org/rfc/rfc6749#section-5.2), also those raised before the handler runs:
// a body that is not a form, not UTF-8 or too large, NUL bytes, the rate limit. OAuth client
// libraries read `error`; the hub's `error` field holds the HTTP status text, which they would
// take for an OAuth error code. The hub's stable code rides in `X-Crosswalk-Error-Code`.
import type { FastifyError, FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { errorAnswer } from '../../../core/answer/error-answer.ts'

export const OAuthErrorSchema = Type.Object(
  {
    error: Type.String({
      description: 'an OAuth 2.0 error code: invalid_request, invalid_client, unsupported_grant_type, ...',
    }),
    error_description: Type.String(),
  },
  { description: "OAuth 2.0's error answer (RFC 6749 §5.2); the hub's code is in X-Crosswalk-Error-Code" },
)

/** The OAuth error code for a status the hub answers with (RFC 6749 §5.2 and §4.1.2.1). */
export function oauthErrorOf(statusCode: number): string {
  if (statusCode === 401) return 'invalid_client'
  if (statusCode === 429 || statusCode === 503) return 'temporarily_unavailable'
  if (statusCode >= 500) return 'server_error'
  return 'invalid_request'
}

/** Installs the OAuth-shaped error handler on the token endpoint's encapsulated scope. */
export function useOAuthErrors(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError, request, reply) => {
    const answer = errorAnswer(error, String(request.id))
    void reply.header('x-crosswalk-error-code', answer.code).header('cache-control', 'no-store')
    if (answer.headers) void reply.headers(answer.headers)
    if (answer.hidden) request.log.error({ err: error }, 'token request failed')
    else request.log.info({ code: answer.code, statusCode: answer.statusCode }, answer.message)
    return reply.code(answer.statusCode).send({
      error: oauthErrorOf(answer.statusCode),
      error_description: answer.hidden
        ? `internal error; quote request id ${request.id} when reporting it`
        : answer.message,
    })
  })
}

// One error handler: every answer is `{statusCode, code, error, message, requestId}` with a
// declared CW_ code (core/answer/error-answer.ts decides which) and a message that says what to
// fix; 5xx answers hide internals and carry the request id instead. Unknown routes answer
// CW_ROUTE_NOT_FOUND in the same shape.
import { STATUS_CODES } from 'node:http'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errorAnswer, type ErrorAnswer } from '../core/answer/error-answer.ts'
import { RequestErrors } from '../core/answer/errors.ts'

export interface ErrorBody {
  statusCode: number
  code: string
  error: string
  message: string
  requestId: string
  /** each problem at its JSON pointer (validation of a whole document, e.g. a mapping) */
  problems?: Array<{ pointer: string; message: string }>
}

export function errorBody(answer: Pick<ErrorAnswer, 'statusCode' | 'code' | 'message'>, requestId: string): ErrorBody {
  return {
    statusCode: answer.statusCode,
    code: answer.code,
    error: STATUS_CODES[answer.statusCode] ?? 'Error',
    message: answer.message,
    requestId,
  }
}

/** The path of a URL as a message may show it: no query string (it may hold credentials), bounded. */
function shownPath(url: string): string {
  const path = url.split('?')[0] ?? ''
  return path.length > 200 ? `${path.slice(0, 200)}...` : path
}

/** Answers `error` in the hub's shape (also used for errors Fastify raises before routing). */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = errorAnswer(error, String(request.id))
  if (answer.hidden) request.log.error({ err: error }, 'request failed')
  else request.log.info({ code: answer.code, statusCode: answer.statusCode }, answer.message)
  if (answer.headers) void reply.headers(answer.headers)
  const body = errorBody(answer, String(request.id))
  // a whole document's problems (CW_MAPPING_INVALID), each at its JSON pointer
  const problems = (error as { problems?: ErrorBody['problems'] } | null)?.problems
  if (!answer.hidden && Array.isArray(problems)) body.problems = problems
  return reply.code(answer.statusCode).send(body)
}

export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler((error, request, reply) => sendError(error, request, reply))
    app.setNotFoundHandler((request, reply) =>
      sendError(new RequestErrors.ROUTE_NOT_FOUND(request.method, shownPath(request.url)), request, reply),
    )
  },
  { name: 'crosswalk-error-handler' },
)

// Fastify server options that keep Fastify's own error answers out: a URL it cannot decode or
// whose parameter is too long (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH, answered before any
// route and by default in Fastify's shape, echoing the URL), and what Node's HTTP parser
// refuses (headers too large: 431, a request not received in time: 408, a malformed request:
// 400), answered on the socket. Both answer in the hub's shape with declared codes. server.ts
// and the test app build Fastify with them.
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { FastifyServerOptions } from 'fastify'
import { errorAnswer } from '../core/answer/error-answer.ts'
import { RequestErrors } from '../core/answer/errors.ts'
import { errorBody, sendError } from './error-handler.ts'

function clientErrorOf(error: Error & { code?: string }): Error {
  if (error.code === 'HPE_HEADER_OVERFLOW') return new RequestErrors.HEADERS_TOO_LARGE()
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new RequestErrors.REQUEST_TIMEOUT()
  return new RequestErrors.BAD_REQUEST('it is not well-formed HTTP')
}

function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // a connection reset leaves nobody to answer
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const requestId = randomUUID()
  const answer = errorAnswer(clientErrorOf(error), requestId)
  const body = JSON.stringify(errorBody(answer, requestId))
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${answer.statusCode} ${errorBody(answer, requestId).error}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}

export const serverErrorOptions = {
  frameworkErrors: (error, request, reply) => {
    sendError(error, request, reply)
  },
  clientErrorHandler,
} satisfies Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'>

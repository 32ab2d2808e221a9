// One error handler: every answer carries a stable code and a message that says what to fix;
// 5xx answers hide internals and carry the request id instead. Schema validation failures are
// turned into CW_VALIDATION with the offending field named.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance } from 'fastify'

export interface ErrorBody {
  statusCode: number
  code: string
  error: string
  message: string
  requestId: string
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

function fastifyCodeToOurs(error: FastifyError): string {
  if (error.validation) return 'CW_VALIDATION'
  if (error.code?.startsWith('CW_')) return error.code
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'CW_BODY_TOO_LARGE'
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'CW_UNSUPPORTED_MEDIA_TYPE'
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
    return 'CW_INVALID_JSON'
  if (error.statusCode === 429) return 'CW_RATE_LIMITED'
  return (error.statusCode ?? 500) >= 500 ? 'CW_INTERNAL' : 'CW_BAD_REQUEST'
}

export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
      const code = fastifyCodeToOurs(error)
      let message = error.message
      if (error.validation) {
        const first = error.validation[0]
        const where = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : error.validationContext
        const field =
          first?.keyword === 'required' ? String((first.params as { missingProperty?: string }).missingProperty) : where
        message = `${error.validationContext ?? 'request'} ${field ? `field "${field}" ` : ''}${first?.message ?? 'is invalid'}`
      }
      if (statusCode >= 500) {
        request.log.error({ err: error }, 'request failed')
        message = `Internal error; quote request id ${request.id} when reporting it`
      } else {
        request.log.info({ code, statusCode }, message)
      }
      const body: ErrorBody = {
        statusCode,
        code,
        error: STATUS_TEXT[statusCode] ?? 'Error',
        message,
        requestId: String(request.id),
      }
      const headers = (error as FastifyError & { headers?: Record<string, string> }).headers
      if (headers) void reply.headers(headers)
      return reply.code(statusCode).send(body)
    })

    app.setNotFoundHandler((request, reply) => {
      const body: ErrorBody = {
        statusCode: 404,
        code: 'CW_ROUTE_NOT_FOUND',
        error: 'Not Found',
        message: `No route ${request.method} ${request.url.split('?')[0]}; GET /docs lists the API`,
        requestId: String(request.id),
      }
      return reply.code(404).send(body)
    })
  },
  { name: 'crosswalk-error-handler' },
)

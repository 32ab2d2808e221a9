// The HTTP face of an emulated instance (Fastify): every body read as text and parsed by the
// handler that knows what the platform accepts, the request pipeline, the APIs, and the
// platform's answer for paths that are no API.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import Fastify, { type FastifyInstance } from 'fastify'
import { registerAdminApi } from './admin/routes.ts'
import { registerAggregateApi } from './aggregate/routes.ts'
import { registerAttachmentApi } from './attachments/routes.ts'
import { registerBatchApi } from './batch/routes.ts'
import { registerOAuth } from './auth/routes.ts'
import { registerCatalogApi } from './catalog/routes.ts'
import type { ServiceNowEmulator } from './emulator.ts'
import { answerParserOverflow, NODE_MAX_HEADER_SIZE, refusedByFrontEnd } from './http/front-end-limits.ts'
import { installPipeline } from './http/pipeline.ts'
import { respondError } from './http/respond.ts'
import { SnErrors } from './table-api/envelope.ts'
import { registerTableApi, TABLE_PATH } from './table-api/routes.ts'

export interface ServerOptions {
  https?: { key: string | Buffer; cert: string | Buffer }
  logger?: boolean
  /** largest accepted request body, bytes */
  bodyLimit?: number
}

export function buildEmulatorServer(emulator: ServiceNowEmulator, options: ServerOptions = {}): FastifyInstance {
  const tls = options.https
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    // the platform honours X-HTTP-Method-Override on POST (D-REST): rewrite the method before routing
    // long table names reach the Table API (400 Invalid table), not the router's 414
    maxParamLength: NODE_MAX_HEADER_SIZE,
    clientErrorHandler: answerParserOverflow,
    serverFactory: (handler) => {
      const serve = (req: IncomingMessage, res: ServerResponse) => {
        if (refusedByFrontEnd(req, res)) return
        const override = req.headers['x-http-method-override']
        if (req.method === 'POST' && typeof override === 'string' && override.trim() !== '') {
          req.method = override.trim().toUpperCase()
        }
        handler(req, res)
      }
      const server = tls
        ? createHttpsServer({ ...tls, maxHeaderSize: NODE_MAX_HEADER_SIZE }, serve)
        : createServer({ maxHeaderSize: NODE_MAX_HEADER_SIZE }, serve)
      return server
    },
  }) as unknown as FastifyInstance
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body))

  installPipeline(app, emulator)
  registerOAuth(app, emulator)
  registerTableApi(app, emulator)
  registerAggregateApi(app, emulator)
  registerCatalogApi(app, emulator)
  registerAttachmentApi(app, emulator)
  registerBatchApi(app, emulator)
  registerAdminApi(app, emulator)

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    if (TABLE_PATH.test(path)) return respondError(request, reply, SnErrors.methodNotSupported(request.method))
    return respondError(request, reply, SnErrors.noResource())
  })
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500
    if (status === 413) return respondError(request, reply, SnErrors.badRequestBody('Request body too large'))
    request.log.error(error)
    return respondError(request, reply, SnErrors.internal(status >= 400 ? status : 500))
  })
  return app
}

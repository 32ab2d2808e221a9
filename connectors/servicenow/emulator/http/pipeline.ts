// What happens to every API request before its handler, in the platform's order: front-end
// faults (dropped connection, HTML pages, 5xx, 202), content negotiation, authentication,
// rate-limit rules, then the API_INT semaphore. The slot is released when the answer is done.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { authenticate } from '../auth/authenticate.ts'
import type { ServiceNowEmulator } from '../emulator.ts'
import { HIBERNATING_PAGE, HTML_ERROR_PAGE, type FaultKind } from '../faults/faults.ts'
import { SnErrors } from '../table-api/envelope.ts'
import { respondError, stateOf, type ResponseFormat } from './respond.ts'

const FRONT_END_FAULTS: ReadonlySet<FaultKind> = new Set([
  'drop-connection',
  'server-error',
  'accepted-no-body',
  'non-json',
  'transaction-cancelled',
])

/** the answer format an Accept header asks for; undefined when none is supported */
export function negotiate(accept: string, path = ''): ResponseFormat | undefined {
  const types = accept.split(',').map((t) => (t.split(';')[0] ?? '').trim().toLowerCase())
  // an attachment's file is answered in its own type: GET .../file takes any Accept (Attachment API)
  if (/^\/api\/now\/(?:v1\/)?attachment\/[^/]+\/file$/.test(path)) return 'json'
  // the Batch API also takes multipart/mixed, which streams only when a property allows it: JSON
  const batch = /^\/api\/now\/v[12]\/batch$/.test(path)
  for (const t of types) {
    if (batch && t === 'multipart/mixed') return 'json'
    if (t === 'application/json' || t === '*/*' || t === 'application/*' || t === 'text/json') return 'json'
    if (t === 'application/xml' || t === 'text/xml') return 'xml'
  }
  return undefined
}

const pathOf = (url: string): string => {
  const q = url.indexOf('?')
  return q < 0 ? url : url.slice(0, q)
}

export function installPipeline(app: FastifyInstance, emulator: ServiceNowEmulator): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request.url)
    if (!path.startsWith('/api/') && path !== '/oauth_token.do') return
    const state = stateOf(request)

    for (const fault of emulator.faults.fire(request.method, path, FRONT_END_FAULTS)) {
      switch (fault.kind) {
        case 'drop-connection':
          reply.hijack()
          request.raw.socket.destroy()
          return reply
        case 'server-error':
          return respondError(request, reply, SnErrors.internal(fault.status ?? 500))
        case 'transaction-cancelled':
          return respondError(request, reply, SnErrors.transactionCancelled())
        case 'accepted-no-body':
          return reply.code(202).send()
        case 'non-json':
          return sendNonJson(reply, fault.body ?? 'hibernating')
      }
    }

    if (path === '/oauth_token.do') return

    // authentication comes before any other validation: a bad password with an unsupported
    // Accept is a 401 (docs/reference/servicenow.md §1.1), and that answer is JSON
    const user = authenticate(request.headers.authorization, emulator.users, emulator.oauth)
    if (!user) return respondError(request, reply, SnErrors.notAuthenticated())
    state.user = user

    // the docs' header tables give Accept "Default: application/json": no Accept is JSON, an
    // Accept naming only unsupported types is 406
    // (https://www.servicenow.com/docs/r/api-reference/rest-api-explorer/c_RESTAPI.html)
    const accept = request.headers.accept
    const format = accept === undefined || accept.trim() === '' ? 'json' : negotiate(accept, path)
    if (!format) return respondError(request, reply, SnErrors.notAcceptable(accept ?? ''))
    state.format = format

    const decision = emulator.rateLimits.check(user, request.method, path)
    Object.assign(state.extraHeaders, decision.headers)
    if (decision.rejected) {
      const { limit, resource, retryAfter } = decision.rejected
      const error = SnErrors.rateLimited(limit, resource)
      return respondError(request, reply, { ...error, headers: { 'retry-after': String(retryAfter) } })
    }

    // a batch item runs inside its batch's transaction: it takes no session turn or API_INT thread
    const token = emulator.batchItemToken
    if (token !== undefined && request.headers['x-snemu-batch-item'] === token) {
      state.startedAt = performance.now()
      return
    }

    // one transaction at a time per replayed session cookie; a full session queue drops the request
    const session = emulator.sessions.sessionOf(request.headers.cookie)
    reply.header('set-cookie', `JSESSIONID=${session.id}; Path=/; HttpOnly; SameSite=None; Secure`)
    const leaveSession = await emulator.sessions.enter(session.id)
    if (!leaveSession) return reply.code(202).send()
    const release = await emulator.concurrency.acquire()
    if (!release) {
      leaveSession()
      return respondError(request, reply, SnErrors.tooManyRequests())
    }
    state.startedAt = performance.now()
    state.release = () => {
      release()
      leaveSession()
    }
    reply.raw.once('close', state.release)
  })

  app.addHook('onResponse', async (request, reply) => {
    stateOf(request).release?.()
    emulator.requestLog.push({
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      user: stateOf(request).user?.userName,
    })
    if (emulator.requestLog.length > 10_000) emulator.requestLog.splice(0, 5_000)
  })
}

function sendNonJson(reply: FastifyReply, body: 'hibernating' | 'html-error' | 'truncated-json'): FastifyReply {
  if (body === 'truncated-json') {
    return reply.code(200).header('content-type', 'application/json;charset=UTF-8').send('{"result":[{"sys_id":"')
  }
  const status = body === 'hibernating' ? 200 : 502
  return reply
    .code(status)
    .header('content-type', 'text/html;charset=UTF-8')
    .send(body === 'hibernating' ? HIBERNATING_PAGE : HTML_ERROR_PAGE)
}

export type { FastifyRequest }

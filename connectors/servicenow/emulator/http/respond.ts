// Writing answers the way the platform does: JSON (or XML when asked), the platform's usual
// headers, X-no-response-body, and the response payload cap (a body beyond it is cut off, which
// clients see as damaged JSON, as reported for very large pages in PSSnow issue #67).
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { UserAccount } from '../auth/users.ts'
import type { SnError } from '../table-api/envelope.ts'
import { toXml } from './xml.ts'

export type ResponseFormat = 'json' | 'xml'

export interface RequestState {
  format: ResponseFormat
  user: UserAccount | undefined
  extraHeaders: Record<string, string>
  release: (() => void) | undefined
  /** when the transaction got its API_INT thread (performance.now()); undefined before */
  startedAt: number | undefined
}

const states = new WeakMap<FastifyRequest, RequestState>()

export function stateOf(request: FastifyRequest): RequestState {
  let s = states.get(request)
  if (!s) {
    s = { format: 'json', user: undefined, extraHeaders: {}, release: undefined, startedAt: undefined }
    states.set(request, s)
  }
  return s
}

const COMMON_HEADERS: Record<string, string> = {
  server: 'ServiceNow',
  pragma: 'no-store,no-cache',
  'cache-control': 'no-cache,no-store,must-revalidate,max-age=-1',
  expires: '0',
}

export function respond(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  payload: unknown,
  options: {
    payloadCap?: number | undefined
    headers?: Record<string, string>
    /** performance.now() before which the (already built) answer is not sent: the slow-page fault */
    notBefore?: number | undefined
  } = {},
): FastifyReply {
  const state = stateOf(request)
  reply.code(status).headers({ ...COMMON_HEADERS, ...state.extraHeaders, ...options.headers })
  if (state.user) reply.header('x-is-logged-in', 'true')
  if (payload === undefined || status === 204) return reply.send()
  let body: string
  if (state.format === 'xml') {
    reply.header('content-type', 'application/xml;charset=UTF-8')
    body = toXml(payload)
  } else {
    reply.header('content-type', 'application/json;charset=UTF-8')
    body = JSON.stringify(payload)
  }
  const cap = options.payloadCap
  if (cap !== undefined && Buffer.byteLength(body) > cap) body = Buffer.from(body).subarray(0, cap).toString('utf8')
  const notBefore = options.notBefore
  if (notBefore === undefined || performance.now() >= notBefore) return reply.send(body)
  const held = body
  // timers may fire a fraction of a millisecond early: look again rather than answer too soon
  const sendWhenDue = () => {
    const left = notBefore - performance.now()
    if (left > 0) setTimeout(sendWhenDue, Math.ceil(left))
    else reply.send(held)
  }
  sendWhenDue()
  return reply
}

export function respondError(request: FastifyRequest, reply: FastifyReply, error: SnError): FastifyReply {
  return respond(request, reply, error.statusCode, error.body, { headers: error.headers ?? {} })
}

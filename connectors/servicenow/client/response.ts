// Turns one answer of ServiceNow (or one failure to get one) into either a parsed body or a
// classified CW_SN_ error that says whether trying again can help. Knows ServiceNow's error
// envelope {"error":{"message","detail"},"status":"failure"} and its non-JSON answers.
import { ServiceNowErrors, withInfo } from '../errors.ts'
import type { ServiceNowError } from '../errors.ts'
import { describeTlsFailure, isTimeout, isTlsFailure, neverSent } from '../../../core/http/transport-failure.ts'

export type Headers = Record<string, string | string[] | undefined>

export interface RawAnswer {
  status: number
  headers: Headers
  text: string
}

/** Extra facts about a failed attempt that the retry loop needs. */
export interface Failure {
  error: ServiceNowError
  /** the server may have acted on the request (matters for a POST) */
  mayHaveReachedServer: boolean
  /** a smaller page is likely to succeed (truncated body, cancelled transaction, 413) */
  pageTooLarge: boolean
  /** 401: a fresh token may help */
  unauthorized: boolean
  headers: Headers
  /** the parsed JSON body, when there was one */
  body?: unknown
}

export type Outcome = { ok: true; status: number; headers: Headers; body: unknown } | ({ ok: false } & Failure)

interface Envelope {
  message?: string
  detail?: string
}

const TRANSACTION_CANCELLED = /transaction cancelled|maximum execution time exceeded/i

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

function errorEnvelope(body: unknown): Envelope | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined
  const error = (body as { error: unknown }).error
  if (typeof error === 'string') return { message: error }
  if (typeof error !== 'object' || error === null) return undefined
  const { message, detail } = error as { message?: unknown; detail?: unknown }
  return {
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof detail === 'string' ? { detail } : {}),
  }
}

function describe(envelope: Envelope | undefined, fallback: string): string {
  if (!envelope?.message) return fallback
  return envelope.detail ? `${envelope.message} (${envelope.detail})` : envelope.message
}

function looksLikeJson(text: string, headers: Headers): boolean {
  const type = header(headers, 'content-type') ?? ''
  const first = text.trimStart()[0]
  return /json/i.test(type) || first === '{' || first === '['
}

export function classifyAnswer(method: string, path: string, answer: RawAnswer): Outcome {
  const { status, headers, text } = answer
  const transactionId = header(headers, 'x-transaction-id')
  const info = (retryable: boolean, envelope?: Envelope) => ({
    httpStatus: status,
    retryable,
    ...(envelope?.message !== undefined ? { snMessage: envelope.message } : {}),
    ...(envelope?.detail !== undefined ? { snDetail: envelope.detail } : {}),
    ...(transactionId ? { transactionId } : {}),
  })
  let body: unknown
  let parsed = false
  if (text !== '' && looksLikeJson(text, headers)) {
    try {
      body = JSON.parse(text)
      parsed = true
    } catch {
      parsed = false
    }
  }
  const fail = (error: ServiceNowError, extra: Partial<Failure> = {}): Outcome => ({
    ok: false,
    error,
    mayHaveReachedServer: true,
    pageTooLarge: false,
    unauthorized: false,
    headers,
    ...(parsed ? { body } : {}),
    ...extra,
  })

  if (status === 204 || (status >= 200 && status < 300 && status !== 202 && text === '' && method === 'DELETE')) {
    return { ok: true, status, headers, body: undefined }
  }
  if (status === 202 && text.trim() === '') {
    return fail(withInfo(new ServiceNowErrors.SESSION_QUEUED(method, path), info(true)))
  }

  const envelope = parsed ? errorEnvelope(body) : undefined

  if (status >= 200 && status < 300) {
    if (!parsed) {
      // A body that starts like JSON but does not parse was cut off: ServiceNow's response size cap.
      const truncated = text !== '' && looksLikeJson(text, headers)
      const kind = truncated ? 'truncated JSON' : (header(headers, 'content-type') ?? 'untyped')
      return fail(withInfo(new ServiceNowErrors.NOT_JSON(method, path, status, kind), info(true)), {
        pageTooLarge: truncated,
      })
    }
    if (envelope && !(typeof body === 'object' && body !== null && 'result' in body)) {
      const message = describe(envelope, 'error without detail')
      if (TRANSACTION_CANCELLED.test(message)) {
        return fail(withInfo(new ServiceNowErrors.TRANSACTION_CANCELLED(method, path, message), info(true, envelope)), {
          pageTooLarge: true,
        })
      }
      return fail(withInfo(new ServiceNowErrors.UNEXPECTED_RESPONSE(method, path, message), info(false, envelope)))
    }
    return { ok: true, status, headers, body }
  }

  const said = describe(envelope, parsed || text === '' ? `HTTP ${status}` : `HTTP ${status}, non-JSON body`)
  if (status === 401) {
    const error = withInfo(new ServiceNowErrors.AUTH_FAILED(path, said), info(false, envelope))
    return fail(error, { unauthorized: true, mayHaveReachedServer: false })
  }
  if (status === 403) return fail(withInfo(new ServiceNowErrors.FORBIDDEN(method, path, said), info(false, envelope)))
  if (status === 404) return fail(withInfo(new ServiceNowErrors.NOT_FOUND(method, path, said), info(false, envelope)))
  if (status === 400 && envelope?.message && /^invalid table/i.test(envelope.message)) {
    const table = /^\/api\/now\/(?:v\d\/)?(?:table|stats)\/([^/?]+)/.exec(path)?.[1] ?? path
    return fail(withInfo(new ServiceNowErrors.INVALID_TABLE(table), info(false, envelope)))
  }
  if (status === 413) {
    return fail(withInfo(new ServiceNowErrors.REQUEST_REJECTED(method, path, status, said), info(false, envelope)), {
      pageTooLarge: true,
    })
  }
  if (status === 429) {
    // rejected before it ran: safe to send again even when it is a POST
    return fail(withInfo(new ServiceNowErrors.UNAVAILABLE(method, path, 1, said), info(true, envelope)), {
      mayHaveReachedServer: false,
    })
  }
  if (status >= 500) {
    if (TRANSACTION_CANCELLED.test(said)) {
      return fail(withInfo(new ServiceNowErrors.TRANSACTION_CANCELLED(method, path, said), info(true, envelope)), {
        pageTooLarge: true,
      })
    }
    if (!parsed && text !== '') {
      const kind = header(headers, 'content-type') ?? 'untyped'
      return fail(withInfo(new ServiceNowErrors.NOT_JSON(method, path, status, kind), info(true)))
    }
    return fail(withInfo(new ServiceNowErrors.UNAVAILABLE(method, path, 1, said), info(true, envelope)))
  }
  return fail(withInfo(new ServiceNowErrors.REQUEST_REJECTED(method, path, status, said), info(false, envelope)))
}

/** A failure below HTTP: connect, TLS, proxy, reset, timeout. */
export function classifyTransportError(
  method: string,
  path: string,
  origin: string,
  cause: unknown,
): { ok: false } & Failure {
  const err = cause as { code?: string; message?: string; cause?: { code?: string; message?: string } }
  const code = err.code ?? ''
  const innerCode = err.cause?.code ?? ''
  const message = err.message ?? String(cause)
  const base = { ok: false as const, pageTooLarge: false, unauthorized: false, headers: {} }
  if (isTlsFailure(cause)) {
    const error = withInfo(new ServiceNowErrors.TLS_FAILED(origin, describeTlsFailure(cause)), {
      retryable: false,
    })
    return { ...base, error, mayHaveReachedServer: false }
  }
  if (/proxy response/i.test(message)) {
    const error = withInfo(new ServiceNowErrors.CONNECTION_FAILED(origin, `the proxy refused the tunnel: ${message}`), {
      retryable: false,
    })
    return { ...base, error, mayHaveReachedServer: false }
  }
  if (isTimeout(cause)) {
    const error = withInfo(new ServiceNowErrors.TIMEOUT(method, path, code || innerCode), { retryable: true })
    return { ...base, error, mayHaveReachedServer: !neverSent(cause) }
  }
  const error = withInfo(
    new ServiceNowErrors.CONNECTION_FAILED(origin, `${code || innerCode || 'error'}: ${message}`),
    {
      retryable: true,
    },
  )
  return { ...base, error, mayHaveReachedServer: !neverSent(cause) }
}

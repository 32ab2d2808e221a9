// Batch API: POST /api/now/v1/batch (and v2), reference
// https://www.servicenow.com/docs/r/api-reference/rest-apis/batch-api.html. Each item of
// rest_requests (id, method, url with its query, headers as [{name, value}], a Base64 body,
// exclude_response_headers) is run in order, one after the other (the API is neither parallel
// nor a transaction), as the calling user, through the same pipeline and APIs as a request of
// its own. Answers: serviced_requests (id, status_code, status_text, Base64 body, headers unless
// excluded, execution_time in ms) and unserviced_requests: the ids left when the batch ran past
// its time (the "REST Batch API request timeout" quota rule, 30 s) or an answer exceeded the
// per-item output size (10 MB, lowered by X-BATCHREQUEST-MAX-OUTPUT-SIZE).
// ServiceNow's own published client, sn-http-request (npm), also sends an item `options` object
// the public docs do not describe: `is_encoded` false means the body is given as is (a string or
// JSON), `should_encode_response` false asks for the body as is; every answer names its encoding
// in `body_encoding` ("base64" or "none"). Without options an item is Base64 both ways, as
// documented.
import { randomBytes } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ServiceNowEmulator } from '../emulator.ts'
import { respond, respondError } from '../http/respond.ts'
import { SnErrors, snError } from '../table-api/envelope.ts'

export const BATCH_PATHS = ['/api/now/v1/batch', '/api/now/v2/batch']
/** header that marks a batch item's inner request, so it does not queue behind its own batch */
export const BATCH_ITEM_HEADER = 'x-snemu-batch-item'

const DEFAULT_MAX_OUTPUT = 10 * 1024 * 1024

interface BatchItem {
  id: string
  method: string
  url: string
  headers: Array<{ name: string; value: string }>
  /** the request body's bytes */
  body: Buffer | undefined
  excludeResponseHeaders: boolean
  encodeResponse: boolean
}

interface ServicedRequest {
  id: string
  status_code: number
  status_text: string
  body: string
  headers: Array<{ name: string; value: string }>
  execution_time: number
  body_encoding: 'base64' | 'none'
  error_message?: string
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v))

function itemsOf(body: Record<string, unknown>): BatchItem[] | undefined {
  if (!Array.isArray(body.rest_requests)) return undefined
  return body.rest_requests.map((raw: unknown) => {
    const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
    const headers = Array.isArray(r.headers)
      ? r.headers.flatMap((h: unknown) => {
          const pair = (h && typeof h === 'object' ? h : {}) as Record<string, unknown>
          return typeof pair.name === 'string' ? [{ name: pair.name, value: text(pair.value) }] : []
        })
      : []
    const options = (r.options && typeof r.options === 'object' ? r.options : {}) as Record<string, unknown>
    const encoded = options.is_encoded !== false
    const given = r.body
    const body =
      given === undefined || given === null || given === ''
        ? undefined
        : encoded
          ? Buffer.from(text(given), 'base64')
          : Buffer.from(typeof given === 'string' ? given : JSON.stringify(given))
    return {
      id: text(r.id),
      method: text(r.method).toUpperCase(),
      url: text(r.url),
      headers,
      body,
      excludeResponseHeaders: r.exclude_response_headers === true || r.exclude_response_headers === 'true',
      encodeResponse: options.should_encode_response !== false,
    }
  })
}

export function registerBatchApi(app: FastifyInstance, emulator: ServiceNowEmulator): void {
  const token = randomBytes(16).toString('hex')
  emulator.batchItemToken = token

  const run = async (request: FastifyRequest, item: BatchItem): Promise<ServicedRequest> => {
    const started = performance.now()
    const answer = (status: number, message: string): ServicedRequest => ({
      id: item.id,
      status_code: status,
      status_text: STATUS_CODES[status] ?? '',
      body: Buffer.from(JSON.stringify(snError(status, message, null).body)).toString('base64'),
      headers: [],
      execution_time: 0,
      body_encoding: 'base64',
      error_message: message,
    })
    if (!item.id || !item.method || !item.url.startsWith('/')) {
      return answer(400, 'Batch item needs an id, a method and a relative url')
    }
    if (BATCH_PATHS.some((p) => item.url.startsWith(p))) return answer(400, 'A batch cannot contain a batch')
    const headers: Record<string, string> = {}
    for (const h of item.headers) headers[h.name.toLowerCase()] = h.value
    // the items run as the caller: the batch's own credentials, never an item's
    headers.authorization = request.headers.authorization ?? ''
    headers[BATCH_ITEM_HEADER] = token
    const res = await app.inject({
      method: item.method as 'GET',
      url: item.url,
      headers,
      ...(item.body !== undefined ? { payload: item.body } : {}),
    })
    return {
      id: item.id,
      status_code: res.statusCode,
      status_text: STATUS_CODES[res.statusCode] ?? '',
      body: item.encodeResponse ? res.rawPayload.toString('base64') : res.rawPayload.toString('utf8'),
      body_encoding: item.encodeResponse ? 'base64' : 'none',
      headers: item.excludeResponseHeaders
        ? []
        : Object.entries(res.headers)
            .filter(([name]) => name !== 'set-cookie' && name !== 'connection' && name !== 'transfer-encoding')
            .map(([name, value]) => ({ name, value: Array.isArray(value) ? value.join(', ') : text(value) })),
      execution_time: Math.round(performance.now() - started),
    }
  }

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const contentType = request.headers['content-type'] ?? ''
    // the docs name application/json; ServiceNow's own sn-http-request posts its batches as a
    // fetch string body, text/plain, which the platform takes as JSON too
    if (!/application\/json|text\/plain/i.test(contentType))
      return respondError(request, reply, SnErrors.unsupportedMediaType(contentType))
    let body: Record<string, unknown>
    try {
      const parsed: unknown = JSON.parse(typeof request.body === 'string' ? request.body : '')
      body = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
    } catch (err) {
      return respondError(request, reply, SnErrors.badRequestBody(err instanceof Error ? err.message : String(err)))
    }
    const items = itemsOf(body)
    if (!items) return respondError(request, reply, SnErrors.badRequestBody('rest_requests is required'))
    const asked = Number(request.headers['x-batchrequest-max-output-size'])
    const maxOutput = Number.isFinite(asked) && asked > 0 ? Math.min(asked, DEFAULT_MAX_OUTPUT) : DEFAULT_MAX_OUTPUT
    const deadline = performance.now() + emulator.batchTimeoutMs
    const serviced: ServicedRequest[] = []
    const unserviced: string[] = []
    for (const item of items) {
      if (unserviced.length > 0 || performance.now() >= deadline) {
        unserviced.push(item.id)
        continue
      }
      const done = await run(request, item)
      // an answer beyond the output size cancels the rest of the batch, this item included
      if (Buffer.byteLength(done.body, done.body_encoding === 'base64' ? 'base64' : 'utf8') > maxOutput)
        unserviced.push(item.id)
      else serviced.push(done)
    }
    return respond(request, reply, 200, {
      batch_request_id: text(body.batch_request_id),
      serviced_requests: serviced,
      unserviced_requests: unserviced,
    })
  }
  for (const path of BATCH_PATHS) app.post(path, handler)
}

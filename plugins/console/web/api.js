// The admin API as the console calls it: openapi-fetch typed by the generated client types
// (openapi/crosswalk-api.ts), the bearer token of the session on every request, and every
// refusal turned into an ApiError carrying the hub's CW_ code, message and problems.
import createClient from 'openapi-fetch'

/** @typedef {import('../../../openapi/crosswalk-api.ts').paths} Paths */
/** @typedef {import('../../../openapi/crosswalk-api.ts').components['schemas']} Schemas */
/** @typedef {import('../../../openapi/crosswalk-api.ts').operations} Operations */
/** @typedef {import('openapi-fetch').Client<Paths>} Client */
/** @typedef {Schemas['ErrorResponse']} ErrorResponse */
/** @typedef {Operations['getMe']['responses'][200]['content']['application/json']} Me */
/** @typedef {Me['role']} Role */

/** An answer of the hub that is not a success, in its error shape. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {Partial<ErrorResponse>} body
   */
  constructor(status, body) {
    super(body.message ?? `The hub answered HTTP ${status}`)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code ?? `HTTP_${status}`
    /** @type {NonNullable<ErrorResponse['problems']>} */
    this.problems = body.problems ?? []
  }
}

/** The hub's root URL (the page is /console, so its base is the root, behind any proxy prefix). */
export function hubRoot() {
  return new URL('.', document.baseURI).href.replace(/\/$/, '')
}

/**
 * A client of the hub that serves this page, sending `token` as the bearer token; `onRefused`
 * hears of a 401 (the token was revoked, or is unknown).
 * @param {string} token
 * @param {() => void} [onRefused]
 * @returns {Client}
 */
export function apiClient(token, onRefused) {
  /** @type {Client} */
  const client = createClient({ baseUrl: hubRoot() })
  client.use({
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${token}`)
      return request
    },
    onResponse({ response }) {
      if (response.status === 401) onRefused?.()
      return response
    },
  })
  return client
}

/**
 * The data of an answer, or its refusal thrown as an ApiError.
 * @template T
 * @param {Promise<{ data?: T, error?: unknown, response: Response }>} pending
 * @returns {Promise<T>}
 */
export async function ok(pending) {
  const { data, error, response } = await pending
  if (!response.ok) throw new ApiError(response.status, /** @type {Partial<ErrorResponse>} */ (error ?? {}))
  return /** @type {T} */ (data)
}

// Tells an IdentityNow tenant that a ticketed request finished. ISC has no public endpoint to
// complete one provisioning item from outside; the closest public call is v2024
// POST /access-requests/close ("closes access requests that are stuck in a pending state", with
// executionStatus and completionStatus), which is what we send, for plans that carry the
// access request id (requestId). Token by client credentials at {tenant}/oauth/token. Bounded
// retries with backoff honouring Retry-After; every call has a timeout.
import { nextDelay, sleep, DEFAULT_BACKOFF, type BackoffPolicy } from '../../../core/http/backoff.ts'
import { WORK_ITEM_REQUEST_PREFIX } from '../intake/work-item-plan.ts'
import type { ProvisioningResult } from './provisioning-completed.ts'

export interface TenantSettings {
  /** https://{tenant}.api.identitynow.com */
  url: string
  clientId: string
  clientSecret: string
  timeoutMs?: number
  backoff?: BackoffPolicy
}

export class TenantNotifier {
  readonly #settings: TenantSettings
  #token: { value: string; until: number } | undefined

  constructor(settings: TenantSettings) {
    this.#settings = settings
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    const policy = this.#settings.backoff ?? { ...DEFAULT_BACKOFF, maxAttempts: 4 }
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined
      let failure: unknown
      try {
        response = await fetch(new URL(path, this.#settings.url), {
          ...init,
          signal: AbortSignal.timeout(this.#settings.timeoutMs ?? 15_000),
        })
        if (response.status !== 429 && response.status < 500) return response
      } catch (error) {
        failure = error
      }
      const delay = nextDelay(attempt, policy, response ? Object.fromEntries(response.headers) : {})
      if (attempt + 1 >= policy.maxAttempts || delay === undefined) {
        if (response) return response
        throw failure
      }
      await sleep(delay)
    }
  }

  async #bearer(): Promise<string> {
    if (this.#token && this.#token.until > Date.now()) return this.#token.value
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.#settings.clientId,
      client_secret: this.#settings.clientSecret,
    })
    const res = await this.#fetch('/oauth/token', { method: 'POST', body })
    if (!res.ok) throw new Error(`tenant token request answered ${res.status}`)
    const json = (await res.json()) as { access_token: string; expires_in?: number }
    this.#token = { value: json.access_token, until: Date.now() + ((json.expires_in ?? 300) - 30) * 1000 }
    return json.access_token
  }

  /** Closes the access request on the tenant; returns the HTTP status (0: nothing to close). */
  async complete(accessRequestId: string, result: ProvisioningResult, message: string): Promise<number> {
    // plans taken from manual work items are completed by the work-item intake, not here
    if (accessRequestId.startsWith(WORK_ITEM_REQUEST_PREFIX)) return 0
    const res = await this.#fetch('/v2024/access-requests/close', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await this.#bearer()}`,
        'content-type': 'application/json',
        'x-sailpoint-experimental': 'true',
      },
      body: JSON.stringify({
        accessRequestIds: [accessRequestId],
        message,
        executionStatus: 'Completed',
        completionStatus: result === 'SUCCESS' ? 'Success' : result === 'FAILED' ? 'Failure' : 'Incomplete',
      }),
    })
    return res.status
  }
}

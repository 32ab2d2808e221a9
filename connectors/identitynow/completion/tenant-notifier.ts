// Tells an IdentityNow tenant that a ticketed request finished. ISC has no public endpoint to
// complete one provisioning item from outside; the closest public call is v2024
// POST /access-requests/close ("closes access requests that are stuck in a pending state", with
// executionStatus and completionStatus), which is what we send, for plans that carry the
// access request id (requestId). The tenant client (tenant/client.ts) brings the token, the
// timeouts and the bounded retries.
import { WORK_ITEM_REQUEST_PREFIX } from '../intake/work-item-plan.ts'
import { TenantClient, type TenantClientOptions } from '../tenant/client.ts'
import type { ProvisioningResult } from './provisioning-completed.ts'

/** https://{tenant}.api.identitynow.com and an API client of it (client credentials) */
export type TenantSettings = Omit<TenantClientOptions, 'dispatcher'>

export class TenantNotifier {
  readonly #client: TenantClient
  /** a client it made itself is closed with it; a shared one is closed by its owner */
  readonly #owned: boolean

  constructor(settings: TenantSettings | TenantClient) {
    this.#owned = !(settings instanceof TenantClient)
    this.#client = settings instanceof TenantClient ? settings : new TenantClient(settings)
  }

  /** Closes the access request on the tenant; returns the HTTP status (0: nothing to close). */
  async complete(accessRequestId: string, result: ProvisioningResult, message: string): Promise<number> {
    // plans taken from manual work items are completed by the work-item intake, not here
    if (accessRequestId.startsWith(WORK_ITEM_REQUEST_PREFIX)) return 0
    return this.#client.closeAccessRequests({
      accessRequestIds: [accessRequestId],
      message,
      executionStatus: 'Completed',
      completionStatus: result === 'SUCCESS' ? 'Success' : result === 'FAILED' ? 'Failure' : 'Incomplete',
    })
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#client.close()
  }
}

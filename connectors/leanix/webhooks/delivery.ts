// A PUSH delivery from LeanIX, checked and handed to the inbox. LeanIX does not sign payloads;
// the subscription sends a fixed Authorization header we chose, so that header is the proof.
import { timingSafeEqual } from 'node:crypto'
import { LeanixErrors } from '../errors.ts'
import type { LeanixEventInbox } from './inbox.ts'

export interface DeliveryRequest {
  connectionId: string
  headers: Record<string, string | string[] | undefined>
  body: unknown
}

export interface DeliveryDeps {
  inbox: LeanixEventInbox
  /**
   * Takes the events of a delivery instead of the in-memory inbox, durably: the hub keeps them in
   * its store before LeanIX gets its 202 (false: no room now, LeanIX re-sends)
   */
  deliver?(connectionId: string, events: unknown[]): Promise<boolean>
  /** the secret configured for the connection, or undefined when it takes no deliveries */
  secretFor(connectionId: string): Promise<string | undefined> | string | undefined
}

export interface DeliveryOutcome {
  /** HTTP status to answer LeanIX with */
  status: 202 | 503
  accepted: number
}

/** Validates and enqueues one delivery; throws CW_LX_WEBHOOK_* errors for the route to answer. */
export async function receiveDelivery(req: DeliveryRequest, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const secret = await deps.secretFor(req.connectionId)
  if (secret === undefined || secret === '') throw new LeanixErrors.WEBHOOK_UNKNOWN_CONNECTION(req.connectionId)
  const given = req.headers.authorization
  if (typeof given !== 'string' || !sameSecret(given, secret)) throw new LeanixErrors.WEBHOOK_UNAUTHORIZED()
  const events = Array.isArray(req.body) ? req.body : [req.body]
  if (events.length === 0 || events.some((e) => typeof e !== 'object' || e === null)) {
    throw new LeanixErrors.WEBHOOK_PAYLOAD_INVALID('expected a JSON object or a list of objects')
  }
  const ok = deps.deliver ? await deps.deliver(req.connectionId, events) : deps.inbox.deliver(req.connectionId, events)
  return { status: ok ? 202 : 503, accepted: ok ? events.length : 0 }
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(secret)
  return a.length === b.length && timingSafeEqual(a, b)
}

// The sandbox's LeanIX workspace pushes its webhooks to the hub, as a customer's would: once the
// hub listens, the sandbox-leanix connection gets webhookMode "push", the URL of the hub's LeanIX
// webhook route for it and a secret made at each start (sealed in the vault like any secret). The
// changed connection restarts its change event listener, which creates or updates the subscription
// through the LeanIX Webhooks API as it does for any connection in push mode (core/sync/event-listeners.ts).
// A change made in the emulator then reaches the mappings as a change event and starts a partial run.
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { LEANIX_WEBHOOK_PREFIX } from '../../connectors/leanix/webhook-route.ts'

/** http://host:port of the listening hub, loopback for a wildcard address */
export function hubOrigin(app: FastifyInstance): string | undefined {
  const address = app.server.address() as AddressInfo | string | null
  if (address === null || typeof address === 'string') return undefined
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
}

export async function subscribeLeanixPush(
  app: FastifyInstance,
  connectionId: string,
  /** the emulator's connection settings, secrets included */
  settings: Record<string, unknown>,
  log: FastifyBaseLogger,
): Promise<void> {
  const origin = hubOrigin(app)
  if (origin === undefined) return
  const targetUrl = `${origin}${LEANIX_WEBHOOK_PREFIX}/${connectionId}`
  // Secrets are bound to the origins of a connection's URLs: when the target URL moves (the hub
  // on another port) the stored ones are dropped unless sent again, so all are sent, and the
  // webhook secret is made anew at each start (the listener brings the subscription up to date).
  await app.connections.update(connectionId, {
    settings: {
      ...settings,
      webhookMode: 'push',
      webhookTargetUrl: targetUrl,
      webhookSecret: randomBytes(24).toString('base64url'),
    },
  })
  if (!app.config.sync.eventListeners) {
    log.warn(
      { targetUrl },
      'sandbox: change event listeners are off (CROSSWALK_SYNC_EVENT_LISTENERS): the LeanIX emulator is not subscribed to push its webhooks to the hub',
    )
    return
  }
  log.info(
    { targetUrl },
    'sandbox: the LeanIX emulator pushes its webhooks to the hub (its listener subscribes it); a change made there starts a partial run',
  )
}

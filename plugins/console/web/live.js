// GraphQL subscriptions over WebSocket (graphql-transport-ws, the graphql-ws client) at the hub's
// /graphql. A browser cannot put headers on the upgrade request, so the bearer token goes in the
// connection_init payload, where the hub verifies it.
import { createClient } from 'graphql-ws'
import { hubRoot } from './api.js'

/**
 * @param {string} token
 */
export function liveClient(token) {
  const url = new URL('graphql', `${hubRoot()}/`)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return createClient({
    url: url.href,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: 5,
  })
}

/** @typedef {ReturnType<typeof liveClient>} LiveClient */

/**
 * Subscribes to `query`; `onData` gets each event's data. Returns the function that stops it.
 * @template T
 * @param {LiveClient} client
 * @param {string} query
 * @param {(data: T) => void} onData
 * @param {(error: unknown) => void} onError
 */
export function subscribe(client, query, onData, onError) {
  return client.subscribe(
    { query },
    {
      next: (result) => {
        if (result.errors?.length) onError(new Error(result.errors.map((e) => e.message).join('; ')))
        else if (result.data) onData(/** @type {T} */ (result.data))
      },
      error: onError,
      complete: () => {},
    },
  )
}

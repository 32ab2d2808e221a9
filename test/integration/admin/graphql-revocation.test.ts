// A revoked token keeps no open GraphQL subscription (issue 11 point 11): revoked through this
// instance, its sockets close at once; revoked by another instance sharing the store (which does
// not tell this one), they close at the next re-verification.
import { test } from 'tap'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { TokenStore } from '../../../core/auth/token-store.ts'
import { until } from '../../helpers/until.ts'

async function subscribedSocket(hub: TestApp, token: string, via: 'header' | 'payload') {
  const { port } = hub.app.server.address() as { port: number }
  const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, {
    protocols: ['graphql-transport-ws'],
    ...(via === 'header' ? { headers: { authorization: `Bearer ${token}` } } : {}),
  } as unknown as string[])
  const messages: Array<{ type: string }> = []
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason })),
  )
  ws.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data)) as { type: string }))
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve())
    ws.addEventListener('error', () => reject(new Error('socket error')))
  })
  ws.send(
    JSON.stringify({
      type: 'connection_init',
      ...(via === 'payload' ? { payload: { authorization: `Bearer ${token}` } } : {}),
    }),
  )
  await until(() => messages.some((m) => m.type === 'connection_ack'), 'connection_ack')
  const before = hub.hub.graphqlSockets.size
  ws.send(
    JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { connectionChanged { action } }' } }),
  )
  await until(() => hub.hub.graphqlSockets.size > before, 'the subscription to be followed')
  return { ws, closed, messages }
}

test('revoking a token on this instance closes its subscription sockets at once', async (t) => {
  // re-verification practically never runs here: only the revocation itself can close the socket
  const hub = await buildTestApp(t, { config: { graphql: { subscriptionAuthSeconds: 3600 } } })
  await hub.app.listen({ port: 0, host: '127.0.0.1' })
  const viewer = await hub.token('viewer', 'watcher')
  const other = await hub.token('viewer', 'bystander')
  const viaHeader = await subscribedSocket(hub, viewer, 'header')
  const viaPayload = await subscribedSocket(hub, viewer, 'payload')
  const bystander = await subscribedSocket(hub, other, 'header')

  const listed = (await hub.inject('/api/v1/tokens')).json() as { items: Array<{ id: string; name: string }> }
  const id = listed.items.find((token) => token.name === 'watcher')?.id
  const revoked = await hub.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}` })
  t.equal(revoked.statusCode, 200)

  const [header, payload] = await Promise.all([viaHeader.closed, viaPayload.closed])
  t.equal(header.code, 4403, 'closed as Forbidden (graphql-transport-ws)')
  t.equal(payload.code, 4403, 'a token sent in connection_init is followed too')
  t.match(header.reason, /no longer valid/)
  t.equal(bystander.ws.readyState, WebSocket.OPEN, "another token's socket stays open")
  bystander.ws.close()
})

test('a token revoked by another instance closes the sockets here within the re-verification interval', async (t) => {
  const hub = await buildTestApp(t, { config: { graphql: { subscriptionAuthSeconds: 1 } } })
  await hub.app.listen({ port: 0, host: '127.0.0.1' })
  const viewer = await hub.token('viewer', 'watcher')
  const socket = await subscribedSocket(hub, viewer, 'payload')
  // another instance: its own token store on the same database, which says nothing to this hub
  const elsewhere = new TokenStore(hub.db)
  const id = (await elsewhere.list()).find((token) => token.name === 'watcher')?.id as string
  await elsewhere.revoke(id)
  const { code } = await socket.closed
  t.equal(code, 4403)
  t.equal(hub.hub.graphqlSockets.size, 0, 'nothing is followed any more')
})

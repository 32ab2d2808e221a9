// An HTTP CONNECT proxy that takes one LeanIX-looking host name to the emulator: how a client that
// only talks to `https://<name>.leanix.net` (port 443) reaches it, through the proxy setting the
// client itself offers, with nothing of the client changed.
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'

export async function startConnectProxy(
  t: { teardown: (fn: () => Promise<void> | void) => void },
  routes: Record<string, number>,
): Promise<{ url: string; tunnels: string[] }> {
  const tunnels: string[] = []
  const server: Server = createServer((req, res) => {
    tunnels.push(`${req.method} ${req.url} (not a CONNECT)`)
    res.writeHead(405).end()
  })
  server.on('connect', (req, client, head) => {
    const target = req.url ?? ''
    const port = routes[target]
    tunnels.push(target)
    if (port === undefined) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, tunnels }
}

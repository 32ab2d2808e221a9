// A TCP port on 127.0.0.1 that nothing listens on (it was free a moment ago): for tests of what
// the hub says about a closed port.
import { createServer } from 'node:net'

export function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

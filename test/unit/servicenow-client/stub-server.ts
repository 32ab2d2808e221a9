// A tiny scripted HTTP server on 127.0.0.1 for protocol contract tests: each request is recorded
// and answered by the test's handler.
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StubRequest {
  method: string
  url: URL
  headers: IncomingHttpHeaders
  body: string
}

export type StubHandler = (req: StubRequest, res: ServerResponse) => unknown

export interface Stub {
  url: string
  requests: StubRequest[]
  server: Server
  close(): Promise<void>
}

export async function startStub(handler: StubHandler, server: Server = createServer()): Promise<Stub> {
  const requests: StubRequest[] = []
  server.on('request', (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const recorded = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://stub'),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(recorded)
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        res.statusCode = 599
        res.end(String(error))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const scheme = 'setSecureContext' in server ? 'https' : 'http'
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    requests,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers })
  res.end(JSON.stringify(body))
}

export function snError(
  res: ServerResponse,
  status: number,
  message: string,
  detail: string | null,
  headers: Record<string, string> = {},
): void {
  json(res, status, { error: { message, detail }, status: 'failure' }, headers)
}

/** Backoff that does not wait, so retry tests stay fast and deterministic. */
export const FAST_BACKOFF = { maxAttempts: 4, baseMs: 1, capMs: 5_000 }

/** The part of a tap test the helpers need. */
export interface Teardown {
  teardown(fn: () => unknown): void
}

// The emulator over https with a test CA, and a raw HTTP/1.1 exchange over TLS, so a test can
// send a client's exact request bytes (header order, no Content-Type, Content-Length: 0) and see
// exactly what comes back.
import { connect } from 'node:tls'
import { generate } from 'selfsigned'
import type { LeanixEmulator, LeanixEmulatorOptions } from '../../../connectors/leanix/emulator/index.ts'
import { startForTest } from './emulator-client.ts'

/** A LeanIX-looking host name the test certificate also covers (clients that insist on *.leanix.net). */
export const LEANIX_LIKE_HOST = 'crosswalk-emulated.leanix.net'

export async function startTlsEmulator(
  t: { teardown: (fn: () => Promise<void> | void) => void },
  options: LeanixEmulatorOptions = {},
): Promise<{ emulator: LeanixEmulator; ca: string }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
          { type: 2, value: LEANIX_LIKE_HOST },
        ],
      },
    ],
  })
  const emulator = await startForTest(t, { ...options, https: { cert: pems.cert, key: pems.private } })
  return { emulator, ca: pems.cert }
}

export interface RawAnswer {
  status: number
  headers: Record<string, string>
  text: string
  json: () => Record<string, unknown>
}

/** Sends `request` byte for byte and reads one response (Content-Length or chunked). */
export function rawExchange(emulator: LeanixEmulator, ca: string, request: string | Buffer): Promise<RawAnswer> {
  const port = Number(emulator.host.split(':')[1])
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => socket.write(request))
    let buffer = Buffer.alloc(0)
    const finish = (answer: RawAnswer) => {
      socket.destroy()
      resolve(answer)
    }
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      const end = buffer.indexOf('\r\n\r\n')
      if (end < 0) return
      const [statusLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n')
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      )
      const body = buffer.subarray(end + 4)
      let text: string | undefined
      if (headers['content-length'] !== undefined) {
        if (body.length < Number(headers['content-length'])) return
        text = body.subarray(0, Number(headers['content-length'])).toString('utf8')
      } else if (headers['transfer-encoding'] === 'chunked') {
        if (!body.includes('0\r\n\r\n')) return
        const parts: Buffer[] = []
        let at = 0
        for (;;) {
          const lineEnd = body.indexOf('\r\n', at)
          const size = parseInt(body.subarray(at, lineEnd).toString(), 16)
          if (size === 0) break
          parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size))
          at = lineEnd + 2 + size + 2
        }
        text = Buffer.concat(parts).toString('utf8')
      } else return
      const status = Number(statusLine.split(' ')[1])
      finish({ status, headers, text, json: () => JSON.parse(text ?? '') as Record<string, unknown> })
    })
    socket.on('error', reject)
  })
}

/** An HTTP/1.1 request as python-requests writes it: its session headers first, then the request's. */
export function pythonRequestsBytes(
  method: string,
  host: string,
  path: string,
  headers: Array<[string, string]>,
  body = '',
): string {
  const base: Array<[string, string]> = [
    ['Host', host],
    ['User-Agent', 'python-requests/2.31.0'],
    ['Accept-Encoding', 'gzip, deflate'],
    ['Accept', '*/*'],
    ['Connection', 'keep-alive'],
  ]
  const lines = [...base, ...headers].map(([k, v]) => `${k}: ${v}`)
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`
}

/** Python's json.dumps with its default separators (", " and ": "), as LeanIX's scripts send bodies. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJsonDumps(v)}`)
      .join(', ')}}`
  }
  // json.dumps escapes non-ASCII by default
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

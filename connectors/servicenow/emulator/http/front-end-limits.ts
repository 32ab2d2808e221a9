// What an instance's front end does with requests too large for it, before any API sees them:
// an HTML error page, not a JSON envelope. PySNC's live test `test_nonjson_error` sends a
// 23,000-character table name and expects an HTML body
// (https://github.com/ServiceNow/PySNC/blob/main/test/test_snc_api.py); PySNC itself moves a
// query to the Batch API past about 10,000 characters. A long table name below the front end's
// limit reaches the Table API, which answers 400 "Invalid table" like for any unknown table.
// The status (400) and the exact limits are our reading [unverified against an instance].
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** request line longer than this: the front end refuses it */
export const MAX_URL_LENGTH = 16_384
/** all request headers together longer than this: refused */
export const MAX_HEADER_BYTES = 32_768
/** Node's own parser limit, above ours so our answer (not Node's 431) is what clients see */
export const NODE_MAX_HEADER_SIZE = 256 * 1024

const page = (title: string): string =>
  `<!DOCTYPE html><html><head><title>400 Bad Request</title></head><body><h1>Bad Request</h1><p>${title}</p></body></html>`

const headerBytes = (req: IncomingMessage): number =>
  req.rawHeaders.reduce((sum, part) => sum + Buffer.byteLength(part) + 2, 0)

/** answers and returns true when the request is beyond the front end's limits */
export function refusedByFrontEnd(req: IncomingMessage, res: ServerResponse): boolean {
  const reason =
    (req.url?.length ?? 0) > MAX_URL_LENGTH
      ? 'Request-URI Too Long'
      : headerBytes(req) > MAX_HEADER_BYTES
        ? 'Request Header Or Cookie Too Large'
        : undefined
  if (!reason) return false
  res.writeHead(400, { 'content-type': 'text/html;charset=UTF-8', connection: 'close' })
  res.end(page(reason))
  return true
}

/** headers beyond even Node's parser limit: the same page instead of Node's bare 431 */
export function answerParserOverflow(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const body = page(error.code === 'HPE_HEADER_OVERFLOW' ? 'Request Header Or Cookie Too Large' : 'Bad Request')
  socket.end(
    `HTTP/1.1 400 Bad Request\r\ncontent-type: text/html;charset=UTF-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  )
}

// Logger settings shared by the server and the CLI tools: JSON lines in production, pretty on a
// TTY, and secrets redacted wherever they could appear: by key anywhere in a line, and every value
// of a request's query string (a client may put a secret there, however often it is told not to).
import type { LoggerOptions } from 'pino'

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-crosswalk-webhook-secret"]',
  'headers.authorization',
  '*.password',
  '*.clientSecret',
  '*.client_secret',
  '*.apiToken',
  '*.token',
  '*.secret',
  '*.secrets',
  '*.refreshToken',
  '*.refresh_token',
  '*.accessToken',
  '*.access_token',
]

const CENSOR = '[redacted]'

/** The URL with every query value replaced (names kept, so the line still says what was asked). */
export function redactQuery(url: string): string {
  const mark = url.indexOf('?')
  if (mark < 0) return url
  const names = url
    .slice(mark + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=', 1)[0]}=${CENSOR}`)
  return `${url.slice(0, mark)}?${names.join('&')}`
}

/** What a request log line shows of a request (Fastify's own fields), its URL's query redacted. */
interface LoggedRequest {
  method: string
  url: string
  host?: string
  ip?: string
  socket?: { remotePort?: number }
}

export function loggerOptions(level: string, pretty: boolean): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: redactQuery(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  }
}

// Logger settings shared by the server and the CLI tools: JSON lines in production, pretty on a
// TTY, and secrets redacted wherever they could appear.
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

export function loggerOptions(level: string, pretty: boolean): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  }
}

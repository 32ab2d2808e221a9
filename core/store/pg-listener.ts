// LISTEN on a PostgreSQL server, on a connection of its own: a pooled connection can be handed to
// anyone between queries, and notifications only reach the session that listens. The connection
// is remade with backoff when it is lost; until then the listener is told notifications may be
// missed, so whoever caches on the strength of them stops trusting the cache.
import pg from 'pg'
import type { NotificationHandlers } from './db.ts'
import { jitteredDelay, type BackoffPolicy } from '../http/backoff.ts'

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/
/** retries forever (a listener outlives any outage), waiting at most 30 s between attempts */
const RECONNECT: BackoffPolicy = { maxAttempts: Number.POSITIVE_INFINITY, baseMs: 250, capMs: 30_000 }

export interface PgListenerOptions {
  connectionString: string
  connectTimeoutMs: number
}

export function listenOnServer(
  options: PgListenerOptions,
  channel: string,
  handlers: NotificationHandlers,
): () => Promise<void> {
  if (!CHANNEL_NAME.test(channel)) throw new TypeError(`not a channel name: ${channel}`)
  let client: pg.Client | undefined
  let retry = 0
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  const connect = async () => {
    timer = undefined
    const attempt = new pg.Client({
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectTimeoutMs,
      keepAlive: true,
    })
    client = attempt
    let lostOnce = false
    const lose = () => {
      if (lostOnce || stopped) return
      lostOnce = true
      client = undefined
      handlers.lost()
      attempt.end().catch(() => {})
      timer = setTimeout(() => void connect(), jitteredDelay(retry++, RECONNECT))
      timer.unref()
    }
    attempt.on('error', lose)
    attempt.on('end', lose)
    attempt.on('notification', (message) => {
      if (message.channel === channel) handlers.notify(message.payload ?? '')
    })
    try {
      await attempt.connect()
      await attempt.query(`listen ${channel}`)
    } catch {
      lose()
      return
    }
    if (stopped) {
      await attempt.end().catch(() => {})
      return
    }
    retry = 0
    handlers.listening()
  }
  void connect()

  return async () => {
    stopped = true
    if (timer) clearTimeout(timer)
    await client?.end().catch(() => {})
  }
}

// Glide sessions (docs/reference/servicenow.md §1.6): every answer sets a JSESSIONID cookie. A client that replays
// it has its requests serialised on that one session, as on a real node; when more than
// `maxQueued` wait behind the running one, the platform drops the extra request with an empty
// 202 (SQUID "API throughput"). Clients that keep no cookie jar get a fresh session each time.
import { randomBytes } from 'node:crypto'

export interface SessionOptions {
  /** requests allowed to wait on one session before the next one is answered 202 */
  maxQueued: number
}

interface SessionQueue {
  running: boolean
  waiting: Array<() => void>
}

const COOKIE = /(?:^|;\s*)JSESSIONID=([^;]+)/

export class SessionGate {
  options: SessionOptions
  private readonly sessions = new Map<string, SessionQueue>()

  constructor(options: SessionOptions) {
    this.options = options
  }

  /** the session id a request carries, or a new one */
  sessionOf(cookieHeader: string | undefined): { id: string; isNew: boolean } {
    const m = cookieHeader ? COOKIE.exec(cookieHeader) : null
    if (m?.[1]) return { id: m[1], isNew: false }
    return { id: randomBytes(16).toString('hex').toUpperCase(), isNew: true }
  }

  /**
   * Waits for the session to be free; resolves with a release function, or undefined when the
   * session's queue is full (answer 202 without a body).
   */
  async enter(id: string): Promise<(() => void) | undefined> {
    let queue = this.sessions.get(id)
    if (!queue) {
      queue = { running: false, waiting: [] }
      this.sessions.set(id, queue)
    }
    if (queue.running) {
      if (queue.waiting.length >= this.options.maxQueued) return undefined
      await new Promise<void>((resolve) => queue.waiting.push(resolve))
    }
    queue.running = true
    let released = false
    return () => {
      if (released) return
      released = true
      const next = queue.waiting.shift()
      if (next) next()
      else {
        queue.running = false
        this.sessions.delete(id)
      }
    }
  }
}

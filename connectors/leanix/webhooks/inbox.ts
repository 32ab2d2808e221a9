// Where PUSH deliveries wait until the connection's events() iterator takes them. Bounded: when
// full, the delivery is refused (the route answers 503) and LeanIX re-sends it 50 s later, which
// is safer than dropping an event we already acknowledged.
export interface InboxOptions {
  /** events held per connection at most */
  capacity?: number
  /** bytes (as JSON) held per connection at most: a few huge deliveries must not fill the memory */
  maxBytes?: number
}

interface Queue {
  events: unknown[]
  bytes: number
  wake: (() => void) | undefined
}

export class LeanixEventInbox {
  readonly #queues = new Map<string, Queue>()
  readonly #capacity: number
  readonly #maxBytes: number

  constructor(options: InboxOptions = {}) {
    this.#capacity = options.capacity ?? 10_000
    this.#maxBytes = options.maxBytes ?? 16 * 1024 * 1024
  }

  /** Adds the events of one delivery; false when the connection's queue has no room. */
  deliver(connectionId: string, events: readonly unknown[]): boolean {
    const q = this.#queue(connectionId)
    const bytes = Buffer.byteLength(JSON.stringify(events))
    if (q.events.length + events.length > this.#capacity || q.bytes + bytes > this.#maxBytes) return false
    q.events.push(...events)
    q.bytes += bytes
    q.wake?.()
    return true
  }

  /** Batches of raw events as they arrive, until the signal aborts. */
  async *batches(connectionId: string, signal: AbortSignal): AsyncGenerator<unknown[]> {
    const q = this.#queue(connectionId)
    while (!signal.aborted) {
      if (q.events.length === 0) {
        await new Promise<void>((resolve) => {
          const done = () => {
            q.wake = undefined
            signal.removeEventListener('abort', done)
            resolve()
          }
          q.wake = done
          signal.addEventListener('abort', done, { once: true })
        })
        continue
      }
      q.bytes = 0
      yield q.events.splice(0, q.events.length)
    }
  }

  pending(connectionId: string): number {
    return this.#queues.get(connectionId)?.events.length ?? 0
  }

  #queue(connectionId: string): Queue {
    let q = this.#queues.get(connectionId)
    if (!q) {
      q = { events: [], bytes: 0, wake: undefined }
      this.#queues.set(connectionId, q)
    }
    return q
  }
}

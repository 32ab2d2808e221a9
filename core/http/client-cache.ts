// One client per connection (its pool, token and pause shared by every call), kept while the
// connection's settings stay the same and replaced when they change. Two rules keep a change of
// settings from breaking anything:
// - the new client is built before the old one is let go; when building fails (settings that
//   are now refused), the old client leaves the cache all the same: nothing stale or closed
//   stays behind to be handed out or closed a second time;
// - a client is closed once, and only when nothing uses it any more: operations hold a lease
//   for as long as they run (a read for its whole iteration), and a replaced client is closed
//   when its last lease ends. A failure to close is reported, never thrown at nobody.

export interface Closable {
  close(): Promise<void>
}

export interface ClientLease<C> {
  client: C
  release(): void
}

/** a connection's place in the cache: its key, the fingerprint of its settings, how to build its client */
export interface CacheEntry<C> {
  key: string
  fingerprint: string
  build: () => C
}

interface Holder<C> {
  client: C
  leases: number
  retired: boolean
  closing?: Promise<void>
}

export class ClientCache<C extends Closable> {
  readonly #entries = new Map<string, { fingerprint: string; holder: Holder<C> }>()
  readonly #onCloseError: (error: unknown) => void

  /** `onCloseError`: hears a client that failed to close (the cache goes on) */
  constructor(onCloseError: (error: unknown) => void = () => {}) {
    this.#onCloseError = onCloseError
  }

  /** The client of the entry's key, built when there is none or its settings (fingerprint) changed. */
  get(entry: CacheEntry<C>): C {
    return this.#holder(entry).client
  }

  /** The client, held until `release()`: it is not closed before. */
  lease(entry: CacheEntry<C>): ClientLease<C> {
    const holder = this.#holder(entry)
    holder.leases++
    let released = false
    return {
      client: holder.client,
      release: () => {
        if (released) return
        released = true
        holder.leases--
        if (holder.retired && holder.leases === 0) void this.#close(holder)
      },
    }
  }

  /** Runs `fn` with the client held. */
  async use<T>(entry: CacheEntry<C>, fn: (client: C) => Promise<T>): Promise<T> {
    const lease = this.lease(entry)
    try {
      return await fn(lease.client)
    } finally {
      lease.release()
    }
  }

  /** An iteration (a read, an event stream) with the client held for as long as it runs. */
  async *iterate<T>(entry: CacheEntry<C>, fn: (client: C) => AsyncIterable<T>): AsyncGenerator<T> {
    const lease = this.lease(entry)
    try {
      yield* fn(lease.client)
    } finally {
      lease.release()
    }
  }

  /** Forgets the client of `key` (a deleted connection); it closes when its last lease ends. */
  drop(key: string): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    this.#retire(entry.holder)
  }

  /** Closes every client (shutdown): requests in flight finish, new ones are refused. */
  async close(): Promise<void> {
    const holders = [...this.#entries.values()].map((e) => e.holder)
    this.#entries.clear()
    await Promise.all(holders.map((h) => this.#close(h)))
  }

  /** the clients the cache holds now (for counters) */
  all(): C[] {
    return [...this.#entries.values()].map((e) => e.holder.client)
  }

  #holder({ key, fingerprint, build }: CacheEntry<C>): Holder<C> {
    const current = this.#entries.get(key)
    if (current?.fingerprint === fingerprint) return current.holder
    let client: C
    try {
      client = build()
    } catch (error) {
      if (current) this.drop(key)
      throw error
    }
    const holder: Holder<C> = { client, leases: 0, retired: false }
    this.#entries.set(key, { fingerprint, holder })
    if (current) this.#retire(current.holder)
    return holder
  }

  #retire(holder: Holder<C>): void {
    holder.retired = true
    if (holder.leases === 0) void this.#close(holder)
  }

  #close(holder: Holder<C>): Promise<void> {
    holder.closing ??= Promise.resolve()
      .then(() => holder.client.close())
      .catch((error: unknown) => this.#onCloseError(error))
    return holder.closing
  }
}

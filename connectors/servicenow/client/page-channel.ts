// A bounded hand-over between the partition workers of a parallel scan and the one consumer of
// its pages: workers wait while it is full (bounded memory), the consumer waits while it is empty,
// and the first worker error reaches the consumer.

export class PageChannel<T> {
  readonly #capacity: number
  readonly #items: T[] = []
  #error: { reason: unknown } | undefined
  #closed = false
  #wakeConsumer: (() => void) | undefined
  readonly #wakeProducers: Array<() => void> = []

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity)
  }

  async push(item: T): Promise<void> {
    while (this.#items.length >= this.#capacity && !this.#error && !this.#closed) {
      await new Promise<void>((resolve) => this.#wakeProducers.push(resolve))
    }
    if (this.#error || this.#closed) return
    this.#items.push(item)
    this.#notifyConsumer()
  }

  fail(reason: unknown): void {
    this.#error ??= { reason }
    this.#notifyConsumer()
    this.#notifyProducers()
  }

  /** No more items will come (all producers finished). */
  close(): void {
    this.#closed = true
    this.#notifyConsumer()
    this.#notifyProducers()
  }

  /** The next item, or undefined once closed and drained. */
  async pull(): Promise<T | undefined> {
    for (;;) {
      if (this.#error) throw this.#error.reason
      const item = this.#items.shift()
      if (item !== undefined) {
        this.#notifyProducers()
        return item
      }
      if (this.#closed) return undefined
      await new Promise<void>((resolve) => {
        this.#wakeConsumer = resolve
      })
    }
  }

  #notifyConsumer(): void {
    const wake = this.#wakeConsumer
    this.#wakeConsumer = undefined
    wake?.()
  }

  #notifyProducers(): void {
    for (const wake of this.#wakeProducers.splice(0)) wake()
  }
}

// The API_INT semaphore (KB0635398): a few REST transactions run at once per node, more wait in
// a bounded queue, and beyond that the instance answers 429 with no Retry-After.
export interface ConcurrencyOptions {
  /** transactions running at once (API_INT threads) */
  maxConcurrent: number
  /** requests allowed to wait for a thread */
  queueDepth: number
}

export class ConcurrencyGate {
  options: ConcurrencyOptions
  private running = 0
  private readonly waiting: Array<(release: () => void) => void> = []
  /** observed maximum of concurrently running transactions (for tests and benchmarks) */
  peak = 0

  constructor(options: ConcurrencyOptions) {
    this.options = options
  }

  /** resolves with a release function, or undefined when the queue is full (answer 429) */
  async acquire(): Promise<(() => void) | undefined> {
    if (this.running < this.options.maxConcurrent) return this.enter()
    if (this.waiting.length >= this.options.queueDepth) return undefined
    return new Promise<() => void>((resolve) => this.waiting.push(resolve))
  }

  get active(): number {
    return this.running
  }

  private enter(): () => void {
    this.running++
    this.peak = Math.max(this.peak, this.running)
    return this.releaser()
  }

  /** a slot freed while others wait passes straight to the next waiter, so the cap always holds */
  private releaser(): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.waiting.shift()
      if (next) next(this.releaser())
      else this.running--
    }
  }
}

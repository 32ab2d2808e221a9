// In-process, typed fan-out. Durable work never goes through here (it goes through the job
// queue); the bus is for observers: live subscriptions, metrics, logs. A failing listener is
// reported and does not stop the others.
import { EventEmitter, on } from 'node:events'
import type { HubEventName, HubEvents } from './events.ts'

export type Listener<E extends HubEventName> = (payload: HubEvents[E]) => void

export class EventBus {
  readonly #emitter = new EventEmitter({ captureRejections: false })
  readonly #onListenerError: (event: string, error: unknown) => void

  constructor(onListenerError: (event: string, error: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError
    // subscriptions scale with GraphQL clients; the default cap of 10 would only warn
    this.#emitter.setMaxListeners(0)
  }

  publish<E extends HubEventName>(event: E, payload: HubEvents[E]): void {
    for (const listener of this.#emitter.listeners(event)) {
      try {
        ;(listener as Listener<E>)(payload)
      } catch (error) {
        this.#onListenerError(event, error)
      }
    }
  }

  subscribe<E extends HubEventName>(event: E, listener: Listener<E>): () => void {
    this.#emitter.on(event, listener)
    return () => this.#emitter.off(event, listener)
  }

  /** An async iterator over one event, ended by the signal (used by GraphQL subscriptions). */
  async *stream<E extends HubEventName>(event: E, signal: AbortSignal): AsyncGenerator<HubEvents[E]> {
    try {
      for await (const [payload] of on(this.#emitter, event, { signal })) yield payload as HubEvents[E]
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error
    }
  }
}

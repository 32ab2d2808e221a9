// Listening for change events on the connections that mappings use: a connector with the
// `events` capability (LeanIX: it keeps the webhook subscription and, in pull mode, pulls it)
// is listened to while an enabled mapping takes events from it, and every batch goes to the
// change intake, which keeps it in the store before the connector moves its cursor on
// (at-least-once; the intake folds repeats into one change per record). A listener that fails
// starts again after a jittered, growing pause; a changed connection or mapping re-decides who
// is listened to.
import type { Logger } from 'pino'
import type { Connector, ConnectionContext } from '../connector/contract.ts'
import { jitteredDelay, sleep } from '../http/backoff.ts'
import type { MappingRepository } from '../mapping/repository.ts'
import type { ChangeIntake } from './intake.ts'

export interface EventListenerDeps {
  mappings: MappingRepository
  intake: Pick<ChangeIntake, 'accept'>
  resolve(connectionId: string): Promise<{ connector: Connector; context: ConnectionContext } | undefined>
  logger: Pick<Logger, 'info' | 'warn' | 'error'>
}

const RESTART = { maxAttempts: Number.POSITIVE_INFINITY, baseMs: 1000, capMs: 60_000 }

export class EventListeners {
  readonly #deps: EventListenerDeps
  readonly #running = new Map<string, AbortController>()
  #stopped = false
  #reconciling: Promise<void> = Promise.resolve()

  constructor(deps: EventListenerDeps) {
    this.#deps = deps
  }

  /** connection ids listened to now */
  get listening(): string[] {
    return [...this.#running.keys()]
  }

  /** Brings the listeners in step with the mappings; calls are serialised. */
  reconcile(): Promise<void> {
    this.#reconciling = this.#reconciling
      .then(() => this.#reconcile())
      .catch((err: unknown) => {
        this.#deps.logger.error({ err }, 'change event listeners could not be brought in step')
      })
    return this.#reconciling
  }

  /** A connection's settings changed: its listener starts again with them. */
  restart(connectionId: string): Promise<void> {
    this.#running.get(connectionId)?.abort()
    this.#running.delete(connectionId)
    return this.reconcile()
  }

  stop(): void {
    this.#stopped = true
    for (const controller of this.#running.values()) controller.abort()
    this.#running.clear()
  }

  async #reconcile(): Promise<void> {
    if (this.#stopped) return
    const candidates = new Set<string>()
    for (let offset = 0; ; offset += 500) {
      const { items } = await this.#deps.mappings.list({ enabled: true, limit: 500, offset })
      for (const m of items) {
        if (m.definition.events.partialSync === 'skip') continue
        candidates.add(m.definition.source.connectionId)
        candidates.add(m.definition.target.connectionId)
      }
      if (items.length < 500) break
    }
    const wanted = new Set<string>()
    for (const id of candidates) {
      const resolved = await this.#deps.resolve(id).catch(() => undefined)
      if (resolved?.connector.events && resolved.connector.listensForEvents?.(resolved.context)) wanted.add(id)
    }
    for (const [id, controller] of this.#running) {
      if (!wanted.has(id)) {
        controller.abort()
        this.#running.delete(id)
        this.#deps.logger.info(
          { connectionId: id },
          'no mapping takes change events from this connection: not listening',
        )
      }
    }
    for (const id of wanted) {
      if (this.#running.has(id)) continue
      const controller = new AbortController()
      this.#running.set(id, controller)
      this.#deps.logger.info({ connectionId: id }, 'listening for change events')
      void this.#listen(id, controller.signal)
    }
  }

  async #listen(connectionId: string, signal: AbortSignal): Promise<void> {
    let failures = 0
    while (!signal.aborted) {
      try {
        const resolved = await this.#deps.resolve(connectionId)
        if (!resolved?.connector.events) return
        for await (const batch of resolved.connector.events({ ...resolved.context, signal }, { signal })) {
          failures = 0
          await this.#deps.intake.accept(connectionId, batch)
        }
      } catch (err) {
        if (signal.aborted) return
        failures++
        this.#deps.logger.warn({ err, connectionId, failures }, 'change event listener failed; starting again')
      }
      try {
        await sleep(Math.max(1000, jitteredDelay(failures, RESTART)), signal)
      } catch {
        return
      }
    }
  }
}

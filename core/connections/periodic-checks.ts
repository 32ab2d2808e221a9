// Periodic connection checks: one job a minute in the queue (a cron schedule kept in the store,
// so several hub instances send it once between them, and stately, so at most one pass waits
// while another runs), whichever instance takes it checks the connections whose last check is
// older than the interval. A check by hand counts as well, so a connection just checked is not
// checked again at once; outcomes are kept by ConnectionRepository.check.
import type { ConnectorLogger } from '../connector/contract.ts'
import { mapBounded } from '../http/limiter.ts'
import type { JobQueue } from '../queue/job-queue.ts'
import { ConnectionErrors } from './errors.ts'
import type { ConnectionRepository } from './repository.ts'

export const CHECK_QUEUE = 'connections.check'
const SCHEDULE_KEY = 'connections'
/** looked for due connections this often; the interval itself is counted per connection */
const PASS_CRON = '* * * * *'
/** a pass the schedule starts a little early still takes a connection due within this time */
const SLACK_SECONDS = 30
/** checks one pass runs at once (each may wait up to the check timeout on a silent system) */
const CONCURRENCY = 4
/** connections one pass takes at most; the rest are due in the next */
const PER_PASS = 200

export interface PassSummary {
  ok: number
  failed: number
}

export interface PeriodicCheckDeps {
  queue: JobQueue
  connections: ConnectionRepository
  logger: ConnectorLogger
}

export class PeriodicChecks {
  readonly #deps: PeriodicCheckDeps

  constructor(deps: PeriodicCheckDeps) {
    this.#deps = deps
  }

  /**
   * Defines the queue and, with an interval, works it here and keeps its schedule; without one
   * (0), drops the schedule an earlier start (or another instance) left, so no pass is sent.
   */
  async start(intervalMinutes: number): Promise<void> {
    const { queue } = this.#deps
    await queue.define({ name: CHECK_QUEUE, policy: 'stately', retryLimit: 0, expireInSeconds: 600 })
    if (intervalMinutes <= 0) {
      await queue.unschedule(CHECK_QUEUE, SCHEDULE_KEY)
      return
    }
    await queue.work<{ intervalSeconds?: number }>(CHECK_QUEUE, async (job) => {
      // the interval of the instance that scheduled the pass, so instances agree on it
      await this.pass(job.data.intervalSeconds ?? intervalMinutes * 60, job.signal)
    })
    await queue.schedule(CHECK_QUEUE, PASS_CRON, { intervalSeconds: intervalMinutes * 60 }, { key: SCHEDULE_KEY })
  }

  /** Checks the connections due, a few at a time, and keeps each outcome. */
  async pass(intervalSeconds: number, signal?: AbortSignal): Promise<PassSummary> {
    const { connections, logger } = this.#deps
    const due = await connections.health.due(intervalSeconds, PER_PASS, SLACK_SECONDS)
    const summary: PassSummary = { ok: 0, failed: 0 }
    await mapBounded(due, CONCURRENCY, async (id) => {
      if (signal?.aborted) return
      try {
        const result = await connections.check(id, logger, { trigger: 'periodic', ...(signal ? { signal } : {}) })
        if (result.ok) summary.ok += 1
        else summary.failed += 1
      } catch (error) {
        await this.#recordRefusal(id, error)
        summary.failed += 1
      }
    })
    // a failing connection is worth a line at every pass; passing ones only when debugging
    if (summary.failed > 0) logger.warn({ ...summary, due: due.length }, 'periodic connection checks: some failed')
    else if (due.length > 0) logger.debug({ ...summary, due: due.length }, 'periodic connection checks')
    return summary
  }

  /**
   * A check that could not even start (its connector is not installed, its secrets do not open):
   * that is the connection's health too, kept with the error's declared code and message. A
   * connection deleted meanwhile has nothing to keep; an error without a code is only logged,
   * as its text is not written for the people who read the status.
   */
  async #recordRefusal(id: string, error: unknown): Promise<void> {
    const { connections, logger } = this.#deps
    if (error instanceof ConnectionErrors.NOT_FOUND) return
    const code = (error as { code?: unknown }).code
    if (typeof code !== 'string' || !code.startsWith('CW_')) {
      logger.warn({ err: error, connectionId: id }, 'periodic connection check failed')
      return
    }
    await connections.health
      .record(id, { ok: false, code, message: (error as Error).message, latencyMs: 0, trigger: 'periodic' })
      .catch((err: unknown) => logger.warn({ err, connectionId: id }, 'periodic connection check not stored'))
  }
}

// Starting, running and cancelling runs. A run is a row and a job in the queue, committed in one
// transaction, so any hub instance may run it and none loses it. A full run after a cancelled
// one resumes the cancelled pass. Runs from change events with short buffering start at once in
// this process (the queue's polling would add seconds); their job is the fallback.
import type { EventBus } from '../bus/event-bus.ts'
import type { ConnectorLogger } from '../connector/contract.ts'
import { MappingErrors } from '../mapping/errors.ts'
import type { MappingRepository } from '../mapping/repository.ts'
import type { JobQueue, QueuedJob } from '../queue/job-queue.ts'
import type { Db } from '../store/db.ts'
import { SyncErrors } from './errors.ts'
import { isRunRefusal } from './run-refusal.ts'
import type { SyncEngine } from './executor.ts'
import { FINISHED, type RunKind, type RunOptions, type RunRecord, type RunRepository } from './runs-repository.ts'

export const RUN_QUEUE = 'sync.run'
export const SCHEDULE_QUEUE = 'sync.schedule'
export const CHANGES_QUEUE = 'sync.changes'
export const PURGE_QUEUE = 'sync.purge'

/** a cancelled pass older than this starts over instead of resuming */
const RESUME_WITHIN_MS = 24 * 3600 * 1000
/** a job for a mapping that is busy comes back this much later */
const BUSY_RETRY_SECONDS = 2

export interface RunServiceSettings {
  /** a running run without heartbeat for this long is taken over */
  staleSeconds: number
  /** runs this instance executes at once */
  concurrency: number
  retentionDays: number
}

export interface StartRequest {
  trigger: string
  dryRun?: boolean
  kind?: RunKind
  options?: RunOptions
}

export interface RunServiceDeps {
  db: Db
  runs: RunRepository
  mappings: MappingRepository
  queue: JobQueue
  engine: SyncEngine
  bus: EventBus
  logger: ConnectorLogger
  settings: RunServiceSettings
  /** why a mapping may not run now (a custom connector removed, or its schema drifted), if it may not: an error declared with refusesRuns */
  refusal?: (mapping: { id: string; name: string }) => Promise<Error | undefined>
}

/**
 * A run already waiting, the mapping switched off or gone, or a declared run refusal (its custom
 * connector drifted or was removed; run-refusal.ts): a scheduled or event run has nothing to add.
 * A refused mapping says why where it is shown, and its pending changes wait for it to be mended.
 */
function nothingToAdd(error: unknown): boolean {
  return (
    error instanceof SyncErrors.RUN_ALREADY_QUEUED ||
    error instanceof SyncErrors.MAPPING_DISABLED ||
    error instanceof MappingErrors.NOT_FOUND ||
    isRunRefusal(error)
  )
}

export class RunService {
  readonly #deps: RunServiceDeps
  /** runs this process executes now, so that a stop waits for them */
  readonly #inProcess = new Set<Promise<unknown>>()
  readonly #abort = new AbortController()
  #stopped = false

  constructor(deps: RunServiceDeps) {
    this.#deps = deps
  }

  async init(): Promise<void> {
    const { queue, settings } = this.#deps
    await queue.define({
      name: RUN_QUEUE,
      retryLimit: 8,
      retryDelaySeconds: 10,
      retryBackoff: true,
      retryDelayMaxSeconds: 600,
      expireInSeconds: 24 * 3600,
    })
    await queue.define({ name: SCHEDULE_QUEUE, retryLimit: 2 })
    await queue.define({ name: CHANGES_QUEUE, policy: 'stately', retryLimit: 5 })
    await queue.define({ name: PURGE_QUEUE, retryLimit: 1 })
    await queue.work<{ runId: string }>(RUN_QUEUE, (job) => this.#runJob(job), { concurrency: settings.concurrency })
    await queue.work<{ mappingId: string }>(SCHEDULE_QUEUE, async (job) => {
      await this.start(job.data.mappingId, { trigger: 'schedule' }).catch((error: unknown) => {
        if (!nothingToAdd(error)) throw error
      })
    })
    await queue.work<{ mappingId: string }>(CHANGES_QUEUE, async (job) => {
      await this.startChanges(job.data.mappingId, false)
    })
    await queue.work(PURGE_QUEUE, async () => {
      const purged = await this.#deps.runs.purge(settings.retentionDays)
      if (purged > 0) this.#deps.logger.info({ purged, days: settings.retentionDays }, 'old runs purged')
    })
    await queue.schedule(PURGE_QUEUE, '23 3 * * *', {}, { key: 'purge' })
  }

  /** Queues a run of the mapping; a full run after a cancelled one resumes its pass. */
  async start(mappingId: string, request: StartRequest): Promise<RunRecord> {
    const { runs, mappings, db, queue } = this.#deps
    const mapping = await mappings.get(mappingId)
    const dryRun = request.dryRun ?? false
    const kind = request.kind ?? 'full'
    if (!mapping.enabled && !dryRun) throw new SyncErrors.MAPPING_DISABLED(mapping.name)
    const refused = await this.#deps.refusal?.(mapping)
    if (refused) throw refused
    const waiting = await runs.waiting(mappingId, dryRun)
    if (waiting && waiting.kind === kind) throw new SyncErrors.RUN_ALREADY_QUEUED(mapping.name, waiting.id, waiting.id)
    let resume: { passId: string; checkpoint: NonNullable<RunRecord['checkpoint']> } | undefined
    if (kind === 'full' && !dryRun) {
      const last = await runs.latest(mappingId)
      if (
        last?.status === 'CANCELLED' &&
        last.kind === 'full' &&
        !last.dryRun &&
        last.checkpoint &&
        last.checkpoint.phase !== 'target' &&
        last.mappingVersion === mapping.version &&
        last.finishedAt &&
        Date.now() - Date.parse(last.finishedAt) < RESUME_WITHIN_MS
      ) {
        resume = {
          passId: last.passId ?? last.id,
          checkpoint: { ...last.checkpoint, resumedFrom: last.id },
        }
      }
    }
    const run = await db.transaction(async (tx) => {
      const created = await runs.create(
        {
          mappingId,
          trigger: request.trigger,
          dryRun,
          kind,
          mappingVersion: mapping.version,
          ...(request.options ? { options: request.options } : {}),
          ...(resume ? { resume } : {}),
        },
        tx,
      )
      await queue.send(RUN_QUEUE, { runId: created.id }, { tx })
      return created
    })
    // committed: a worker here starts it now rather than at its next poll
    queue.wake(RUN_QUEUE)
    return run
  }

  async cancel(runId: string): Promise<RunRecord> {
    const run = await this.#deps.runs.requestCancel(runId)
    if (run.status === 'CANCELLED') {
      this.#deps.bus.publish('run.finished', {
        runId: run.id,
        mappingId: run.mappingId,
        phase: 'queued',
        status: 'CANCELLED',
        at: new Date().toISOString(),
        message: run.message ?? 'cancelled',
        ...run.counts,
      })
    }
    return run
  }

  /**
   * A partial run over the buffered changes of a mapping, unless one is waiting already. With
   * `now` it is also executed in this process at once (short event buffering).
   */
  async startChanges(mappingId: string, now: boolean): Promise<RunRecord | undefined> {
    const { db } = this.#deps
    const pending = await db.query<{ n: number }>(
      'select count(*)::int as n from sync_changes where mapping_id = $1 and claimed_by is null',
      [mappingId],
    )
    if ((pending.rows[0]?.n ?? 0) === 0) return undefined
    let run: RunRecord
    try {
      run = await this.start(mappingId, { trigger: 'events', kind: 'partial' })
    } catch (error) {
      if (nothingToAdd(error)) return undefined
      throw error
    }
    if (now) this.#executeHere(run.id)
    return run
  }

  /** After a run: changes that arrived meanwhile get their own run. */
  async #afterRun(run: RunRecord): Promise<void> {
    const mapping = await this.#deps.mappings.find(run.mappingId)
    if (!mapping || !mapping.enabled) return
    const mappingId = mapping.id
    if (mapping.definition.events.partialSync === 'skip') {
      // no events are kept for it: what waits is what a run found edited meanwhile (edited-meanwhile.ts)
      if (run.status !== 'ERROR') await this.startChanges(mappingId, false)
      return
    }
    if (run.status === 'ERROR') {
      // a run that failed is not followed at once by another that would fail the same way
      await this.#deps.queue.send(CHANGES_QUEUE, { mappingId }, { key: mappingId, startAfter: 30 })
      return
    }
    const shortBuffering = mapping.definition.events.shortBuffering
    if (shortBuffering) await this.startChanges(mappingId, true)
    else await this.scheduleBatch(mappingId)
  }

  /** Makes sure a batch of buffered changes will start: at once when big enough, else when the first is old enough. */
  async scheduleBatch(mappingId: string): Promise<void> {
    const mapping = await this.#deps.mappings.find(mappingId)
    if (!mapping) return
    const { batchSize, batchMinutes } = mapping.definition.events
    const { rows } = await this.#deps.db.query<{ n: number; first: Date | string | null }>(
      'select count(*)::int as n, min(first_at) as first from sync_changes where mapping_id = $1 and claimed_by is null',
      [mappingId],
    )
    const n = rows[0]?.n ?? 0
    if (n === 0) return
    const ageSeconds = rows[0]?.first ? (Date.now() - new Date(rows[0].first).getTime()) / 1000 : 0
    const waitSeconds = Math.max(0, Math.ceil(batchMinutes * 60 - ageSeconds))
    if (n >= batchSize || waitSeconds === 0) await this.startChanges(mappingId, false)
    else await this.#deps.queue.send(CHANGES_QUEUE, { mappingId }, { key: mappingId, startAfter: waitSeconds })
  }

  #executeHere(runId: string): void {
    if (this.#stopped) return
    const work = this.#deps.engine
      .execute(runId, {
        signal: this.#abort.signal,
        staleSeconds: this.#deps.settings.staleSeconds,
        attempt: 1,
        maxAttempts: 2,
      })
      .then(async (result) => {
        if (result.outcome === 'finished') await this.#afterRun(result.run)
        // its own job may have come and gone while this ran: give the queue a fresh one
        if (result.outcome === 'retry' && !this.#stopped)
          await this.#deps.queue.send(RUN_QUEUE, { runId }, { startAfter: 10 })
      })
      .catch((error: unknown) =>
        this.#deps.logger.error({ err: error, runId }, 'run failed in process; its queued job takes over'),
      )
    this.#inProcess.add(work)
    void work.finally(() => this.#inProcess.delete(work))
  }

  async #runJob(job: QueuedJob<{ runId: string }>): Promise<void> {
    const result = await this.#deps.engine.execute(job.data.runId, {
      signal: job.signal,
      staleSeconds: this.#deps.settings.staleSeconds,
      attempt: job.attempt,
      maxAttempts: job.maxAttempts,
    })
    if (result.outcome === 'busy') {
      // another run of the mapping is running: this one waits its turn without using attempts
      if (!this.#stopped)
        await this.#deps.queue.send(RUN_QUEUE, { runId: job.data.runId }, { startAfter: BUSY_RETRY_SECONDS })
      return
    }
    if (result.outcome === 'retry') throw result.error
    if (result.outcome === 'finished') await this.#afterRun(result.run)
  }

  /** Keeps each enabled mapping's cron schedule in the queue, and drops the others'. */
  async reconcileSchedules(): Promise<void> {
    const { queue, mappings } = this.#deps
    const existing = new Map((await queue.schedules(SCHEDULE_QUEUE)).map((s) => [s.key, s]))
    const wanted = new Set<string>()
    for (let offset = 0; ; offset += 500) {
      const { items: page } = await mappings.list({ limit: 500, offset })
      for (const m of page) {
        const cron = m.definition.schedule.cron
        if (!m.enabled || !cron) continue
        wanted.add(m.id)
        const have = existing.get(m.id)
        if (have?.cron !== cron || have.timezone !== m.definition.schedule.timezone) {
          await queue.schedule(
            SCHEDULE_QUEUE,
            cron,
            { mappingId: m.id },
            { key: m.id, tz: m.definition.schedule.timezone },
          )
        }
      }
      if (page.length < 500) break
    }
    for (const key of existing.keys()) if (!wanted.has(key)) await queue.unschedule(SCHEDULE_QUEUE, key)
  }

  /** Stops starting runs here and waits for the in-process ones (up to `graceMs`). */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true
    const timeout = new Promise((resolve) => setTimeout(resolve, graceMs).unref())
    await Promise.race([Promise.allSettled([...this.#inProcess]), timeout])
    this.#abort.abort()
    await Promise.allSettled([...this.#inProcess])
  }

  /** Whether a run is finished (tests and the CLI poll this way too). */
  static finished(run: RunRecord): boolean {
    return FINISHED.includes(run.status)
  }
}

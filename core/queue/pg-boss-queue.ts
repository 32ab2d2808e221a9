// The job queue on pg-boss: jobs live in the store (PGlite embedded, PostgreSQL on a server),
// claimed with SKIP LOCKED so any instance may take any job and none takes one twice. A job whose
// instance dies stops getting heartbeats and is failed back into the queue by the supervisor of
// any live instance, then retried elsewhere.
import { PgBoss, type JobWithMetadata, type Schedule } from 'pg-boss'
import type { Db } from '../store/db.ts'
import type {
  JobFailedEvent,
  JobHandler,
  JobInfo,
  JobQueue,
  JobRetryEvent,
  JobState,
  QueueDefinition,
  QueueDepth,
  QueueHealth,
  QueuePolicy,
  ScheduleInfo,
  ScheduleOptions,
  SendOptions,
  WorkOptions,
} from './job-queue.ts'
import { QueueErrors } from './errors.ts'
import { bossConnection, bossTransaction } from './pg-boss-connection.ts'

/** The PostgreSQL schema pg-boss keeps its tables in, beside the hub's own. */
export const QUEUE_SCHEMA = 'pgboss'

const DEFAULTS = {
  retryLimit: 2,
  retryDelaySeconds: 5,
  retryBackoff: true,
  retryDelayMaxSeconds: 300,
  expireInSeconds: 900,
  keepFinishedSeconds: 7 * 24 * 3600,
} as const

export interface JobQueueOptions {
  pollingIntervalSeconds: number
  /** heartbeat of queues that do not set their own */
  heartbeatSeconds: number
  /** how often this instance fails expired jobs and jobs of dead instances back into their queue */
  superviseIntervalSeconds: number
  /** pool size on a PostgreSQL server */
  maxConnections: number
  /** take part in supervision (default true) */
  supervise?: boolean
  /** fire due cron schedules from this instance (default true) */
  schedule?: boolean
  /** how often due schedules are looked for, 1 to 45 s (default 30) */
  cronIntervalSeconds?: number
  /** shown in pg-boss's instance registry */
  instanceName?: string
  /** a job failed for good: its last attempt threw and no retry is left */
  onJobFailed?: (event: JobFailedEvent) => void
  /** an attempt threw and the job is retried */
  onJobRetry?: (event: JobRetryEvent) => void
  onError?: (error: unknown) => void
  onWarning?: (message: string, data: unknown) => void
}

export async function startJobQueue(db: Db, options: JobQueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    ...bossConnection(db, options.maxConnections),
    schema: QUEUE_SCHEMA,
    supervise: options.supervise ?? true,
    schedule: options.schedule ?? true,
    superviseIntervalSeconds: options.superviseIntervalSeconds,
    monitorIntervalSeconds: options.superviseIntervalSeconds,
    cronMonitorIntervalSeconds: options.cronIntervalSeconds ?? 30,
    cronWorkerIntervalSeconds: Math.min(options.cronIntervalSeconds ?? 5, 5),
    instanceName: options.instanceName ?? 'crosswalk',
  })
  // pg-boss reports background failures (a poll that lost its connection) as events; an
  // unheard 'error' event would crash the process
  boss.on('error', (error) => options.onError?.(error))
  boss.on('warning', (warning) => options.onWarning?.(warning.message, warning.data))
  try {
    await boss.start({ attempts: 3 })
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => {})
    throw new QueueErrors.START_FAILED((error as Error).message)
  }
  return new PgBossJobQueue(boss, db, options)
}

function toJobState(state: string): JobState {
  return state as JobState
}

class PgBossJobQueue implements JobQueue {
  readonly #boss: PgBoss
  readonly #db: Db
  readonly #options: JobQueueOptions
  readonly #defined = new Map<string, QueuePolicy>()
  /** jobs running on this instance, so a cancel here reaches the handler at once */
  readonly #running = new Map<string, AbortController>()
  /** pg-boss worker ids per queue, to wake them when this instance sends a job */
  readonly #workers = new Map<string, string[]>()
  #stopped = false

  constructor(boss: PgBoss, db: Db, options: JobQueueOptions) {
    this.#boss = boss
    this.#db = db
    this.#options = options
  }

  async define(definition: QueueDefinition): Promise<void> {
    this.#assertRunning(`defining queue ${definition.name}`)
    const { name } = definition
    const policy = definition.policy ?? 'standard'
    const heartbeat =
      definition.heartbeatSeconds === undefined ? this.#options.heartbeatSeconds : definition.heartbeatSeconds
    const retryBackoff = definition.retryBackoff ?? DEFAULTS.retryBackoff
    const settings = {
      retryLimit: definition.retryLimit ?? DEFAULTS.retryLimit,
      retryDelay: definition.retryDelaySeconds ?? DEFAULTS.retryDelaySeconds,
      retryBackoff,
      expireInSeconds: definition.expireInSeconds ?? DEFAULTS.expireInSeconds,
      deleteAfterSeconds: definition.keepFinishedSeconds ?? DEFAULTS.keepFinishedSeconds,
    }
    // pg-boss only accepts a cap on the delay when the delay grows
    const retryDelayMax = retryBackoff ? (definition.retryDelayMaxSeconds ?? DEFAULTS.retryDelayMaxSeconds) : null
    try {
      // both are idempotent, so instances starting together may define the same queue at once
      await this.#boss.createQueue(name, {
        policy,
        ...settings,
        ...(retryDelayMax !== null ? { retryDelayMax } : {}),
        ...(heartbeat !== null ? { heartbeatSeconds: heartbeat } : {}),
      })
      const existing = await this.#boss.getQueue(name)
      if (existing && existing.policy !== policy) throw new QueueErrors.POLICY_CHANGED(name, existing.policy, policy)
      await this.#boss.updateQueue(name, { ...settings, retryDelayMax, heartbeatSeconds: heartbeat })
    } catch (error) {
      if (error instanceof QueueErrors.POLICY_CHANGED) throw error
      throw new QueueErrors.DEFINITION_INVALID(name, (error as Error).message)
    }
    this.#defined.set(name, policy)
  }

  async send<T extends object>(queue: string, data: T, options: SendOptions = {}): Promise<string | null> {
    this.#assertDefined(queue)
    this.#assertRunning(`a job for queue ${queue}`)
    return this.#boss.send(queue, data, {
      ...(options.key !== undefined ? { singletonKey: options.key } : {}),
      ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.tx ? { db: bossTransaction(options.tx) } : {}),
    })
  }

  async work<T>(queue: string, handler: JobHandler<T>, options: WorkOptions = {}): Promise<void> {
    this.#assertDefined(queue)
    this.#assertRunning(`a worker for queue ${queue}`)
    const workOptions = {
      batchSize: 1,
      localConcurrency: options.concurrency ?? 1,
      pollingIntervalSeconds: this.#options.pollingIntervalSeconds,
      includeMetadata: true,
    } as const
    const workerId = await this.#boss.work<T, void, typeof workOptions>(queue, workOptions, async (jobs) => {
      for (const job of jobs) await this.#run(queue, job, handler)
    })
    this.#workers.set(queue, [...(this.#workers.get(queue) ?? []), workerId])
  }

  wake(queue: string): void {
    // a worker that is busy takes the job when it is done; notifying it is harmless
    for (const id of this.#workers.get(queue) ?? []) this.#boss.notifyWorker(id)
  }

  async #run<T>(queue: string, job: JobWithMetadata<T>, handler: JobHandler<T>): Promise<void> {
    const local = new AbortController()
    this.#running.set(job.id, local)
    try {
      await handler({
        id: job.id,
        queue,
        data: job.data,
        key: job.singletonKey,
        attempt: job.retryCount + 1,
        maxAttempts: job.retryLimit + 1,
        signal: AbortSignal.any([job.signal, local.signal]),
      })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      // a cancelled job is settled already; only a job that has no retry left failed for good
      if (!local.signal.aborted && job.retryCount >= job.retryLimit) {
        this.#options.onJobFailed?.({
          queue,
          jobId: job.id,
          key: job.singletonKey,
          attempts: job.retryCount + 1,
          error: message,
          at: new Date().toISOString(),
        })
      } else if (!local.signal.aborted) {
        this.#options.onJobRetry?.({
          queue,
          jobId: job.id,
          key: job.singletonKey,
          attempt: job.retryCount + 1,
          maxAttempts: job.retryLimit + 1,
          error: message,
        })
      }
      throw error
    } finally {
      this.#running.delete(job.id)
    }
  }

  async cancel(queue: string, jobId: string): Promise<boolean> {
    this.#assertDefined(queue)
    const { affected } = (await this.#boss.cancel(queue, jobId)) as { affected?: number }
    if (!affected) return false
    // another instance's handler learns it from its next heartbeat, which finds the claim gone
    this.#running.get(jobId)?.abort(new QueueErrors.JOB_CANCELLED(jobId, queue))
    return true
  }

  async job(queue: string, jobId: string): Promise<JobInfo | null> {
    this.#assertDefined(queue)
    const [job] = await this.#boss.findJobs(queue, { id: jobId })
    if (!job) return null
    return {
      id: job.id,
      queue,
      state: toJobState(job.state),
      data: job.data,
      key: job.singletonKey,
      attempts: job.startedOn ? job.retryCount + 1 : 0,
      output: job.output ?? null,
      createdAt: job.createdOn,
      startedAt: job.startedOn ?? null,
      finishedAt: job.completedOn ?? null,
    }
  }

  async schedule(queue: string, cron: string, data: object, options: ScheduleOptions = {}): Promise<void> {
    this.#assertDefined(queue)
    const key = options.key ?? ''
    try {
      // parses the expression without touching the store, so a bad one is a caller error
      this.#boss.previewSchedule(cron, { count: 1, ...(options.tz ? { tz: options.tz } : {}) })
    } catch (error) {
      throw new QueueErrors.SCHEDULE_INVALID(cron, queue, (error as Error).message)
    }
    await this.#boss.schedule(queue, cron, data, {
      ...(options.key !== undefined ? { key } : {}),
      ...(options.tz ? { tz: options.tz } : {}),
    })
  }

  async unschedule(queue: string, key?: string): Promise<void> {
    this.#assertDefined(queue)
    await this.#boss.unschedule(queue, key)
  }

  async schedules(queue?: string): Promise<ScheduleInfo[]> {
    if (queue !== undefined) this.#assertDefined(queue)
    const rows: Schedule[] = await this.#boss.getSchedules(queue)
    return rows.map((s) => ({ queue: s.name, key: s.key, cron: s.cron, timezone: s.timezone, data: s.data ?? null }))
  }

  async depth(): Promise<QueueDepth[]> {
    const names = [...this.#defined.keys()]
    if (names.length === 0) return []
    // Read from the job table rather than pg-boss's queue statistics, which are refreshed by the
    // supervisor and may be a minute old: a scrape should see the backlog as it is.
    const { rows } = await this.#db.query<{ name: string; queued: number; active: number }>(
      `select name,
              count(*) filter (where state in ('created', 'retry'))::int as queued,
              count(*) filter (where state = 'active')::int as active
         from ${QUEUE_SCHEMA}.job
        where name = any($1::text[]) and state < 'completed'
        group by name`,
      [names],
    )
    const byName = new Map(rows.map((r) => [r.name, r]))
    return names.map((queue) => ({
      queue,
      queued: Number(byName.get(queue)?.queued ?? 0),
      active: Number(byName.get(queue)?.active ?? 0),
    }))
  }

  async health(timeoutMs = 3000): Promise<QueueHealth> {
    if (this.#stopped) return { ok: false, detail: 'stopped' }
    let timer: NodeJS.Timeout | undefined
    try {
      // through pg-boss's own connection (its pool on a server), which is what its workers use
      await Promise.race([
        this.#boss.getDb().executeSql(`select version from ${QUEUE_SCHEMA}.version`),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), timeoutMs)
        }),
      ])
      return { ok: true, detail: 'started' }
    } catch {
      return { ok: false, detail: 'unreachable' }
    } finally {
      clearTimeout(timer)
    }
  }

  async stop(graceMs: number): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    await this.#boss.stop({ graceful: true, timeout: Math.max(1000, graceMs), close: true })
  }

  #assertDefined(queue: string): void {
    if (!this.#defined.has(queue)) throw new QueueErrors.UNKNOWN_QUEUE(queue)
  }

  #assertRunning(what: string): void {
    if (this.#stopped) throw new QueueErrors.STOPPED(what)
  }
}

// The job queue as the rest of the hub sees it: durable, shared by every hub instance on one
// database, carrying coarse work (a run, a batch of change events, a ticket to poll), never one
// job per record. The implementation (pg-boss) stays behind this interface.
import type { Queryable } from '../store/db.ts'

/**
 * How jobs with the same key may coexist.
 * - standard: no limit.
 * - singleton: one job per key runs at a time (across all instances); others wait their turn.
 * - stately: like singleton, and at most one job per key waits; a further send is dropped.
 */
export type QueuePolicy = 'standard' | 'singleton' | 'stately'

export interface QueueDefinition {
  name: string
  policy?: QueuePolicy
  /** retries after the first attempt before the job fails for good (default 2) */
  retryLimit?: number
  /** delay before the first retry in seconds (default 5) */
  retryDelaySeconds?: number
  /** double the delay on each further retry, with jitter (default true) */
  retryBackoff?: boolean
  /** upper bound of the backed-off delay in seconds (default 300) */
  retryDelayMaxSeconds?: number
  /** longest one attempt may run; it is then failed and retried (default 900) */
  expireInSeconds?: number
  /**
   * A running job whose instance has sent no heartbeat for this long is failed and retried by
   * another instance (minimum 10). Null turns heartbeats off; the queue's default applies otherwise.
   */
  heartbeatSeconds?: number | null
  /** how long finished jobs stay readable (default 7 days) */
  keepFinishedSeconds?: number
}

export interface SendOptions {
  /** the policy key, e.g. the mapping id for "one run per mapping at a time" */
  key?: string
  /** earliest start: a date or a delay in seconds */
  startAfter?: Date | number
  priority?: number
  /** enqueue inside the caller's transaction: the job exists only if that transaction commits */
  tx?: Queryable
}

export interface QueuedJob<T> {
  id: string
  queue: string
  data: T
  key: string | null
  /** 1 for the first attempt */
  attempt: number
  /** attempts the job may take in all */
  maxAttempts: number
  /** aborted when the job is cancelled, when its claim is lost, or when the grace period of a shutdown ends */
  signal: AbortSignal
}

export type JobHandler<T> = (job: QueuedJob<T>) => Promise<void>

export interface WorkOptions {
  /** jobs of this queue this instance runs at once (default 1) */
  concurrency?: number
}

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed'

export interface JobInfo {
  id: string
  queue: string
  state: JobState
  data: unknown
  key: string | null
  /** attempts started so far */
  attempts: number
  /** what the last attempt left: the error of a failed one */
  output: unknown
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
}

export interface QueueDepth {
  queue: string
  /** waiting to run, including retries waiting out their delay */
  queued: number
  active: number
}

export interface ScheduleInfo {
  queue: string
  key: string
  cron: string
  timezone: string
  data: unknown
}

export interface ScheduleOptions {
  /** one schedule per key and queue; scheduling the same key again replaces it (default: one unkeyed schedule) */
  key?: string
  /** IANA time zone the cron expression is read in (default UTC) */
  tz?: string
}

export interface QueueHealth {
  /** started on this instance and its tables answer */
  ok: boolean
  /** a word for a probe: started, stopped, unreachable */
  detail: string
}

export interface JobFailedEvent {
  queue: string
  jobId: string
  /** the policy key (a mapping id), when the job has one */
  key: string | null
  /** attempts made, all failed */
  attempts: number
  error: string
  at: string
}

/** An attempt of a job threw and the job will be tried again (after the queue's retry delay). */
export interface JobRetryEvent {
  queue: string
  jobId: string
  /** the policy key (a mapping id), when the job has one */
  key: string | null
  /** the attempt that failed, 1 for the first */
  attempt: number
  maxAttempts: number
  error: string
}

export interface JobQueue {
  /** Creates the queue or updates its settings; every instance defines the queues it uses at start. */
  define(definition: QueueDefinition): Promise<void>
  /** The new job's id, or null when the queue's policy dropped it (a job with that key already waits). */
  send<T extends object>(queue: string, data: T, options?: SendOptions): Promise<string | null>
  /** Runs `handler` for jobs of `queue` on this instance; a throw fails the attempt and retries it. */
  work<T>(queue: string, handler: JobHandler<T>, options?: WorkOptions): Promise<void>
  /**
   * A job of `queue` was just committed: this instance's idle workers of that queue look now
   * instead of at their next poll (other instances still find it at theirs).
   */
  wake(queue: string): void
  /** Cancels a waiting or running job (true when there was one to cancel); a running handler's signal is aborted. */
  cancel(queue: string, jobId: string): Promise<boolean>
  job(queue: string, jobId: string): Promise<JobInfo | null>
  /** Sends `data` to `queue` on a cron schedule (5 fields, or 6 with seconds). */
  schedule(queue: string, cron: string, data: object, options?: ScheduleOptions): Promise<void>
  unschedule(queue: string, key?: string): Promise<void>
  schedules(queue?: string): Promise<ScheduleInfo[]>
  /** Current counts of the defined queues, read from the store (not cached). */
  depth(): Promise<QueueDepth[]>
  /** Whether this instance can take and send jobs now: started, not stopped, its tables answer within `timeoutMs`. */
  health(timeoutMs?: number): Promise<QueueHealth>
  /** Takes no new jobs, waits for running ones up to `graceMs`, then aborts and fails them for a retry. */
  stop(graceMs: number): Promise<void>
}

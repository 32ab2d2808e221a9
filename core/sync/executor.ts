// Runs one run: takes it (one executor per run, one running run per mapping), prepares its
// mapping, runs its kind (full, delta, partial) from its checkpoint, and finishes it with a
// status (worst action wins), a message, and the delta watermarks. A transient failure gives the
// run back for another attempt, which resumes from the last committed step.
import type { MappingRepository } from '../mapping/repository.ts'
import { prepareMapping, type MappingEnvironment } from '../mapping/prepare.ts'
import type { Queryable } from '../store/db.ts'
import { RUN_COUNT_NAMES, type RunCounts } from './counts.ts'
import { isTransient } from './errors.ts'
import { fullRun } from './full-run.ts'
import { changesRun, deltaRun } from './partial-run.ts'
import { RunCancelled, RunContext, type EngineDeps } from './run-context.ts'
import type { RunRecord, RunStatus } from './runs-repository.ts'
import { StageRepository } from './stage.ts'

export interface ExecuteOptions {
  signal: AbortSignal
  /** a running run whose heartbeat is older than this may be taken over */
  staleSeconds: number
  /** this attempt and the most the queue allows: a transient failure before the last is retried */
  attempt: number
  maxAttempts: number
}

export type ExecuteOutcome =
  | { outcome: 'finished'; run: RunRecord }
  /** another run of the mapping is running */
  | { outcome: 'busy' }
  /** another executor holds this run, or it has finished */
  | { outcome: 'held' }
  /** failed transiently; the run waits for another attempt */
  | { outcome: 'retry'; error: unknown }

export interface SyncEngineDeps extends EngineDeps {
  mappings: MappingRepository
  env: MappingEnvironment
}

async function watermarksOf(q: Queryable, mappingId: string): Promise<{ source?: string; target?: string }> {
  const { rows } = await q.query<{ side: 's' | 't'; watermark: string }>(
    'select side, watermark from sync_watermarks where mapping_id = $1',
    [mappingId],
  )
  const out: { source?: string; target?: string } = {}
  for (const r of rows) out[r.side === 's' ? 'source' : 'target'] = r.watermark
  return out
}

async function saveWatermarks(
  q: Queryable,
  mappingId: string,
  watermarks: { source?: string | null; target?: string | null } | undefined,
): Promise<void> {
  for (const [side, value] of [
    ['s', watermarks?.source],
    ['t', watermarks?.target],
  ] as const) {
    if (!value) continue
    await q.query(
      `insert into sync_watermarks (mapping_id, side, watermark) values ($1, $2, $3)
       on conflict (mapping_id, side) do update set watermark = excluded.watermark, updated_at = now()`,
      [mappingId, side, value],
    )
  }
}

function summary(counts: RunCounts): string {
  const parts = RUN_COUNT_NAMES.filter((n) => counts[n] > 0).map((n) => `${n} ${counts[n]}`)
  return parts.length > 0 ? parts.join(', ') : 'nothing to do'
}

/** Worst action wins: any failed record makes the run ERROR; skipped records or notes a WARNING. */
export function statusOf(
  counts: RunCounts,
  notes: readonly string[],
): Exclude<RunStatus, 'QUEUED' | 'RUNNING' | 'CANCELLED'> {
  if (counts.failed > 0) return 'ERROR'
  if (counts.skipped > 0 || notes.length > 0) return 'WARNING'
  return 'OK'
}

export class SyncEngine {
  readonly #deps: SyncEngineDeps
  readonly #stage = new StageRepository()

  constructor(deps: SyncEngineDeps) {
    this.#deps = deps
  }

  async execute(runId: string, options: ExecuteOptions): Promise<ExecuteOutcome> {
    const { runs, bus } = this.#deps
    const claimed = await runs.claim(runId, options.staleSeconds)
    if ('refused' in claimed) return claimed.refused === 'busy' ? { outcome: 'busy' } : { outcome: 'held' }
    let run = claimed.run
    if (run.attempts === 1) {
      bus.publish('run.started', {
        runId: run.id,
        mappingId: run.mappingId,
        dryRun: run.dryRun,
        trigger: run.trigger,
        at: new Date().toISOString(),
      })
    }
    const heartbeat = setInterval(
      () => void runs.heartbeat(run.id).catch(() => {}),
      Math.max(1000, (options.staleSeconds * 1000) / 3),
    )
    heartbeat.unref()
    let ctx: RunContext | undefined
    try {
      const mapping = await this.#deps.mappings.get(run.mappingId)
      const prepared = await prepareMapping(mapping.definition, this.#deps.env, { selfId: mapping.id })
      if (!prepared.ok) {
        const problems = prepared.problems.map((p) => `${p.pointer}: ${p.message}`).join('; ')
        return { outcome: 'finished', run: await this.#finish(run, 'ERROR', `the mapping cannot run: ${problems}`) }
      }
      if (run.checkpoint && run.mappingVersion !== null && run.mappingVersion !== mapping.version) {
        // the mapping changed while this run was interrupted: its pass no longer fits, start over
        await this.#deps.db.transaction(async (tx) => {
          await this.#stage.drop(tx, run.passId ?? run.id)
          await tx.query('update runs set checkpoint = null, mapping_version = $2, pass_id = id where id = $1', [
            run.id,
            mapping.version,
          ])
        })
        run = await runs.get(run.id)
      }
      ctx = new RunContext(this.#deps, run, prepared.prepared, options.signal)
      if (run.kind === 'full') await fullRun(ctx)
      else if (run.kind === 'delta') await deltaRun(ctx, await watermarksOf(this.#deps.db, run.mappingId))
      else await changesRun(ctx)
      const notes = ctx.checkpoint.notes ?? []
      const status = statusOf(ctx.counts, notes)
      const resumed = ctx.checkpoint.resumedFrom
        ? [`resumed the pass of cancelled run ${ctx.checkpoint.resumedFrom}`]
        : []
      const message = [summary(ctx.counts), ...resumed, ...notes].join('; ')
      const finished = await this.#finish(run, status, message, ctx, async (tx) => {
        if (!run.dryRun && run.kind !== 'partial') await saveWatermarks(tx, run.mappingId, ctx?.checkpoint.watermarks)
        if (run.kind === 'full' || run.dryRun) await this.#stage.drop(tx, ctx?.passId ?? run.id)
      })
      return { outcome: 'finished', run: finished }
    } catch (error) {
      if (error instanceof RunCancelled) {
        const where = ctx?.checkpoint.phase ?? 'start'
        const message =
          run.kind === 'full' && !run.dryRun
            ? `cancelled during ${where}; what was done stays done, and the next full run resumes from here`
            : `cancelled during ${where}; what was done stays done`
        return { outcome: 'finished', run: await this.#finish(run, 'CANCELLED', message, ctx) }
      }
      if (options.signal.aborted || (isTransient(error) && options.attempt < options.maxAttempts)) {
        // the hub is stopping, or the system failed for a while: another attempt resumes here
        this.#deps.logger.warn(
          { err: error, runId: run.id, attempt: options.attempt },
          'run interrupted; it resumes on its next attempt',
        )
        await runs.release(run.id)
        return { outcome: 'retry', error }
      }
      this.#deps.logger.error({ err: error, runId: run.id }, 'run failed')
      const message = `${(error as Error).message ?? String(error)}${ctx ? ` (during ${ctx.checkpoint.phase})` : ''}`
      return {
        outcome: 'finished',
        run: await this.#finish(run, 'ERROR', message, ctx, async (tx) => {
          if (run.kind === 'full' || run.dryRun) await this.#stage.drop(tx, run.passId ?? run.id)
        }),
      }
    } finally {
      clearInterval(heartbeat)
    }
  }

  async #finish(
    run: RunRecord,
    status: Exclude<RunStatus, 'QUEUED' | 'RUNNING'>,
    message: string,
    ctx?: RunContext,
    work?: (tx: Queryable) => Promise<void>,
  ): Promise<RunRecord> {
    const counts = ctx?.counts ?? run.counts
    const finished = await this.#deps.db.transaction(async (tx) => {
      if (work) await work(tx)
      // changes a partial run took but did not finish go back to the buffer for the next run
      if (run.kind === 'partial' && status !== 'OK' && status !== 'WARNING') {
        await tx.query('update sync_changes set claimed_by = null where mapping_id = $1 and claimed_by = $2', [
          run.mappingId,
          run.id,
        ])
      }
      return this.#deps.runs.finish(run.id, status, counts, message.slice(0, 4000), tx, ctx?.checkpoint ?? undefined)
    })
    this.#deps.bus.publish('run.finished', {
      runId: run.id,
      mappingId: run.mappingId,
      phase: ctx?.checkpoint.phase ?? 'start',
      status,
      message,
      at: new Date().toISOString(),
      ...counts,
    })
    return finished
  }
}

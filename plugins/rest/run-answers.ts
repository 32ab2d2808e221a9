// How runs and plans are answered: a run record as the API shows it, and a plan (a dry run's
// summary and first actions) once it finished or the caller's wait ran out.
import type { FastifyInstance } from 'fastify'
import type { RunRecord } from '../../core/sync/runs-repository.ts'
import { FINISHED } from '../../core/sync/runs-repository.ts'

export function toRunAnswer(run: RunRecord) {
  const { passId: _p, mappingVersion: _v, attempts: _a, checkpoint, ...rest } = run
  return { ...rest, phase: checkpoint?.phase ?? null }
}

/** Waits for a run to finish (up to `waitMs`), listening on the bus and asking the store. */
export async function waitForRun(app: FastifyInstance, runId: string, waitMs: number): Promise<RunRecord> {
  let run = await app.runs.get(runId)
  if (FINISHED.includes(run.status) || waitMs <= 0) return run
  const deadline = Date.now() + waitMs
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout
    const unsubscribe = app.bus.subscribe('run.finished', (e) => {
      if (e.runId === runId) done()
    })
    // another instance may run it: the store is asked now and then as well
    const poll = async () => {
      const now = await app.runs.get(runId).catch(() => undefined)
      if (!now || FINISHED.includes(now.status) || Date.now() >= deadline) done()
      else timer = setTimeout(() => void poll(), Math.min(1000, Math.max(0, deadline - Date.now())))
    }
    function done() {
      clearTimeout(timer)
      unsubscribe()
      resolve()
    }
    timer = setTimeout(() => void poll(), Math.min(1000, waitMs))
  })
  run = await app.runs.get(runId)
  return run
}

export async function planOf(app: FastifyInstance, runId: string, waitMs: number) {
  const run = await waitForRun(app, runId, waitMs)
  const finished = FINISHED.includes(run.status)
  const summary = finished
    ? (await app.sync.actions.summary(app.db, runId)).map((s) => ({
        action: s.action,
        status: s.status,
        kind: s.kind,
        count: s.n,
      }))
    : []
  const actions = finished ? await app.sync.actions.list(app.db, runId, { changedOnly: true, limit: 100 }) : undefined
  return { finished, plan: { run: toRunAnswer(run), summary, ...(actions ? { actions } : {}) } }
}

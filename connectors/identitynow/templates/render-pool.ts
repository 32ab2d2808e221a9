// Ticket templates render in a worker thread, never on the event loop that serves requests: a
// template at its render limit costs about a second of CPU, and ten sources in one plan cost ten
// (a plan stalled /health/live for 2.9 s before). LiquidJS' renderLimit stops a runaway template
// inside the worker; the time budget here is the backstop, ending the worker itself (piscina
// terminates a thread whose task is aborted) should anything run past it.
import { Piscina } from 'piscina'
import { IdnErrors } from '../errors.ts'
import type { RenderOutcome, RenderTask } from './render-worker.ts'

/**
 * LiquidJS' own renderLimit stops a template after 1 s; past this the worker is ended. Generous,
 * because it also counts the wait for the thread (starting one loads the engine: seconds on a
 * busy machine), and nothing waits on it but the ticket being rendered.
 */
const BUDGET_MS = 30_000

let pool: Piscina<RenderTask, RenderOutcome> | undefined

function renderPool(): Piscina<RenderTask, RenderOutcome> {
  pool ??= new Piscina<RenderTask, RenderOutcome>({
    filename: new URL('./render-worker.ts', import.meta.url).href,
    // one thread at most: rendering is rare (one ticket per source of a plan), and the other core
    // keeps serving; an idle thread is unref'd (nothing holds the process open) and ends after 30 s
    minThreads: 0,
    maxThreads: 1,
    idleTimeout: 30_000,
  })
  return pool
}

/** Renders every string of a field map in the worker; non-string values pass through unchanged. */
export async function renderFieldsOffThread(
  templates: Record<string, unknown>,
  context: Record<string, unknown>,
  budgetMs = BUDGET_MS,
): Promise<Record<string, unknown>> {
  const signal = AbortSignal.timeout(budgetMs)
  let outcome: RenderOutcome
  try {
    outcome = await renderPool().run({ templates, context }, { signal })
  } catch (error) {
    if (signal.aborted) {
      throw new IdnErrors.TEMPLATE_INVALID(
        Object.keys(templates).join(', '),
        `rendering took longer than ${budgetMs} ms`,
      )
    }
    throw error
  }
  if (!outcome.ok) throw new IdnErrors.TEMPLATE_INVALID(outcome.field, outcome.reason)
  return outcome.fields
}

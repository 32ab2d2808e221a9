// Runs in a worker thread (render-pool.ts): renders a ticket's field templates away from the
// event loop that serves requests. Answers with the rendered fields, or with the field that
// failed and why (an Error's code would not survive the trip between threads).
import { compileTemplate } from './engine.ts'

export interface RenderTask {
  templates: Record<string, unknown>
  context: Record<string, unknown>
}

export type RenderOutcome = { ok: true; fields: Record<string, unknown> } | { ok: false; field: string; reason: string }

export default async function render(task: RenderTask): Promise<RenderOutcome> {
  const fields: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(task.templates)) {
    if (typeof value !== 'string') {
      fields[field] = value
      continue
    }
    try {
      fields[field] = await compileTemplate(field, value).render(task.context)
    } catch (error) {
      const reason = (error as Error).message.replace(/^Ticket template "[^"]*" cannot be used: /, '')
      return { ok: false, field, reason }
    }
  }
  return { ok: true, fields }
}

// Input nothing can store or use is refused at the edge with a 400 naming where it is, instead
// of failing deep inside (the store refuses NUL characters and unpaired surrogates, a JSON
// document nested thousands of levels deep exhausts whoever walks it, 1e309 parses as Infinity
// and reaches SQL as "Infinity"). Bodies, query strings and path parameters of every route are
// checked: text and depth before schema validation, numbers after it (query strings turn into
// numbers during validation).
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { RequestErrors } from '../core/answer/errors.ts'

/** Deeper than any setting, mapping or SailPoint document needs. */
export const MAX_NESTING = 64

type Problem = { kind: 'text' | 'depth' | 'number'; at: string }

function pathOf(parts: string[]): string {
  return parts.length === 0 ? '(top level)' : parts.join('.')
}

function badText(text: string): boolean {
  return text.includes('\u0000') || !text.isWellFormed()
}

/** The first problem in `value`, walking at most MAX_NESTING levels. */
function inspect(value: unknown, parts: string[] = []): Problem | undefined {
  if (typeof value === 'string') return badText(value) ? { kind: 'text', at: pathOf(parts) } : undefined
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { kind: 'number', at: pathOf(parts) }
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return undefined
  if (parts.length >= MAX_NESTING) return { kind: 'depth', at: pathOf(parts) }
  for (const [key, child] of Object.entries(value)) {
    if (badText(key)) return { kind: 'text', at: pathOf([...parts, '(a key)']) }
    const problem = inspect(child, [...parts, key])
    if (problem) return problem
  }
  return undefined
}

function check(request: FastifyRequest): void {
  for (const [where, value] of [
    ['body', request.body],
    ['query string', request.query],
    ['path', request.params],
  ] as const) {
    const problem = inspect(value)
    if (!problem) continue
    if (problem.kind === 'depth') throw new RequestErrors.NESTED_TOO_DEEP(where, MAX_NESTING)
    if (problem.kind === 'number') throw new RequestErrors.NUMBER_INVALID(where, problem.at)
    throw new RequestErrors.TEXT_INVALID(where, problem.at)
  }
}

export default fp(
  async function inputGuard(app: FastifyInstance) {
    app.addHook('preValidation', async (request) => check(request))
    app.addHook('preHandler', async (request) => check(request))
  },
  { name: 'crosswalk-input-guard' },
)

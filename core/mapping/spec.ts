// A mapping definition as given (REST body, GraphQL input, stored JSON) -> a spec with every
// default filled in. Structural problems come back as JSON pointers, so an editor can show each
// one at the field it names.
import { Value } from '@sinclair/typebox/value'
import { CronExpressionParser } from 'cron-parser'
import type { MappingProblem } from './errors.ts'
import { DEFAULT_MATCHING, MappingDefinition, type MappingDefinitionInput, type MappingSpec } from './schema.ts'

/** Structural problems of an input, at most `max` of them. */
export function structuralProblems(input: unknown, max = 50): MappingProblem[] {
  const problems: MappingProblem[] = []
  for (const error of Value.Errors(MappingDefinition, input)) {
    // a union reports every branch; the one-line summary of the union error is enough
    if (problems.some((p) => p.pointer === error.path)) continue
    problems.push({
      pointer: error.path,
      message: describe(error.message, error.value, error.schema as { description?: string }),
    })
    if (problems.length >= max) break
  }
  return problems
}

function describe(message: string, value: unknown, schema: { description?: string }): string {
  const shown = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 80)
  return `${message} (got ${shown})${schema.description ? `; ${schema.description}` : ''}`
}

/** Defaults filled in; the input must have passed structuralProblems. */
export function toSpec(input: MappingDefinitionInput): MappingSpec {
  const base = Value.Default(MappingDefinition, structuredClone(input)) as MappingDefinitionInput
  return {
    ...base,
    enabled: base.enabled ?? true,
    mode: base.mode ?? 'conservative',
    relations: base.relations ?? [],
    matching: {
      rules: base.matching?.rules ?? DEFAULT_MATCHING.rules,
      ignoreCase: base.matching?.ignoreCase ?? true,
      collapseWhitespace: base.matching?.collapseWhitespace ?? true,
    },
    deletion: { maxRatio: base.deletion?.maxRatio ?? 0.5, refuseEmptySource: base.deletion?.refuseEmptySource ?? true },
    schedule: {
      cron: base.schedule?.cron === undefined ? '0 0 * * *' : base.schedule.cron,
      timezone: base.schedule?.timezone ?? 'UTC',
    },
    events: {
      partialSync: base.events?.partialSync ?? 'full',
      shortBuffering: base.events?.shortBuffering ?? false,
      batchSize: base.events?.batchSize ?? 5000,
      batchMinutes: base.events?.batchMinutes ?? 15,
    },
  }
}

/** Problems of the spec that need no connection: schedule, names, duplicate relations. */
export function specProblems(spec: MappingSpec): MappingProblem[] {
  const problems: MappingProblem[] = []
  if (spec.schedule.cron !== null) {
    try {
      CronExpressionParser.parse(spec.schedule.cron, { tz: spec.schedule.timezone })
      if (spec.schedule.cron.trim().split(/\s+/).length !== 5) {
        problems.push({
          pointer: '/schedule/cron',
          message: 'give 5 fields: minute hour day-of-month month day-of-week',
        })
      }
    } catch (error) {
      problems.push({ pointer: '/schedule', message: `not a valid cron schedule: ${(error as Error).message}` })
    }
  }
  const keys = new Map<string, number>()
  spec.fields.forEach((f, i) => {
    if (!('id' in f) || !f.id) return
    const prior = keys.get(f.id)
    if (prior !== undefined)
      problems.push({ pointer: `/fields/${i}/id`, message: `id "${f.id}" is also used at /fields/${prior}` })
    keys.set(f.id, i)
  })
  if (spec.source.connectionId === spec.target.connectionId && spec.source.entity === spec.target.entity) {
    problems.push({
      pointer: '/target/entity',
      message: 'source and target are the same entity of the same connection',
    })
  }
  return problems
}

// A mapping definition as given (REST body, GraphQL input, stored JSON) -> a spec with every
// default filled in. Structural problems come back as JSON pointers, so an editor can show each
// one at the field it names.
import { Value } from 'typebox/value'
import { CronExpressionParser } from 'cron-parser'
import type { MappingProblem } from './errors.ts'
import { schemaErrors, type SchemaError } from '../schema/errors.ts'
import type { JsonSchema } from '../schema/json-schema.ts'
import { DEFAULT_MATCHING, MappingDefinition, type MappingDefinitionInput, type MappingSpec } from './schema.ts'

/** Structural problems of an input, at most `max` of them. */
export function structuralProblems(input: unknown, max = 50): MappingProblem[] {
  // defaults first, as the REST validator applies them: a missing `enabled` is no problem
  const withDefaults = Value.Default(MappingDefinition, structuredClone(input))
  const problems: MappingProblem[] = []
  collect(schemaErrors(MappingDefinition, withDefaults), problems, max)
  return problems
}

/** Discriminating properties of the model's unions: field mappings by `type`, relation sides by `kind`. */
const DISCRIMINATORS = ['type', 'kind'] as const

function collect(errors: SchemaError[], problems: MappingProblem[], max: number): void {
  for (const error of errors) {
    if (problems.length >= max) return
    if (error.keyword === 'anyOf') {
      // a union reports every branch; only the branch the value names is meant
      const chosen = chosenBranch(error)
      if (chosen !== undefined) {
        collect(error.branches[chosen] ?? [], problems, max)
        continue
      }
      if (problems.some((p) => p.pointer === error.path)) continue
      problems.push({ pointer: error.path, message: unionMessage(error) })
      continue
    }
    if (problems.some((p) => p.pointer === error.path)) continue
    problems.push({ pointer: error.path, message: describe(error.message, error.value, error.schema) })
  }
}

function branchesOf(error: SchemaError): JsonSchema[] {
  return error.schema.anyOf ?? []
}

function chosenBranch(error: SchemaError): number | undefined {
  const value = error.value
  if (typeof value !== 'object' || value === null) return undefined
  for (const key of DISCRIMINATORS) {
    const named = (value as Record<string, unknown>)[key]
    if (named === undefined) continue
    const index = branchesOf(error).findIndex((b) => b.properties?.[key]?.const === named)
    if (index >= 0) return index
  }
  return undefined
}

function unionMessage(error: SchemaError): string {
  for (const key of DISCRIMINATORS) {
    const names = branchesOf(error)
      .map((b) => b.properties?.[key]?.const)
      .filter((c): c is string => typeof c === 'string')
    if (names.length > 0) {
      const value = error.value as Record<string, unknown> | null
      const got = typeof value === 'object' && value !== null ? JSON.stringify(value[key]) : JSON.stringify(value)
      return `"${key}" must be one of ${names.join(', ')} (got ${got?.slice(0, 80) ?? 'nothing'})`
    }
  }
  return describe(error.message, error.value, error.schema)
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
  for (const side of ['source', 'target'] as const) {
    const rules = new Map<string, number>()
    spec[side].graphRules?.forEach((r, i) => {
      const prior = rules.get(r.rule)
      if (prior !== undefined) {
        problems.push({
          pointer: `/${side}/graphRules/${i}/rule`,
          message: `rule ${r.rule} is also applied at /${side}/graphRules/${prior}; give it once (a record passes when any rule lets it through)`,
        })
      }
      rules.set(r.rule, i)
    })
  }
  if (spec.source.connectionId === spec.target.connectionId && spec.source.entity === spec.target.entity) {
    problems.push({
      pointer: '/target/entity',
      message: 'source and target are the same entity of the same connection',
    })
  }
  return problems
}

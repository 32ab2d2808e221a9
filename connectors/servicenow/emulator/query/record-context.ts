// The evaluation context the shared encoded-query evaluator needs, answered from the emulator's
// schema and stores: field existence (unknown fields are dropped like the platform does), field
// types, references for dot-walks, the class hierarchy for INSTANCEOF, and counts of related rows
// for RLQUERY and JOIN terms (one pass over the other table per distinct subquery, memoised for
// the whole evaluation).
import {
  matchesEncodedQuery,
  printEncodedQuery,
  type EncodedQuery,
  type EvaluationContext,
  type ServiceNowRecord,
} from '../../encoded-query/index.ts'
import type { Instance } from '../instance/instance.ts'
import { matchReferencesByDisplay } from './reference-display.ts'

export function recordContext(
  instance: Instance,
  table: string,
  extra: Partial<EvaluationContext> = {},
): EvaluationContext {
  const schema = instance.schema
  const { table: _ignored, ...shared } = extra
  const related = new Map<string, Map<string, number>>()
  const ctx: EvaluationContext = {
    ...extra,
    table,
    hasField: (t, field) => (t ? (schema.table(t)?.fields.has(field) ?? false) : false),
    fieldType: (t, field) => (t ? schema.table(t)?.fields.get(field)?.type : undefined),
    referenceTableOf: (t, field) => (t ? schema.table(t)?.fields.get(field)?.reference : undefined),
    isInstanceOf: (className, ancestor) => className === ancestor || schema.isA(className, ancestor),
    deref: (t, field, value): ServiceNowRecord | undefined => {
      const target = t ? schema.table(t)?.fields.get(field)?.reference : undefined
      const ref = target ? instance.get(target, value) : undefined
      return ref ? instance.values(ref) : undefined
    },
    countRelated: (other, field, value, query) => {
      const key = `${other}\u0000${field}\u0000${printEncodedQuery(query)}`
      let counts = related.get(key)
      if (!counts) {
        counts = countsBy(instance, other, field, query, shared)
        related.set(key, counts)
      }
      return counts.get(value) ?? 0
    },
  }
  return ctx
}

/** rows of `table` matching `query`, counted by their value of `field` (a table that does not exist has none) */
function countsBy(
  instance: Instance,
  table: string,
  field: string,
  query: EncodedQuery,
  shared: Partial<EvaluationContext>,
): Map<string, number> {
  const counts = new Map<string, number>()
  const t = instance.schema.table(table)
  if (!t || !t.fields.has(field)) return counts
  const ctx = recordContext(instance, table, shared)
  const resolved = matchReferencesByDisplay(instance.schema, table, query)
  const store = instance.storeOf(t)
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    const cls = instance.classOf(store, row)
    if (cls !== table && !instance.schema.isA(cls, table)) continue
    const ref = { table: cls, store, row }
    if (resolved.groups.length > 0 && !matchesEncodedQuery(resolved, instance.values(ref), ctx)) continue
    const v = store.value(row, field)
    if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  return counts
}

// The evaluation context the shared encoded-query evaluator needs, answered from the emulator's
// schema and stores: field existence (unknown fields are dropped like the platform does), field
// types, references for dot-walks, and the class hierarchy for INSTANCEOF.
import type { EncodedQuery } from '../../encoded-query/ast.ts'
import type { EvaluationContext, ServiceNowRecord } from '../../encoded-query/evaluator.ts'
import { FIELD_COMPARISON_OPERATORS } from '../../encoded-query/operators.ts'
import type { Instance } from '../instance/instance.ts'

/** first-hop field names a query reads: only these are copied out of a row before evaluating it */
export function referencedFields(query: EncodedQuery): string[] {
  const out = new Set<string>()
  for (const g of query.groups)
    for (const c of g.clauses)
      for (const term of c.terms) {
        if (term.kind !== 'condition') continue
        out.add(term.field.split('.')[0] as string)
        if (FIELD_COMPARISON_OPERATORS.has(term.operator))
          out.add((term.value.split('@')[0] ?? '').split('.')[0] as string)
      }
  return [...out].filter((f) => f !== '')
}

export function recordContext(
  instance: Instance,
  table: string,
  extra: Partial<EvaluationContext> = {},
): EvaluationContext {
  const schema = instance.schema
  return {
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
  }
}

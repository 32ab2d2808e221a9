// The evaluation context the shared encoded-query evaluator needs, answered from the emulator's
// schema and stores: field existence (unknown fields are dropped like the platform does), field
// types, references for dot-walks, and the class hierarchy for INSTANCEOF.
import type { EvaluationContext, ServiceNowRecord } from '../../encoded-query/index.ts'
import type { Instance } from '../instance/instance.ts'

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

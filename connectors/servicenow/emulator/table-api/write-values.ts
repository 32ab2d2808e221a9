// Turning a write body into stored values: every value a string, system fields and unknown
// fields ignored, and with sysparm_input_display_value=true display values translated (choice
// label -> value, reference display value -> sys_id).
import type { Instance } from '../instance/instance.ts'
import { SYS_ID_PATTERN } from '../instance/sys-id.ts'
import type { RecordValues } from '../instance/instance.ts'
import type { FieldDef } from '../schema/types.ts'

export function toStoredString(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  if (typeof v === 'object' && 'value' in (v as Record<string, unknown>))
    return toStoredString((v as { value: unknown }).value)
  return JSON.stringify(v)
}

export function writeValues(
  instance: Instance,
  table: string,
  body: Record<string, unknown>,
  inputDisplayValue: boolean,
): RecordValues {
  const t = instance.table(table)
  const out: RecordValues = {}
  for (const [k, raw] of Object.entries(body)) {
    const def = t.fields.get(k)
    if (!def || k.startsWith('sys_')) continue
    const v = toStoredString(raw)
    out[k] = inputDisplayValue ? fromDisplay(instance, def, v) : v
  }
  return out
}

function fromDisplay(instance: Instance, def: FieldDef, v: string): string {
  if (v === '') return ''
  if (def.type === 'choice') return def.choices?.find((c) => c.label === v)?.value ?? v
  if (def.type === 'reference' && def.reference) {
    if (SYS_ID_PATTERN.test(v) && instance.get(def.reference, v)) return v
    return findByDisplay(instance, def.reference, v) ?? v
  }
  return v
}

function findByDisplay(instance: Instance, table: string, display: string): string | undefined {
  const t = instance.table(table)
  if (!t.displayField) return undefined
  const store = instance.storeOf(t)
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    if (store.value(row, t.displayField) === display && instance.schema.isA(instance.classOf(store, row), table)) {
      return store.value(row, 'sys_id')
    }
  }
  return undefined
}

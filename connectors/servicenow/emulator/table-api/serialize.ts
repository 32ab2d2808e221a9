// Records as the Table API returns them: every value a string, reference fields in the six
// shapes of the sysparm_display_value x sysparm_exclude_reference_link matrix (docs/reference/servicenow.md §1.3),
// dot-walked fields as flat keys, links built from the instance's configured base URL.
import type { Instance, RecordRef } from '../instance/instance.ts'
import type { FieldDef } from '../schema/types.ts'
import { displayDate, displayDateTime, SYSTEM_DATE_DISPLAY, type DateDisplay } from './date-display.ts'
import type { DisplayValueMode } from './params.ts'

export const PASSWORD_MASK = '********'

export interface SerializeOptions {
  displayValue: DisplayValueMode
  excludeReferenceLink: boolean
  /** e.g. https://dev12345.service-now.com, never the request's Host (glide.rest.replace_request_host_with_property) */
  baseUrl: string
  /** catalog variables of requested items, for `variables.<name>` in sysparm_fields */
  itemVariables?: Pick<ReadonlyMap<string, Record<string, string>>, 'get'>
}

export type ApiValue = string | Record<string, string>

interface FieldPlan {
  key: string
  path: string
  /** the field definition as seen from the queried table; undefined for dot-walks */
  def: FieldDef | undefined
  /** `variables.<name>` on a requested item: the catalog variable of that name */
  variable?: string
}

/**
 * The columns of an answer: the requested ones that exist (unknown names are ignored, dot-walks
 * kept when every hop resolves), or every field of the queried table.
 */
export function planFields(instance: Instance, table: string, requested: string[] | undefined): FieldPlan[] {
  const t = instance.table(table)
  if (!requested) return t.fieldNames.map((n) => ({ key: n, path: n, def: t.fields.get(n) }))
  const plans: FieldPlan[] = []
  const seen = new Set<string>()
  for (const name of requested) {
    if (seen.has(name)) continue
    if (name.startsWith('variables.') && instance.schema.isA(table, 'sc_req_item')) {
      plans.push({ key: name, path: name, def: undefined, variable: name.slice('variables.'.length) })
    } else if (!name.includes('.')) {
      const def = t.fields.get(name)
      if (def) plans.push({ key: name, path: name, def })
    } else if (resolvesStatically(instance, table, name)) {
      plans.push({ key: name, path: name, def: undefined })
    }
    seen.add(name)
  }
  return plans
}

/** does every hop of a dot-walk name a field (and every hop but the last a reference)? */
export function resolvesStatically(instance: Instance, table: string, path: string): boolean {
  let cur = instance.schema.table(table)
  const parts = path.split('.')
  for (let i = 0; i < parts.length; i++) {
    const def = cur?.fields.get(parts[i] as string)
    if (!def) return false
    if (i < parts.length - 1) {
      if (def.type !== 'reference' || !def.reference) return false
      cur = instance.schema.table(def.reference)
    }
  }
  return true
}

/** per-request memo of reference display values (pages repeat the same targets), with the user's date settings */
export class DisplayCache {
  private readonly cache = new Map<string, string>()
  private readonly instance: Instance
  readonly dates: DateDisplay
  constructor(instance: Instance, dates: DateDisplay = SYSTEM_DATE_DISPLAY) {
    this.instance = instance
    this.dates = dates
  }

  reference(table: string, sysId: string): string {
    const key = `${table}\u0000${sysId}`
    let v = this.cache.get(key)
    if (v === undefined) {
      v = referenceDisplay(this.instance, table, sysId)
      this.cache.set(key, v)
    }
    return v
  }
}

export function referenceDisplay(instance: Instance, table: string, sysId: string): string {
  const target = instance.get(table, sysId)
  if (!target) return ''
  const t = instance.table(target.table)
  return t.displayField ? target.store.value(target.row, t.displayField) : ''
}

/** the display value of one stored value of a field */
export function displayOf(instance: Instance, def: FieldDef, raw: string, cache: DisplayCache): string {
  if (raw === '') return ''
  switch (def.type) {
    case 'reference':
      return def.reference ? cache.reference(def.reference, raw) : raw
    case 'choice':
      return def.choices?.find((c) => c.value === raw)?.label ?? raw
    case 'sys_class_name':
      return instance.schema.table(raw)?.def.label ?? raw
    case 'glide_date_time':
      return displayDateTime(raw, cache.dates)
    case 'glide_date':
      return displayDate(raw, cache.dates)
    // a password is never shown: its display value is a mask
    case 'password':
      return PASSWORD_MASK
    default:
      return raw
  }
}

export function serializeValue(
  instance: Instance,
  def: FieldDef,
  raw: string,
  opts: SerializeOptions,
  cache: DisplayCache,
): ApiValue {
  const isRef = def.type === 'reference' && def.reference
  if (opts.displayValue === 'false') {
    if (!isRef || raw === '' || opts.excludeReferenceLink) return raw
    return { link: `${opts.baseUrl}/api/now/table/${def.reference}/${raw}`, value: raw }
  }
  const display = displayOf(instance, def, raw, cache)
  if (opts.displayValue === 'true') {
    if (!isRef || raw === '' || opts.excludeReferenceLink) return display
    return { display_value: display, link: `${opts.baseUrl}/api/now/table/${def.reference}/${raw}` }
  }
  if (isRef && raw !== '' && !opts.excludeReferenceLink) {
    return { display_value: display, link: `${opts.baseUrl}/api/now/table/${def.reference}/${raw}`, value: raw }
  }
  return { display_value: display, value: raw }
}

export function serializeRecord(
  instance: Instance,
  ref: RecordRef,
  plans: readonly FieldPlan[],
  opts: SerializeOptions,
  cache: DisplayCache,
): Record<string, ApiValue> {
  const out: Record<string, ApiValue> = {}
  for (const p of plans) {
    if (p.variable !== undefined) {
      const v = opts.itemVariables?.get(ref.store.value(ref.row, 'sys_id'))?.[p.variable] ?? ''
      out[p.key] = opts.displayValue === 'all' ? { display_value: v, value: v } : v
      continue
    }
    if (p.def) {
      out[p.key] = serializeValue(instance, p.def, ref.store.value(ref.row, p.path), opts, cache)
      continue
    }
    const hop = instance.walk(ref, p.path)
    if (!hop) {
      out[p.key] = opts.displayValue === 'all' ? { display_value: '', value: '' } : ''
      continue
    }
    out[p.key] = serializeValue(instance, hop.def, hop.ref.store.value(hop.ref.row, hop.field), opts, cache)
  }
  return out
}

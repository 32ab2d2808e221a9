// Tables and columns made the way an admin makes them on an instance: by writing sys_db_object
// and sys_dictionary records (and sys_choice records for such a column's choices). A write to
// them is planned before it happens (refused with the reason, which the Table API answers as a
// failed insert/update/delete) and applied to the schema once the record is written; the record itself stays the table's or column's dictionary
// row (schema/dictionary-rows.ts derives none for it). `rebuildSchemaFromRecords` makes the same
// schema again from records put back by persistence.
import type { Instance, RecordValues } from '../instance/instance.ts'
import { SYS_ID_PATTERN } from '../instance/sys-id.ts'
import { SYSTEM_FIELD_NAMES } from './system-fields.ts'
import { FIELD_TYPES, type FieldDef, type FieldType, type TableDef } from './types.ts'

/** a dictionary write the platform would refuse; the message is the answer's detail */
export class DictionaryRefusal extends Error {}

export interface DictionaryWrite {
  /** the values to write: the caller's, with what the platform fills in */
  values: RecordValues
  /** applies the change to the schema; called after the record was written (before, for a delete) */
  apply(sysId: string): void
}

export type DictionaryOperation = 'insert' | 'update' | 'delete'

export const DICTIONARY_TABLES: ReadonlySet<string> = new Set(['sys_db_object', 'sys_dictionary', 'sys_choice'])

/** a table or column name as the platform's database takes it */
const NAME = /^[a-z][a-z0-9_]{0,79}$/
/** custom names: u_ in the global scope, x_<vendor>_<app>_ in a scoped application */
const SCOPED = /^x_[a-z0-9]+_[a-z0-9]+_[a-z0-9_]+$/
const isCustomName = (name: string): boolean => name.startsWith('u_') || SCOPED.test(name)

const KNOWN_TYPES: ReadonlySet<string> = new Set([...FIELD_TYPES, 'GUID', 'table_name', 'password'])
/** other internal types the emulator stores as the nearest type it knows (the row keeps the original) */
const TYPE_ALIASES: Readonly<Record<string, FieldType>> = {
  longint: 'integer',
  float: 'decimal',
  price: 'currency',
  due_date: 'glide_date_time',
}
const fieldTypeOf = (internalType: string): FieldType =>
  KNOWN_TYPES.has(internalType) ? (internalType as FieldType) : (TYPE_ALIASES[internalType] ?? 'string')

const SYSTEM_COLUMNS: ReadonlySet<string> = new Set([...SYSTEM_FIELD_NAMES, 'sys_class_name'])

const refuse = (detail: string): never => {
  throw new DictionaryRefusal(detail)
}

/**
 * The plan of a write to sys_db_object or sys_dictionary (undefined for other tables). Throws
 * DictionaryRefusal when the platform would refuse it. `values` are the body's stored values;
 * `existing` the record before an update or delete.
 */
export function planDictionaryWrite(
  instance: Instance,
  operation: DictionaryOperation,
  table: string,
  values: RecordValues,
  existing?: RecordValues,
): DictionaryWrite | undefined {
  if (table === 'sys_db_object') return planTableWrite(instance, operation, values, existing)
  if (table === 'sys_dictionary') return planColumnWrite(instance, operation, values, existing)
  if (table === 'sys_choice') {
    const row = { ...existing, ...values }
    return { values, apply: () => refreshChoices(instance, row.name ?? '', row.element ?? '') }
  }
  return undefined
}

/** the table a reference to sys_db_object names: a sys_id, or leniently the table's name */
function tableNameOf(instance: Instance, value: string): string | undefined {
  if (value === '') return undefined
  if (SYS_ID_PATTERN.test(value)) {
    const ref = instance.get('sys_db_object', value)
    if (ref) return instance.value(ref, 'name')
  }
  return instance.schema.has(value) ? value : undefined
}

function tableSysIdOf(instance: Instance, name: string): string {
  const store = instance.storeOf(instance.table('sys_db_object'))
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    if (store.value(row, 'name') === name) return store.value(row, 'sys_id')
  }
  return ''
}

type Planner = (
  instance: Instance,
  operation: DictionaryOperation,
  values: RecordValues,
  existing: RecordValues | undefined,
) => DictionaryWrite

const planTableWrite: Planner = (instance, operation, values, existing) => {
  const schema = instance.schema
  if (operation === 'update') {
    const before = existing as RecordValues
    for (const key of ['name', 'super_class', 'is_extendable'])
      if (values[key] !== undefined && values[key] !== before[key])
        refuse(`Changing ${key} of table ${before.name} is not supported`)
    return { values, apply: () => {} }
  }
  if (operation === 'delete') {
    const name = (existing as RecordValues).name ?? ''
    const def = schema.table(name)?.def
    if (!def) return { values, apply: () => {} }
    if (!isCustomName(name)) refuse(`Table ${name} is not a custom table and cannot be deleted`)
    if (schema.descendants(name).length > 1) refuse(`Table ${name} is extended by other tables`)
    return { values, apply: () => dropTable(instance, name) }
  }
  const name = values.name ?? ''
  if (!NAME.test(name))
    refuse(`Invalid table name "${name}": lowercase letters, digits and underscores, at most 80 characters`)
  if (!isCustomName(name)) refuse(`Invalid table name "${name}": a custom table name starts with u_ or x_<scope>_`)
  if (schema.has(name)) refuse(`Table ${name} already exists`)
  const superClass = tableNameOf(instance, values.super_class ?? '')
  if (values.super_class && (!superClass || !schema.has(superClass)))
    refuse(`Extended table ${values.super_class} does not exist`)
  if (superClass && !schema.table(schema.table(superClass)?.root ?? '')?.def.extensible)
    refuse(`Table ${superClass} is not extensible`)
  const extensible = superClass !== undefined || values.is_extendable === 'true'
  const filled: RecordValues = {
    ...values,
    label: values.label || name,
    super_class: superClass ? tableSysIdOf(instance, superClass) : '',
    is_extendable: String(extensible),
    sys_scope: values.sys_scope || (name.startsWith('x_') ? name.split('_').slice(0, 3).join('_') : 'global'),
  }
  return {
    values: filled,
    apply: (sysId) => schema.addTable(tableDefOf(filled, superClass, sysId)),
  }
}

const tableDefOf = (row: RecordValues, superClass: string | undefined, sysId: string): TableDef => ({
  name: row.name ?? '',
  label: row.label || (row.name ?? ''),
  ...(superClass ? { superClass } : row.is_extendable === 'true' ? { extensible: true } : {}),
  recordSysId: sysId,
  fields: [],
})

function dropTable(instance: Instance, name: string): void {
  for (const ref of instance.sample(name, Number.POSITIVE_INFINITY)) instance.delete(name, ref.sys_id ?? '')
  for (const dictionaryTable of ['sys_dictionary', 'sys_choice']) {
    const store = instance.storeOf(instance.table(dictionaryTable))
    const ids: string[] = []
    for (let i = 0; i < store.size; i++) {
      const row = store.at(i) as string[]
      if (store.value(row, 'name') === name) ids.push(store.value(row, 'sys_id'))
    }
    for (const id of ids) instance.delete(dictionaryTable, id)
  }
  instance.schema.removeTable(name)
}

/** a custom column (u_, x_<scope>_, or any but the system ones on a scoped table) can be made, retyped and dropped */
const isCustomColumn = (table: string, element: string): boolean =>
  !SYSTEM_COLUMNS.has(element) && (isCustomName(element) || SCOPED.test(table))

const planColumnWrite: Planner = (instance, operation, values, existing) => {
  const schema = instance.schema
  if (operation === 'delete') {
    const { name: table = '', element = '' } = existing as RecordValues
    const own = schema.table(table)?.def.fields.find((f) => f.name === element)
    if (element === '' && schema.has(table)) refuse(`The collection entry of ${table} goes with its table`)
    if (!own) return { values, apply: () => {} }
    if (!isCustomColumn(table, element)) refuse(`Column ${element} of ${table} is not a custom column`)
    return { values, apply: () => dropColumn(instance, table, element) }
  }
  const row: RecordValues = { ...existing, ...values }
  const table = row.name ?? ''
  const element = row.element ?? ''
  if (operation === 'update') {
    const before = existing as RecordValues
    if (table !== before.name || element !== before.element)
      refuse(`Changing the table or column name of ${before.name}.${before.element} is not supported`)
    const own = schema.table(table)?.def.fields.find((f) => f.name === element)
    if (!own) return { values, apply: () => {} }
    const custom = isCustomColumn(table, element)
    if (!custom && (row.internal_type !== before.internal_type || row.reference !== before.reference))
      refuse(`The type of column ${element} of ${table} cannot be changed`)
    const reference = custom ? checkReference(instance, row) : own.reference
    return {
      values: reference === undefined ? values : { ...values, reference },
      apply: () =>
        schema.updateField(
          table,
          custom ? fieldOf({ ...row, reference: reference ?? '' }, own.recordSysId) : mergeFlags(own, row),
        ),
    }
  }
  if (!schema.has(table)) refuse(`Table ${table || '(empty)'} does not exist`)
  if (!NAME.test(element))
    refuse(`Invalid column name "${element}": lowercase letters, digits and underscores, at most 80 characters`)
  if (!isCustomColumn(table, element))
    refuse(`Invalid column name "${element}": a custom column name starts with u_ or x_<scope>_`)
  if (schema.descendants(table).some((t) => schema.table(t)?.fields.has(element)))
    refuse(`Column ${element} already exists on ${table}`)
  const internalType = row.internal_type || 'string'
  const reference = checkReference(instance, { ...row, internal_type: internalType })
  const filled: RecordValues = {
    ...values,
    internal_type: internalType,
    column_label: row.column_label || element,
    max_length: row.max_length || (internalType === 'reference' ? '32' : '40'),
    reference: reference ?? '',
    choice: row.choice || '0',
    active: row.active || 'true',
  }
  return { values: filled, apply: (sysId) => schema.addField(table, fieldOf(filled, sysId)) }
}

/** a reference column's target table by name; undefined for other types */
function checkReference(instance: Instance, row: RecordValues): string | undefined {
  if (row.internal_type !== 'reference') return undefined
  const target = tableNameOf(instance, row.reference ?? '')
  if (!target || !instance.schema.has(target))
    refuse(`Reference column ${row.element} needs an existing table, not "${row.reference ?? ''}"`)
  return target
}

const fieldOf = (row: RecordValues, sysId: string | undefined): FieldDef => {
  const type = fieldTypeOf(row.internal_type || 'string')
  const maxLength = Number(row.max_length)
  return {
    name: row.element ?? '',
    label: row.column_label || (row.element ?? ''),
    type,
    ...(type === 'reference' && row.reference ? { reference: row.reference } : {}),
    ...(Number.isInteger(maxLength) && maxLength > 0 ? { maxLength } : {}),
    ...(row.mandatory === 'true' ? { mandatory: true } : {}),
    ...(row.read_only === 'true' ? { readOnly: true } : {}),
    ...(row.default_value ? { defaultValue: row.default_value } : {}),
    ...(sysId ? { recordSysId: sysId } : {}),
  }
}

/** a base column keeps its type and length; its label and flags follow its record */
const mergeFlags = (field: FieldDef, row: RecordValues): FieldDef => ({
  name: field.name,
  type: field.type,
  label: row.column_label || field.label,
  ...(field.reference ? { reference: field.reference } : {}),
  ...(field.choices ? { choices: field.choices } : {}),
  ...(field.maxLength ? { maxLength: field.maxLength } : {}),
  ...(row.mandatory === 'true' ? { mandatory: true } : {}),
  ...(row.read_only === 'true' ? { readOnly: true } : {}),
  ...(row.default_value ? { defaultValue: row.default_value } : {}),
})

/** a column made from a record takes its choices from the sys_choice records (English, active, by sequence) */
function refreshChoices(instance: Instance, table: string, element: string): void {
  const field = instance.schema.table(table)?.def.fields.find((f) => f.name === element)
  if (!field?.recordSysId) return
  const choices = instance
    .sample('sys_choice', Number.POSITIVE_INFINITY)
    .filter((c) => c.name === table && c.element === element && c.language === 'en' && c.inactive !== 'true')
    .sort((a, b) => Number(a.sequence) - Number(b.sequence))
    .map((c) => ({ value: c.value ?? '', label: c.label || (c.value ?? '') }))
  const next: FieldDef = { ...field, choices }
  if (choices.length === 0) delete next.choices
  instance.schema.updateField(table, next)
}

/** the platform drops a deleted column's data: a column made again later starts empty */
function dropColumn(instance: Instance, table: string, element: string): void {
  const t = instance.table(table)
  const store = instance.storeOf(t)
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    if (instance.schema.isA(instance.classOf(store, row), table)) store.set(row, element, '')
  }
  instance.schema.removeField(table, element)
}

/**
 * After persistence put records back: the tables and columns their sys_db_object and
 * sys_dictionary records describe, made again (tables parent first, then columns). Changed labels
 * and flags of base columns are not applied again.
 */
export function rebuildSchemaFromRecords(instance: Instance): void {
  const schema = instance.schema
  const tables = instance.sample('sys_db_object', Number.POSITIVE_INFINITY).filter((r) => !schema.has(r.name ?? ''))
  for (let progress = true; progress && tables.length > 0;) {
    progress = false
    for (const [i, row] of [...tables.entries()].reverse()) {
      const superClass = tableNameOf(instance, row.super_class ?? '')
      if (row.super_class && (!superClass || !schema.has(superClass))) continue
      schema.addTable(tableDefOf(row, superClass, row.sys_id ?? ''))
      tables.splice(i, 1)
      progress = true
    }
  }
  for (const row of instance.sample('sys_dictionary', Number.POSITIVE_INFINITY)) {
    const table = row.name ?? ''
    const element = row.element ?? ''
    const t = schema.table(table)
    if (!t || element === '') continue
    const own = t.def.fields.find((f) => f.name === element)
    if (!own && !t.fields.has(element)) schema.addField(table, fieldOf(row, row.sys_id))
    else if (own?.recordSysId) schema.updateField(table, fieldOf(row, own.recordSysId))
    refreshChoices(instance, table, element)
  }
}

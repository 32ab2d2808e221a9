// Rows of sys_db_object, sys_dictionary and sys_choice derived from the table definitions, so a
// client that discovers the schema the platform way sees exactly what the emulator enforces.
// sys_ids are derived from the names, so they are stable across runs and seeds.
import { createHash } from 'node:crypto'
import type { RecordValues } from '../instance/instance.ts'
import type { Schema } from './schema.ts'

export const stableSysId = (...parts: string[]): string => createHash('md5').update(parts.join('\u0000')).digest('hex')

export const tableSysId = (table: string): string => stableSysId('sys_db_object', table)

export interface DictionaryRows {
  sys_db_object: RecordValues[]
  sys_dictionary: RecordValues[]
  sys_choice: RecordValues[]
}

/**
 * the dictionary rows describing one table: its own (not inherited) columns, like the platform.
 * A table or column made by inserting a sys_db_object / sys_dictionary record has that record as
 * its row, so none is derived for it (the collection entry, system columns and choices still are).
 */
export function dictionaryRowsFor(schema: Schema, table: string): DictionaryRows {
  const t = schema.table(table)
  if (!t) return { sys_db_object: [], sys_dictionary: [], sys_choice: [] }
  const def = t.def
  const isRoot = !def.superClass
  const tableRow: RecordValues = {
    sys_id: tableSysId(table),
    name: table,
    label: def.label,
    super_class: def.superClass ? tableSysId(def.superClass) : '',
    is_extendable: String(Boolean(schema.table(t.root)?.def.extensible)),
    number_ref: def.numberPrefix ?? '',
    sys_scope: 'global',
  }
  // a root owns the system columns; a child table only its own columns
  const ownFields = isRoot ? [...t.fields.values()] : def.fields
  const dictionary: RecordValues[] = [
    {
      sys_id: stableSysId('sys_dictionary', table, ''),
      name: table,
      element: '',
      column_label: def.label,
      internal_type: 'collection',
      active: 'true',
    },
  ]
  const choices: RecordValues[] = []
  for (const f of ownFields) {
    if (f.recordSysId) continue
    dictionary.push({
      sys_id: stableSysId('sys_dictionary', table, f.name),
      name: table,
      element: f.name,
      column_label: f.label,
      internal_type: f.type === 'choice' ? 'string' : f.type,
      reference: f.reference ?? '',
      max_length: String(f.maxLength ?? (f.type === 'reference' ? 32 : 40)),
      choice: f.choices ? '3' : '0',
      mandatory: String(Boolean(f.mandatory)),
      read_only: String(Boolean(f.readOnly)),
      display: String(t.displayField === f.name && def.displayField === f.name),
      active: 'true',
      default_value: f.defaultValue ?? '',
    })
    f.choices?.forEach((c, i) =>
      choices.push({
        sys_id: stableSysId('sys_choice', table, f.name, c.value),
        name: table,
        element: f.name,
        value: c.value,
        label: c.label,
        sequence: String(i * 10),
        language: 'en',
        inactive: 'false',
      }),
    )
  }
  return { sys_db_object: def.recordSysId ? [] : [tableRow], sys_dictionary: dictionary, sys_choice: choices }
}

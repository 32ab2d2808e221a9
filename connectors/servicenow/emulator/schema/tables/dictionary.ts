// The dictionary tables. Their rows are generated from the table definitions (see
// schema/dictionary-rows.ts) so that a client discovering fields sees the same schema the
// emulator enforces.
import { bool, int, ref, str } from '../field-builders.ts'
import type { TableDef } from '../types.ts'

export const dictionaryTables: TableDef[] = [
  {
    name: 'sys_db_object',
    label: 'Table',
    displayField: 'name',
    fields: [
      str('name', 'Name', 80),
      str('label', 'Label', 80),
      ref('super_class', 'Extends table', 'sys_db_object'),
      bool('is_extendable', 'Extensible'),
      str('number_ref', 'Auto number', 40),
      str('sys_scope', 'Application', 40),
    ],
  },
  {
    name: 'sys_dictionary',
    label: 'Dictionary Entry',
    displayField: 'column_label',
    fields: [
      str('name', 'Table', 80),
      str('element', 'Column name', 80),
      str('column_label', 'Column label', 80),
      str('internal_type', 'Type', 40),
      str('reference', 'Reference', 80),
      int('max_length', 'Max length'),
      int('choice', 'Choice'),
      bool('mandatory', 'Mandatory'),
      bool('read_only', 'Read only'),
      bool('display', 'Display'),
      bool('active', 'Active', 'true'),
      str('default_value', 'Default value', 512),
    ],
  },
  {
    name: 'sys_choice',
    label: 'Choices',
    displayField: 'label',
    fields: [
      str('name', 'Table', 80),
      str('element', 'Element', 80),
      str('value', 'Value', 100),
      str('label', 'Label', 100),
      int('sequence', 'Sequence'),
      // the platform fills in en: a choice inserted without a language is an English one
      { ...str('language', 'Language', 40), defaultValue: 'en' },
      bool('inactive', 'Inactive'),
    ],
  },
]

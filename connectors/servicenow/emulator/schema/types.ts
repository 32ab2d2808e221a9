// The shape of a table definition, modelled on the platform's own dictionary (sys_db_object +
// sys_dictionary + sys_choice) so the three system tables can be served from these definitions.

/** The dictionary `internal_type` values the emulator knows. */
export type FieldType =
  | 'GUID'
  | 'string'
  | 'integer'
  | 'decimal'
  | 'boolean'
  | 'glide_date_time'
  | 'glide_date'
  | 'reference'
  | 'choice'
  | 'sys_class_name'
  | 'table_name'
  | 'journal'
  | 'currency'
  /** one-way hashed (sys_user.user_password): stored as a hash, shown masked */
  | 'password'

/** the types a column made at run time can have (emulator admin API, sys_dictionary records) */
export const FIELD_TYPES: ReadonlySet<string> = new Set<FieldType>([
  'string',
  'integer',
  'decimal',
  'boolean',
  'glide_date_time',
  'glide_date',
  'reference',
  'choice',
  'journal',
  'currency',
])

export interface ChoiceDef {
  value: string
  label: string
}

export interface FieldDef {
  name: string
  label: string
  type: FieldType
  /** target table of a reference field */
  reference?: string
  choices?: ChoiceDef[]
  mandatory?: boolean
  maxLength?: number
  /** value written on insert when the body does not set the field */
  defaultValue?: string
  readOnly?: boolean
  /** set when the column was made by inserting this sys_dictionary record (the record is its row) */
  recordSysId?: string
}

export interface TableDef {
  name: string
  label: string
  /** parent table (sys_db_object.super_class) */
  superClass?: string
  /** extensible roots carry sys_class_name */
  extensible?: boolean
  /** the field whose value is the record's display value (sys_dictionary display=true) */
  displayField?: string
  /** auto-number prefix (sys_number), e.g. INC */
  numberPrefix?: string
  /** set when the table was made by inserting this sys_db_object record (the record is its row) */
  recordSysId?: string
  fields: FieldDef[]
}

// System fields every table carries; maintained by the instance, ignored in write bodies.
import type { FieldDef } from './types.ts'

export const SYSTEM_FIELD_NAMES = [
  'sys_id',
  'sys_created_on',
  'sys_created_by',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
  'sys_tags',
] as const

export const systemFields = (): FieldDef[] => [
  { name: 'sys_id', label: 'Sys ID', type: 'GUID', readOnly: true, maxLength: 32 },
  { name: 'sys_created_on', label: 'Created', type: 'glide_date_time', readOnly: true },
  { name: 'sys_created_by', label: 'Created by', type: 'string', readOnly: true, maxLength: 40 },
  { name: 'sys_updated_on', label: 'Updated', type: 'glide_date_time', readOnly: true },
  { name: 'sys_updated_by', label: 'Updated by', type: 'string', readOnly: true, maxLength: 40 },
  { name: 'sys_mod_count', label: 'Updates', type: 'integer', readOnly: true },
  { name: 'sys_tags', label: 'Tags', type: 'string', readOnly: true },
]

export const sysClassNameField = (): FieldDef => ({
  name: 'sys_class_name',
  label: 'Class',
  type: 'sys_class_name',
  readOnly: true,
  maxLength: 80,
})

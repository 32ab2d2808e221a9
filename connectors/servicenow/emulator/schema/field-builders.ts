// Compact constructors for field definitions, so the table files read like a dictionary listing.
import type { ChoiceDef, FieldDef } from './types.ts'

export const str = (name: string, label: string, maxLength = 255): FieldDef => ({
  name,
  label,
  type: 'string',
  maxLength,
})
export const int = (name: string, label: string, defaultValue?: string): FieldDef => ({
  name,
  label,
  type: 'integer',
  ...(defaultValue === undefined ? {} : { defaultValue }),
})
export const dec = (name: string, label: string): FieldDef => ({ name, label, type: 'decimal' })
export const bool = (name: string, label: string, defaultValue = 'false'): FieldDef => ({
  name,
  label,
  type: 'boolean',
  defaultValue,
})
export const dateTime = (name: string, label: string): FieldDef => ({ name, label, type: 'glide_date_time' })
export const date = (name: string, label: string): FieldDef => ({ name, label, type: 'glide_date' })
export const ref = (name: string, label: string, reference: string): FieldDef => ({
  name,
  label,
  type: 'reference',
  reference,
})
export const journal = (name: string, label: string): FieldDef => ({ name, label, type: 'journal' })

/** A choice field; `choices` are [value, label] pairs in display order. */
export const choice = (
  name: string,
  label: string,
  choices: Array<[string, string]>,
  defaultValue?: string,
): FieldDef => ({
  name,
  label,
  type: 'choice',
  choices: choices.map(([value, l]): ChoiceDef => ({ value, label: l })),
  ...(defaultValue === undefined ? {} : { defaultValue }),
})

// Turning a patch's string value into a typed field value, per meta-model field kind. Patch
// values are always strings on the wire (docs/reference/leanix.md §3.3/§3.4: JSON-encoded for complex fields).
import type { FieldDefinition } from '../meta-model.ts'
import type { ExternalIdValue, LifecycleValue } from './records.ts'

export class FieldValueError extends Error {}

const DATE = /^\d{4}-\d{2}-\d{2}$/

export function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown
  } catch {
    throw new FieldValueError(`value is not valid JSON: ${value.slice(0, 80)}`)
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function optionalString(object: Record<string, unknown>, key: string): string | null {
  const v = object[key]
  if (v === undefined || v === null || v === '') return null
  if (typeof v !== 'string') throw new FieldValueError(`"${key}" must be a string`)
  return v
}

export function parseLifecycle(value: string, definition: FieldDefinition): LifecycleValue {
  const parsed = parseJson(value)
  if (!isRecord(parsed) || !Array.isArray(parsed.phases)) {
    throw new FieldValueError('lifecycle must be {"phases":[{"phase":..,"startDate":"YYYY-MM-DD"}]}')
  }
  const allowed = definition.values ?? []
  const phases = parsed.phases.map((p: unknown) => {
    if (!isRecord(p) || typeof p.phase !== 'string' || typeof p.startDate !== 'string') {
      throw new FieldValueError('each lifecycle phase needs "phase" and "startDate"')
    }
    if (!allowed.includes(p.phase)) throw new FieldValueError(`unknown lifecycle phase "${p.phase}"`)
    if (!DATE.test(p.startDate)) throw new FieldValueError(`startDate "${p.startDate}" is not YYYY-MM-DD`)
    return { phase: p.phase, startDate: p.startDate }
  })
  const seen = new Set<string>()
  for (const p of phases) {
    if (seen.has(p.phase)) throw new FieldValueError(`lifecycle phase "${p.phase}" given twice`)
    seen.add(p.phase)
  }
  // Phases are kept in meta-model order, as LeanIX shows them.
  phases.sort((a, b) => allowed.indexOf(a.phase) - allowed.indexOf(b.phase))
  return { phases }
}

export interface ParsedExternalId {
  value: ExternalIdValue
  forceWrite: boolean
}

export function parseExternalId(value: string): ParsedExternalId {
  const parsed = parseJson(value)
  if (!isRecord(parsed)) throw new FieldValueError('an external id must be a JSON object')
  const externalId = optionalString(parsed, 'externalId')
  if (externalId === null) throw new FieldValueError('"externalId" is required')
  return {
    value: {
      externalId,
      externalUrl: optionalString(parsed, 'externalUrl'),
      comment: optionalString(parsed, 'comment'),
      status: optionalString(parsed, 'status'),
      externalVersion: optionalString(parsed, 'externalVersion'),
    },
    forceWrite: parsed.forceWrite === true,
  }
}

/**
 * A scalar or select value from its patch string. Selects take the key itself; multi-selects a
 * JSON array of keys; numbers their decimal text.
 */
export function parseFieldValue(value: string, definition: FieldDefinition): unknown {
  switch (definition.type) {
    case 'STRING':
      return value
    case 'INTEGER': {
      if (!/^-?\d+$/.test(value.trim())) throw new FieldValueError(`"${value}" is not an integer`)
      return Number(value)
    }
    case 'DOUBLE': {
      const n = Number(value)
      if (value.trim() === '' || !Number.isFinite(n)) throw new FieldValueError(`"${value}" is not a number`)
      return n
    }
    case 'SINGLE_SELECT': {
      if (!(definition.values ?? []).includes(value)) {
        throw new FieldValueError(`"${value}" is not one of ${(definition.values ?? []).join(', ')}`)
      }
      return value
    }
    case 'MULTIPLE_SELECT': {
      const parsed = parseJson(value)
      if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== 'string')) {
        throw new FieldValueError('a multiple select takes a JSON array of keys')
      }
      for (const v of parsed as string[]) {
        if (!(definition.values ?? []).includes(v)) {
          throw new FieldValueError(`"${v}" is not one of ${(definition.values ?? []).join(', ')}`)
        }
      }
      return [...new Set(parsed as string[])]
    }
    case 'LOCATION': {
      const parsed = parseJson(value)
      if (!isRecord(parsed)) throw new FieldValueError('a location must be a JSON object')
      return parsed
    }
    case 'LIFECYCLE':
      return parseLifecycle(value, definition)
    case 'EXTERNAL_ID':
      return parseExternalId(value).value
  }
}

/** Relation patch values: {"factSheetId":..,"description":..,"activeFrom":..,"activeUntil":.., <relation fields>} */
export function parseRelationValue(
  value: string,
  fieldDefinitions: Readonly<Record<string, FieldDefinition>>,
): {
  factSheetId: string | null
  description: string | null | undefined
  activeFrom: string | null | undefined
  activeUntil: string | null | undefined
  fields: Record<string, unknown>
} {
  const parsed = parseJson(value)
  if (!isRecord(parsed)) throw new FieldValueError('a relation value must be a JSON object')
  const fields: Record<string, unknown> = {}
  const dateOrNull = (key: string): string | null | undefined => {
    if (!(key in parsed)) return undefined
    const v = optionalString(parsed, key)
    if (v !== null && !DATE.test(v)) throw new FieldValueError(`"${key}" must be YYYY-MM-DD`)
    return v
  }
  for (const [key, raw] of Object.entries(parsed)) {
    if (['factSheetId', 'description', 'activeFrom', 'activeUntil'].includes(key)) continue
    const definition = fieldDefinitions[key]
    if (definition === undefined) throw new FieldValueError(`the relation has no field "${key}"`)
    if (raw === null) {
      fields[key] = null
      continue
    }
    const text = typeof raw === 'string' ? raw : JSON.stringify(raw)
    fields[key] = parseFieldValue(text, definition)
  }
  return {
    factSheetId: optionalString(parsed, 'factSheetId'),
    description: 'description' in parsed ? optionalString(parsed, 'description') : undefined,
    activeFrom: dateOrNull('activeFrom'),
    activeUntil: dateOrNull('activeUntil'),
    fields,
  }
}

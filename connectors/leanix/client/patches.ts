// Turning desired values into Pathfinder patches. Every patch value is a string (JSON-encoded
// for structured fields, as LeanIX requires since 2025-01-15). Relations are diffed against the
// fact sheet's current edges: new ones are added under `/<relation>/new_<n>`, gone ones removed
// by relation id. Lifecycle is written whole (LeanIX replaces all phases at once).
import { LeanixErrors } from '../errors.ts'
import type { FactSheetTypeModel, FieldModel, RelationModel } from './data-model.ts'
import type { RelationRecord } from './queries.ts'

export interface Patch {
  op: 'add' | 'replace' | 'remove'
  path: string
  value: string
}

/** Fields a write never sets: identity, bookkeeping and values LeanIX computes. */
const READ_ONLY = new Set(['id', 'rev', 'type', 'displayName', 'fullName', 'level', 'createdAt', 'updatedAt', 'status'])
const BASE_WRITABLE_STRINGS = new Set(['name', 'description', 'category', 'lxState'])
/** values handled outside patches */
export const SUBSCRIPTIONS_KEY = 'subscriptions'
const RELATION_BUILTINS = ['activeFrom', 'activeUntil', 'description']

export interface TagRef {
  tagId?: string
  tagName?: string
  tagGroupName?: string
}

export interface LifecyclePhase {
  phase: string
  startDate: string
}

/** The keys of `values` that need the fact sheet's current state to be written. */
export function needsCurrentState(type: FactSheetTypeModel, values: Record<string, unknown>): string[] {
  return Object.keys(values).filter((k) => type.relations.has(k) || k === 'tags' || k === SUBSCRIPTIONS_KEY)
}

/**
 * Patches that take a fact sheet from `current` (undefined on create) to `values`. Unchanged
 * tags and relations produce no patch; scalars are always written (the caller diffs them).
 */
export function buildPatches(
  type: FactSheetTypeModel,
  values: Record<string, unknown>,
  current: Record<string, unknown> | undefined,
  key: string,
): Patch[] {
  const patches: Patch[] = []
  let fresh = 0
  for (const [name, value] of Object.entries(values)) {
    if (READ_ONLY.has(name) || name === SUBSCRIPTIONS_KEY) continue
    if (name === 'tags') {
      const tagPatch = tagsPatch(value, current?.tags, key)
      if (tagPatch) patches.push(tagPatch)
      continue
    }
    const relation = type.relations.get(name)
    if (relation) {
      const existing = current ? ((current[name] as RelationRecord[] | undefined) ?? []) : []
      for (const p of relationPatches(relation, value, existing, key)) {
        if (p.path.endsWith('/new')) p.path += `_${++fresh}`
        patches.push(p)
      }
      continue
    }
    const field = type.fields.get(name)
    if (!field && !BASE_WRITABLE_STRINGS.has(name)) throw new LeanixErrors.FIELD_UNKNOWN(name, type.name)
    patches.push(fieldPatch(field ?? { name, kind: 'string', dataType: 'StringDataType' }, value, key))
  }
  return patches
}

export function archivePatch(): Patch {
  return { op: 'replace', path: '/status', value: 'ARCHIVED' }
}

function fieldPatch(field: FieldModel, value: unknown, key: string): Patch {
  const path = `/${field.name}`
  if (value === null || value === undefined || (value === '' && field.kind !== 'string')) {
    return { op: 'remove', path, value: '' }
  }
  switch (field.kind) {
    case 'string':
    case 'single':
      if (typeof value === 'object') throw new LeanixErrors.CHANGE_INVALID(key, `${field.name} takes a single value`)
      return { op: 'replace', path, value: String(value) }
    case 'integer':
    case 'double': {
      const n = typeof value === 'number' ? value : Number(value)
      if (!Number.isFinite(n) || (field.kind === 'integer' && !Number.isInteger(n))) {
        throw new LeanixErrors.CHANGE_INVALID(
          key,
          `${field.name} takes a ${field.kind === 'integer' ? 'whole ' : ''}number`,
        )
      }
      return { op: 'replace', path, value: String(n) }
    }
    case 'multi': {
      const list = Array.isArray(value) ? value.map(String) : [String(value)]
      return { op: 'replace', path, value: JSON.stringify(list) }
    }
    case 'lifecycle':
      return { op: 'replace', path, value: JSON.stringify({ phases: lifecyclePhases(value, key) }) }
    case 'externalId':
      return { op: 'replace', path, value: JSON.stringify(externalIdValue(value, key)) }
    default:
      throw new LeanixErrors.CHANGE_INVALID(key, `${field.name} (${field.dataType}) cannot be written by the connector`)
  }
}

/** Accepts {phases:[…]}, [{phase,startDate}…] or {plan: date, active: date…}. */
export function lifecyclePhases(value: unknown, key: string): LifecyclePhase[] {
  const v = value as Record<string, unknown>
  const list: unknown = Array.isArray(value) ? value : Array.isArray(v.phases) ? v.phases : undefined
  const phases: LifecyclePhase[] = Array.isArray(list)
    ? list.map((p) => ({
        phase: String((p as LifecyclePhase).phase),
        startDate: String((p as LifecyclePhase).startDate),
      }))
    : Object.entries(v)
        .filter(([k, d]) => k !== 'asString' && typeof d === 'string')
        .map(([phase, d]) => ({ phase, startDate: d as string }))
  for (const p of phases) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.startDate)) {
      throw new LeanixErrors.CHANGE_INVALID(key, `lifecycle phase ${p.phase} needs a YYYY-MM-DD startDate`)
    }
  }
  return phases.sort((a, b) => a.startDate.localeCompare(b.startDate))
}

function externalIdValue(value: unknown, key: string): Record<string, unknown> {
  if (typeof value === 'string' || typeof value === 'number') return { type: 'ExternalId', externalId: String(value) }
  if (typeof value === 'object' && value !== null && 'externalId' in value) {
    const out: Record<string, unknown> = { type: 'ExternalId' }
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined && k !== 'type') out[k] = v
    return out
  }
  throw new LeanixErrors.CHANGE_INVALID(key, 'an external id is a string or an object with externalId')
}

export function tagRefs(value: unknown): TagRef[] {
  const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]
  return list.map((t): TagRef => {
    if (typeof t === 'string') return { tagName: t }
    const o = t as Record<string, unknown>
    if (typeof o.tagId === 'string') return { tagId: o.tagId }
    if (typeof o.id === 'string') return { tagId: o.id }
    const name = typeof o.tagName === 'string' ? o.tagName : String(o.name)
    const group = typeof o.tagGroupName === 'string' ? o.tagGroupName : (o.tagGroup as { name?: string } | null)?.name
    return group ? { tagName: name, tagGroupName: group } : { tagName: name }
  })
}

function tagsPatch(value: unknown, current: unknown, key: string): Patch | undefined {
  const desired = tagRefs(value)
  if (desired.some((t) => !t.tagId && !t.tagName))
    throw new LeanixErrors.CHANGE_INVALID(key, 'a tag needs an id or a name')
  if (Array.isArray(current)) {
    const have = current as Array<{ id: string; name: string; tagGroup?: { name?: string } | null }>
    const same =
      have.length === desired.length &&
      desired.every((d) =>
        have.some((h) =>
          d.tagId ? h.id === d.tagId : h.name === d.tagName && (!d.tagGroupName || h.tagGroup?.name === d.tagGroupName),
        ),
      )
    if (same) return undefined
  }
  return { op: 'replace', path: '/tags', value: JSON.stringify(desired) }
}

interface DesiredRelation {
  factSheetId: string
  attrs: Record<string, unknown>
}

function desiredRelations(value: unknown, relation: RelationModel, key: string): DesiredRelation[] {
  const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]
  const allowed = new Set([...RELATION_BUILTINS, ...relation.fields.map((f) => f.name)])
  return list.map((item) => {
    if (typeof item === 'string') return { factSheetId: item, attrs: {} }
    const o = item as Record<string, unknown>
    if (typeof o.factSheetId !== 'string') {
      throw new LeanixErrors.CHANGE_INVALID(key, `${relation.name} entries need a factSheetId`)
    }
    const attrs: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(o)) if (allowed.has(k) && v !== undefined) attrs[k] = v
    return { factSheetId: o.factSheetId, attrs }
  })
}

function relationPatches(relation: RelationModel, value: unknown, existing: RelationRecord[], key: string): Patch[] {
  const desired = desiredRelations(value, relation, key)
  const byTarget = new Map(existing.map((r) => [r.factSheetId, r]))
  const wanted = new Set(desired.map((d) => d.factSheetId))
  const patches: Patch[] = []
  for (const r of existing) {
    if (!wanted.has(r.factSheetId)) patches.push({ op: 'remove', path: `/${relation.name}/${r.relationId}`, value: '' })
  }
  for (const d of desired) {
    const have = byTarget.get(d.factSheetId)
    const payload = JSON.stringify({ factSheetId: d.factSheetId, ...d.attrs })
    if (!have) patches.push({ op: 'add', path: `/${relation.name}/new`, value: payload })
    else if (Object.entries(d.attrs).some(([k, v]) => (have[k] ?? null) !== v)) {
      patches.push({ op: 'replace', path: `/${relation.name}/${have.relationId}`, value: payload })
    }
  }
  return patches
}

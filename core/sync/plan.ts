// Planning one pair of records: for every field mapping, the value the written side should hold,
// compared with what it holds and with what both sides held when last synced. A field both
// sides changed since then is a conflict, decided by the field's direction and recorded; a field
// changed on the written side alone is put back (the direction says which side is the truth).
// Pure: no I/O, so a dry run and the real run that follows plan the same thing.
import {
  isSkip,
  otherSide,
  type CompiledField,
  type CompiledMapping,
  type FieldEval,
  type SideName,
} from '../mapping/compile.ts'
import { sameValue, valueAt, valueHash, type Comparable } from '../mapping/values.ts'
import type { ActionKind, FieldChange } from './actions.ts'
import type { Link } from './links.ts'

export type SyncRecord = Record<string, unknown> & { id: string }

export interface PairContext {
  /** URLs of the records, when a field mapping writes them */
  sourceUrl?: string
  targetUrl?: string
  users: ReadonlyMap<string, string | null>
  today: string
}

export interface PlannedPair {
  action: ActionKind
  /** values to write on each side (a create gets every value, an update only what changed) */
  values: Record<SideName, Record<string, unknown>>
  changes: FieldChange[]
  /** per field mapping key, the hash to keep in the link once the writes succeed */
  synced: Record<string, string>
  /** which field keys were written on each side (a failed side keeps their old hashes) */
  writtenKeys: Record<SideName, string[]>
  notes: string[]
  /** fields written toSource, planned once the target being created exists */
  deferred: CompiledField[]
}

function evalFor(
  field: CompiledField,
  source: SyncRecord,
  target: SyncRecord | undefined,
  ctx: PairContext,
): FieldEval | undefined {
  if (field.writeSide === 'target') {
    return { from: source, fromId: source.id, to: target, fromUrl: ctx.sourceUrl, users: ctx.users, today: ctx.today }
  }
  if (!target) return undefined
  return { from: target, fromId: target.id, to: source, fromUrl: ctx.targetUrl, users: ctx.users, today: ctx.today }
}

/**
 * What a link keeps for a field mapping that skipped (nothing to write, e.g. a user not found)
 * and was never synced: hashes of the written side's value and of what the field read on the
 * other side, marked so that it is never taken for a value both sides agreed on. A delta tells
 * from it whether either side changed since (changed-since-sync.ts).
 */
export function skipMark(field: CompiledField, written: Comparable, read: Record<string, unknown>): string {
  return `~${valueHash(written)}~${readHash(field, read)}`
}
export const isSkipMark = (kept: string): boolean => kept.startsWith('~')
/** The two hashes of a skip mark: the written side's value and what was read on the other side. */
export function skipMarkParts(kept: string): { written: string; read: string } {
  const [, written = '', read = ''] = kept.split('~')
  return { written, read }
}

/** A hash of the raw values a field mapping reads from `record`, on the side it reads. */
export function readHash(field: CompiledField, record: Record<string, unknown>): string {
  const paths = field.reads[otherSide(field.writeSide)]
  return valueHash(JSON.stringify(paths.map((path) => valueAt(record, path) ?? null)))
}

/** Applies one field mapping to a plan. */
function planField(
  plan: PlannedPair,
  field: CompiledField,
  e: FieldEval,
  link: Link | undefined,
  creating: boolean,
): void {
  const desired = field.desired(e)
  const current: Comparable = e.to && !creating ? field.current(e.to) : null
  if (isSkip(desired)) {
    if (desired.reason) plan.notes.push(`${field.writeField}: ${desired.reason}`)
    const kept = link?.synced[field.key]
    // a value once synced stays the reference for conflicts; else what the written side holds is
    // noted, so that a delta can tell whether that side changed since (changed-since-sync.ts)
    plan.synced[field.key] = kept !== undefined && !isSkipMark(kept) ? kept : skipMark(field, current, e.from)
    return
  }
  const hash = valueHash(desired)
  plan.synced[field.key] = hash
  if (creating) {
    if (desired !== null && !(Array.isArray(desired) && desired.length === 0)) {
      field.put(plan.values[field.writeSide], e.to, desired, e)
      plan.changes.push({
        key: field.key,
        side: field.writeSide,
        field: field.writeField,
        before: null,
        after: desired,
      })
    }
    plan.writtenKeys[field.writeSide].push(field.key)
    return
  }
  if (sameValue(desired, current)) return
  const kept = link?.synced[field.key]
  const last = kept === undefined || isSkipMark(kept) ? undefined : kept
  const readSideChanged = last === undefined || hash !== last
  const writtenSideChanged = last !== undefined && valueHash(current) !== last
  const change: FieldChange = {
    key: field.key,
    side: field.writeSide,
    field: field.writeField,
    before: current,
    after: desired,
  }
  if (readSideChanged && writtenSideChanged) {
    const winner = otherSide(field.writeSide)
    change.conflict =
      field.writeSide === 'target'
        ? { source: desired, target: current, winner }
        : { source: current, target: desired, winner }
  } else if (!readSideChanged && writtenSideChanged) {
    plan.notes.push(`${field.writeField} was changed on the ${field.writeSide} against the field's direction; put back`)
  }
  plan.changes.push(change)
  field.put(plan.values[field.writeSide], e.to, desired, e)
  plan.writtenKeys[field.writeSide].push(field.key)
}

/**
 * Plans a pair. `target` undefined: the target is to be created. `link` undefined with a target:
 * the pair is being linked now (matching rules or the identity field).
 */
export function planPair(
  mapping: CompiledMapping,
  source: SyncRecord,
  target: SyncRecord | undefined,
  link: Link | undefined,
  ctx: PairContext,
): PlannedPair {
  const creating = target === undefined
  const plan: PlannedPair = {
    action: creating ? 'CREATE' : link ? 'NONE' : 'LINK',
    values: { source: {}, target: {} },
    changes: [],
    synced: {},
    writtenKeys: { source: [], target: [] },
    notes: [],
    deferred: [],
  }
  for (const field of mapping.fields) {
    const e = evalFor(field, source, target, ctx)
    if (!e) {
      // written toSource from a target that does not exist yet: planned once it is created and
      // read back (its id, its URL, what the target filled in itself)
      plan.deferred.push(field)
      continue
    }
    planField(plan, field, e, link, creating && field.writeSide === 'target')
  }
  if (!creating && !link && target && mapping.identityField) {
    // a record linked on first sight carries our id too, when nobody else's is there
    const identity = target[mapping.identityField]
    const empty =
      identity === null ||
      identity === undefined ||
      identity === '' ||
      (typeof identity === 'object' && !(identity as { externalId?: unknown }).externalId)
    if (empty) plan.values.target[mapping.identityField] = source.id
  }
  if (creating) {
    if (mapping.identityField) plan.values.target[mapping.identityField] = source.id
    const category = mapping.spec.target.category
    if (category) plan.values.target.category = category
  }
  if (
    plan.action === 'NONE' &&
    (Object.keys(plan.values.target).length > 0 || Object.keys(plan.values.source).length > 0)
  ) {
    plan.action = 'UPDATE'
  }
  return plan
}

/**
 * Placeholders of a dry run for what only the create of a target tells: its id (one per record,
 * so the relations planned to and from it can name it), its URL, and a value the target fills in
 * itself (a number, a default). They stand where the real run has the value: in the `after` of a
 * field written back to the source, and as the target id of relations. In parentheses, so they
 * cannot be taken for a real id or value.
 */
export const plannedTargetId = (sourceId: string): string => `(id of the new record for ${sourceId})`
export const isPlannedTargetId = (id: string): boolean => id.startsWith('(id of the new record for ')
export const PLANNED_URL = '(URL of the new record)'
export const PLANNED_VALUE = '(the value the new record gets)'

/**
 * Plans the toSource fields that needed the created target's id, once it is known. A field
 * `known` says no to reads what only the created record can tell: it is planned with
 * PLANNED_VALUE (dry runs).
 */
export function planDeferred(
  plan: PlannedPair,
  source: SyncRecord,
  created: SyncRecord,
  ctx: PairContext,
  known: (field: CompiledField) => boolean = () => true,
): void {
  for (const field of plan.deferred) {
    if (!known(field)) {
      plan.changes.push({
        key: field.key,
        side: field.writeSide,
        field: field.writeField,
        before: field.current(source),
        after: PLANNED_VALUE,
      })
      plan.values[field.writeSide][field.writeField] = PLANNED_VALUE
      plan.writtenKeys[field.writeSide].push(field.key)
      continue
    }
    const e: FieldEval = {
      from: created,
      fromId: created.id,
      to: source,
      fromUrl: ctx.targetUrl,
      users: ctx.users,
      today: ctx.today,
    }
    planField(plan, field, e, undefined, false)
  }
  plan.deferred = []
}

/**
 * A dry run's planDeferred: the toSource fields of a pair whose target is only planned, evaluated
 * on the values the create would send, with the placeholder id (and PLANNED_URL as `targetUrl`
 * when the connector gives URLs). A field reading what the create does not send (a number the
 * target gives, a default) shows PLANNED_VALUE; the real run leaves it alone when the new record
 * happens to hold what the source holds already.
 */
export function planDeferredDry(plan: PlannedPair, source: SyncRecord, ctx: PairContext): void {
  const sent = (path: string) => !path.includes('.') && Object.hasOwn(plan.values.target, path)
  const created: SyncRecord = { ...plan.values.target, id: plannedTargetId(source.id) }
  planDeferred(plan, source, created, ctx, (field) => field.reads.target.every(sent))
}

/** How many fields of a plan are conflicts. */
export function conflictsOf(plan: PlannedPair): number {
  return plan.changes.filter((c) => c.conflict).length
}

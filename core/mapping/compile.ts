// Compiling a mapping: each field mapping becomes a small evaluator (what to read, the value the
// written side should hold, its current value, how to put a value into a write), checked
// against both sides' discovered schemas. Whatever cannot work is a problem at the field
// mapping's JSON pointer; the same compile serves validation on save and execution in a run.
import type { FieldDescription, FieldType } from '../connector/contract.ts'
import type { MappingProblem } from './errors.ts'
import type { FieldMappingInput, MappingSpec, RelationMappingInput, RelationSideInput } from './schema.ts'
import type { SchemaView } from './schema-view.ts'
import { comparable, valueAt, writable, type Comparable } from './values.ts'

export type SideName = 'source' | 'target'
export const otherSide = (side: SideName): SideName => (side === 'source' ? 'target' : 'source')

/** A field mapping that leaves the written field alone this time, and why (shown on the action). */
export interface Skip {
  skip: true
  reason?: string
}
const SKIP: Skip = { skip: true }
export const isSkip = (v: Comparable | Skip): v is Skip =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Skip).skip === true

/** What a field mapping sees when it evaluates one pair of records. */
export interface FieldEval {
  /** the record on the side read */
  from: Record<string, unknown>
  fromId: string
  /** the record on the side written; undefined when it is about to be created */
  to: Record<string, unknown> | undefined
  /** URL of the record read (url and externalId mappings) */
  fromUrl: string | undefined
  /** user email (lower case) -> id on the written side, resolved for the page */
  users: ReadonlyMap<string, string | null>
  /** YYYY-MM-DD: what "current lifecycle phase" means */
  today: string
}

export interface CompiledField {
  /** stable key: conflicts and last-synced hashes are kept per key */
  key: string
  pointer: string
  type: FieldMappingInput['type']
  writeSide: SideName
  /** the field written on writeSide */
  writeField: string
  /** fields each side must return for this mapping to evaluate */
  reads: Record<SideName, string[]>
  needsUrl: boolean
  /** entity on the written side where users are looked up by email */
  userEntity?: string
  /** emails this mapping needs resolved to ids on the written side */
  usersNeeded?(from: Record<string, unknown>): string[]
  desired(e: FieldEval): Comparable | Skip
  current(to: Record<string, unknown>): Comparable
  put(values: Record<string, unknown>, to: Record<string, unknown> | undefined, value: Comparable, e: FieldEval): void
}

export interface CompiledMatchRule {
  key(record: Record<string, unknown>, side: SideName): string | null
  reads: Record<SideName, string[]>
}

export interface CompiledRelation {
  index: number
  pointer: string
  name: string
  otherMapping: string
  source: RelationSideInput
  target: RelationSideInput
  /** fields of each side's record that hold the relation ('field' kind) */
  reads: Record<SideName, string[]>
}

export interface CompiledMapping {
  spec: MappingSpec
  fields: CompiledField[]
  match: CompiledMatchRule[]
  relations: CompiledRelation[]
  /** the field the hub writes the source id into on records it creates */
  identityField: string | undefined
  /** field name of a record's display value on each side */
  display: Record<SideName, string>
  archivedStatus?: { field: string; value: Comparable; type: FieldType }
  reads: Record<SideName, string[]>
}

export interface CompileInput {
  spec: MappingSpec
  schemas: Record<SideName, SchemaView>
  identityField: string | undefined
  display: Record<SideName, string>
}

const STRUCTURED = new Set<FieldType>(['lifecycle', 'tags', 'subscriptions', 'relation'])

function typeForCompare(f: FieldDescription): FieldType {
  return f.type
}

function directionOf(f: { direction?: 'toTarget' | 'toSource' }): 'toTarget' | 'toSource' {
  return f.direction ?? 'toTarget'
}

function lower(v: Comparable): Comparable {
  if (v === null) return null
  return Array.isArray(v) ? v.map((x) => x.toLowerCase()) : v.toLowerCase()
}

class Compiler {
  readonly problems: MappingProblem[] = []
  readonly #in: CompileInput
  readonly #written = new Map<string, string>()

  constructor(input: CompileInput) {
    this.#in = input
  }

  problem(pointer: string, message: string): void {
    this.problems.push({ pointer, message })
  }

  schema(side: SideName): SchemaView {
    return this.#in.schemas[side]
  }

  /** The field at `path` on `side`; a problem at `pointer` when it does not resolve. */
  fieldAt(side: SideName, path: string, pointer: string): FieldDescription | undefined {
    const resolved = this.schema(side).resolve(path)
    if ('error' in resolved) {
      this.problem(pointer, `${side} ${resolved.error}`)
      return undefined
    }
    return resolved.field
  }

  /** A field the mapping writes: exists, not dot-walked, not read-only, written once. */
  writable(side: SideName, field: string, pointer: string, key: string): FieldDescription | undefined {
    if (field.includes('.')) {
      this.problem(pointer, `"${field}" is dot-walked: a dot-walked field can be read but not written`)
      return undefined
    }
    const f = this.fieldAt(side, field, pointer)
    if (!f) return undefined
    if (f.readOnly) this.problem(pointer, `${side} field "${field}" is read-only and cannot be written`)
    if (this.#in.identityField && side === 'target' && field === this.#in.identityField) {
      this.problem(
        pointer,
        `"${field}" is where the hub records the source id (target.identityField); map another field, or set target.identityField`,
      )
    }
    const owner = this.#written.get(`${side}:${key}`)
    if (owner) this.problem(pointer, `${side} field "${field}" is already written by ${owner}`)
    else this.#written.set(`${side}:${key}`, pointer)
    return f
  }

  compileField(f: FieldMappingInput, index: number): CompiledField | undefined {
    const pointer = `/fields/${index}`
    switch (f.type) {
      case 'field':
        return this.plain(f, pointer)
      case 'valueMap':
        return this.valueMap(f, pointer)
      case 'fixed':
        return this.fixed(f, pointer)
      case 'url':
      case 'externalId':
        return this.counterpart(f, pointer)
      case 'lifecycle':
        return this.lifecycle(f, pointer)
      case 'tagGroup':
        return this.tagGroup(f, pointer)
      case 'subscription':
        return this.subscription(f, pointer)
      case 'relatedNames':
        return this.relatedNames(f, pointer)
      case 'archivedStatus':
        return undefined
    }
  }

  /** A mapping between `source` and `target` paths: which side is read, which written, and both fields. */
  ends(f: { source: string; target: string; direction?: 'toTarget' | 'toSource' }, pointer: string) {
    const dir = directionOf(f)
    const readSide: SideName = dir === 'toTarget' ? 'source' : 'target'
    const writeSide = otherSide(readSide)
    const readPath = dir === 'toTarget' ? f.source : f.target
    const writePath = dir === 'toTarget' ? f.target : f.source
    const readField = this.fieldAt(readSide, readPath, `${pointer}/${readSide}`)
    const writeField = this.writable(writeSide, writePath, `${pointer}/${writeSide}`, writePath)
    return readField && writeField
      ? { dir, readSide, writeSide, readPath, writePath, readField, writeField }
      : undefined
  }

  plain(f: Extract<FieldMappingInput, { type: 'field' }>, pointer: string): CompiledField | undefined {
    const ends = this.ends(f, pointer)
    if (!ends) return undefined
    const { readSide, writeSide, readPath, writePath, readField, writeField } = ends
    if (STRUCTURED.has(writeField.type) || STRUCTURED.has(readField.type)) {
      const which = STRUCTURED.has(writeField.type) ? writeField : readField
      this.problem(
        pointer,
        `"${which.name}" is a ${which.type} field: use a ${which.type === 'lifecycle' ? 'lifecycle' : which.type === 'tags' ? 'tagGroup' : which.type === 'subscriptions' ? 'subscription' : 'relation or relatedNames'} mapping`,
      )
      return undefined
    }
    if (readField.type === 'choice' && writeField.type === 'choice' && readField.choices && writeField.choices) {
      const allowed = new Set(writeField.choices.map((c) => c.value))
      const strays = readField.choices.map((c) => c.value).filter((v) => !allowed.has(v))
      if (strays.length > 0) {
        this.problem(
          pointer,
          `${readSide} values ${strays.slice(0, 5).join(', ')} are not choices of ${writeSide} field "${writePath}"; use a valueMap`,
        )
      }
    }
    const type = typeForCompare(writeField)
    return {
      key: f.id ?? `${writeSide}:${writePath}`,
      pointer,
      type: 'field',
      writeSide,
      writeField: writePath,
      reads: sides(readSide, [readPath], [writePath]),
      needsUrl: false,
      desired: (e) => comparable(valueAt(e.from, readPath), type),
      current: (to) => comparable(valueAt(to, writePath), type),
      put: (values, _to, value) => {
        values[writePath] = writable(value, type)
      },
    }
  }

  /** The value table in the direction written; problems when it cannot be read that way. */
  table(
    pairs: Array<{ source: string; target: string }>,
    dir: 'toTarget' | 'toSource',
    pointer: string,
    check: { from?: FieldDescription; to?: FieldDescription; fromSide: SideName; toSide: SideName },
  ): Map<string, string> {
    const table = new Map<string, string>()
    const seen = new Map<string, number>()
    const targets = new Map<string, number>()
    pairs.forEach((p, i) => {
      const from = dir === 'toTarget' ? p.source : p.target
      const to = dir === 'toTarget' ? p.target : p.source
      const prior = seen.get(from)
      if (prior !== undefined) {
        this.problem(
          `${pointer}/values/${i}`,
          dir === 'toTarget'
            ? `source value "${from}" is mapped twice (also at /values/${prior})`
            : `target value "${from}" maps back to two source values (also at /values/${prior}): a value table written toSource must be one-to-one`,
        )
        return
      }
      // toward the source of truth a table must be one-to-one: several values may become one
      // only on the side that is not the truth
      const priorTo = dir === 'toSource' ? targets.get(to) : undefined
      if (priorTo !== undefined) {
        this.problem(
          `${pointer}/values/${i}`,
          `two target values map to source value "${to}" (also at /values/${priorTo}): a value table written toSource must be one-to-one`,
        )
        return
      }
      seen.set(from, i)
      targets.set(to, i)
      table.set(from, to)
    })
    const choiceCheck = (
      f: FieldDescription | undefined,
      values: string[],
      side: SideName,
      prop: 'source' | 'target',
    ) => {
      if (!f?.choices || f.choices.length === 0) return
      const allowed = new Set(f.choices.map((c) => c.value))
      values.forEach((v, i) => {
        if (v !== '' && !allowed.has(v)) {
          this.problem(
            `${pointer}/values/${i}/${prop}`,
            `"${v}" is not a choice of ${side} field "${f.name}" (choices: ${[...allowed].slice(0, 12).join(', ')})`,
          )
        }
      })
    }
    choiceCheck(
      dir === 'toTarget' ? check.from : check.to,
      pairs.map((p) => p.source),
      'source',
      'source',
    )
    choiceCheck(
      dir === 'toTarget' ? check.to : check.from,
      pairs.map((p) => p.target),
      'target',
      'target',
    )
    return table
  }

  valueMap(f: Extract<FieldMappingInput, { type: 'valueMap' }>, pointer: string): CompiledField | undefined {
    const ends = this.ends(f, pointer)
    if (!ends) return undefined
    const { dir, readSide, writeSide, readPath, writePath, readField, writeField } = ends
    for (const fd of [readField, writeField]) {
      if (!['choice', 'list', 'string', 'reference', 'integer', 'boolean'].includes(fd.type)) {
        this.problem(pointer, `a valueMap reads and writes choice, list or text fields; "${fd.name}" is ${fd.type}`)
        return undefined
      }
    }
    const table = this.table(f.values, dir, pointer, {
      from: readField,
      to: writeField,
      fromSide: readSide,
      toSide: writeSide,
    })
    const clear = (f.unmapped ?? 'ignore') === 'clear'
    const type = writeField.type
    const mapValues = (raw: unknown): Comparable | Skip => {
      const items = comparable(raw, 'list') as string[]
      if (items.length === 0) return table.has('') ? (table.get('') as string) : null
      const mapped: string[] = []
      let unmapped = 0
      for (const item of items) {
        const to = table.get(item)
        if (to === undefined) unmapped++
        else if (!mapped.includes(to)) mapped.push(to)
      }
      if (mapped.length === 0) {
        return clear ? null : { skip: true, reason: `no value table entry for ${items.join(', ')}` }
      }
      if (unmapped > 0 && !clear && type !== 'list') {
        // a list drops what it cannot map; a single value is either mapped or left alone
        return mapped.length === 1 ? (mapped[0] as string) : mapped.sort()
      }
      return type === 'list' ? mapped.sort() : (mapped[0] as string)
    }
    return {
      key: f.id ?? `${writeSide}:${writePath}`,
      pointer,
      type: 'valueMap',
      writeSide,
      writeField: writePath,
      reads: sides(readSide, [readPath], [writePath]),
      needsUrl: false,
      desired: (e) => mapValues(valueAt(e.from, readPath)),
      current: (to) => comparable(valueAt(to, writePath), type),
      put: (values, _to, value) => {
        values[writePath] = writable(value, type)
      },
    }
  }

  fixed(f: Extract<FieldMappingInput, { type: 'fixed' }>, pointer: string): CompiledField | undefined {
    const writeSide: SideName = directionOf(f) === 'toTarget' ? 'target' : 'source'
    const field = this.writable(writeSide, f.target, `${pointer}/target`, f.target)
    if (!field) return undefined
    if (STRUCTURED.has(field.type)) {
      this.problem(`${pointer}/target`, `a fixed value cannot be written into the ${field.type} field "${f.target}"`)
      return undefined
    }
    if (field.choices?.length && f.value !== null && !field.choices.some((c) => c.value === String(f.value))) {
      this.problem(
        `${pointer}/value`,
        `"${String(f.value)}" is not a choice of ${writeSide} field "${f.target}" (choices: ${field.choices
          .map((c) => c.value)
          .slice(0, 12)
          .join(', ')})`,
      )
    }
    const value = comparable(f.value, field.type)
    return {
      key: f.id ?? `${writeSide}:${f.target}`,
      pointer,
      type: 'fixed',
      writeSide,
      writeField: f.target,
      reads: sides(otherSide(writeSide), [], [f.target]),
      needsUrl: false,
      desired: () => value,
      current: (to) => comparable(valueAt(to, f.target), field.type),
      put: (values, _to, v) => {
        values[f.target] = writable(v, field.type)
      },
    }
  }

  counterpart(
    f: Extract<FieldMappingInput, { type: 'url' | 'externalId' }>,
    pointer: string,
  ): CompiledField | undefined {
    const writeSide: SideName = directionOf(f) === 'toTarget' ? 'target' : 'source'
    const field = this.writable(writeSide, f.target, `${pointer}/target`, f.target)
    if (!field) return undefined
    if (!['string', 'externalId', 'json'].includes(field.type)) {
      this.problem(
        `${pointer}/target`,
        `${writeSide} field "${f.target}" is ${field.type}; an ${f.type} goes into a text or external id field`,
      )
      return undefined
    }
    const isUrl = f.type === 'url'
    return {
      key: f.id ?? `${writeSide}:${f.target}`,
      pointer,
      type: f.type,
      writeSide,
      writeField: f.target,
      reads: sides(otherSide(writeSide), [], [f.target]),
      needsUrl: true,
      desired: (e) => (isUrl ? (e.fromUrl ?? { skip: true, reason: 'the connector gives no record URL' }) : e.fromId),
      current: (to) => {
        const v = valueAt(to, f.target)
        if (isUrl && field.type === 'externalId')
          return comparable((v as { externalUrl?: unknown } | null)?.externalUrl, 'string')
        return comparable(v, 'string')
      },
      put: (values, _to, v, e) => {
        if (field.type === 'externalId') {
          values[f.target] =
            v === null
              ? null
              : isUrl
                ? { externalId: e.fromId, externalUrl: v }
                : { externalId: v, ...(e.fromUrl ? { externalUrl: e.fromUrl } : {}) }
        } else values[f.target] = v
      },
    }
  }

  lifecycle(f: Extract<FieldMappingInput, { type: 'lifecycle' }>, pointer: string): CompiledField | undefined {
    const dir = directionOf(f)
    const sourceField = this.fieldAt('source', f.source, `${pointer}/source`)
    const targetField = this.fieldAt('target', f.target, `${pointer}/target`)
    if (!sourceField || !targetField) return undefined
    const lcSide: SideName | undefined =
      sourceField.type === 'lifecycle' ? 'source' : targetField.type === 'lifecycle' ? 'target' : undefined
    if (!lcSide) {
      this.problem(pointer, `neither "${f.source}" nor "${f.target}" is a lifecycle field`)
      return undefined
    }
    const lcPath = lcSide === 'source' ? f.source : f.target
    const otherPath = lcSide === 'source' ? f.target : f.source
    const lcField = lcSide === 'source' ? sourceField : targetField
    const other = lcSide === 'source' ? targetField : sourceField
    const writeSide: SideName = dir === 'toTarget' ? 'target' : 'source'
    const writesLifecycle = writeSide === lcSide
    const phases = (lcField.choices ?? []).map((c) => c.value)
    if (f.phase !== undefined && phases.length > 0 && !phases.includes(f.phase)) {
      this.problem(`${pointer}/phase`, `"${f.phase}" is not a phase of "${lcPath}" (phases: ${phases.join(', ')})`)
    }
    const writePath = writesLifecycle ? lcPath : otherPath
    const key = f.id ?? `${writeSide}:${writePath}${f.phase && writesLifecycle ? `/${f.phase}` : ''}`
    if (writesLifecycle) {
      if (f.phase === undefined) {
        this.problem(
          pointer,
          'the current phase is written only toward the non-lifecycle side; to write into a lifecycle, name a phase and map a date field to it',
        )
        return undefined
      }
      // several phases may be written into one lifecycle: each phase is its own key
      if (lcField.readOnly) this.problem(pointer, `lifecycle "${lcPath}" is read-only`)
      const owner = this.#written.get(`${writeSide}:${key}`)
      if (owner) this.problem(pointer, `phase ${f.phase} of "${lcPath}" is already written by ${owner}`)
      this.#written.set(`${writeSide}:${key}`, pointer)
    } else {
      this.writable(writeSide, otherPath, `${pointer}/${lcSide === 'source' ? 'target' : 'source'}`, otherPath)
    }
    const readSide = otherSide(writeSide)
    const phase = f.phase
    const phaseDate = (lc: unknown): Comparable => {
      const list = (lc as { phases?: Array<{ phase: string; startDate?: string | null }> } | null)?.phases ?? []
      const found = list.find((p) => p.phase === phase)
      return found?.startDate ? found.startDate.slice(0, 10) : null
    }
    const currentPhase = (lc: unknown, today: string): string | null => {
      const value = lc as {
        asString?: string | null
        phases?: Array<{ phase: string; startDate?: string | null }>
      } | null
      const started = (value?.phases ?? [])
        .filter((p) => p.startDate && p.startDate.slice(0, 10) <= today)
        .sort((a, b) => String(a.startDate).localeCompare(String(b.startDate)))
      return started.at(-1)?.phase ?? (value?.asString || null)
    }
    const reads = sides(readSide, [writesLifecycle ? otherPath : lcPath], [writePath])
    if (phase !== undefined) {
      const otherType: FieldType = other.type === 'datetime' ? 'date' : other.type
      return {
        key,
        pointer,
        type: 'lifecycle',
        writeSide,
        writeField: writePath,
        reads,
        needsUrl: false,
        desired: (e) =>
          writesLifecycle
            ? comparable(valueAt(e.from, otherPath), 'date')
            : comparable(phaseDate(valueAt(e.from, lcPath)), 'date'),
        current: (to) =>
          writesLifecycle ? phaseDate(valueAt(to, lcPath)) : comparable(valueAt(to, otherPath), 'date'),
        put: (values, to, v) => {
          if (!writesLifecycle) {
            values[otherPath] = writable(v, otherType)
            return
          }
          const base = (values[lcPath] ?? valueAt(to, lcPath)) as {
            phases?: Array<{ phase: string; startDate?: string | null }>
          } | null
          const kept = (base?.phases ?? [])
            .filter((p) => p.phase !== phase && p.startDate)
            .map((p) => ({ phase: p.phase, startDate: String(p.startDate).slice(0, 10) }))
          if (typeof v === 'string') kept.push({ phase, startDate: v })
          values[lcPath] = { phases: kept.sort((a, b) => a.startDate.localeCompare(b.startDate)) }
        },
      }
    }
    const table = this.table(f.values ?? [], 'toTarget', pointer, {
      ...(lcSide === 'source' ? { from: { ...lcField, type: 'choice' as const } } : {}),
      to: other,
      fromSide: lcSide,
      toSide: writeSide,
    })
    const clear = (f.unmapped ?? 'ignore') === 'clear'
    if ((f.values ?? []).length === 0) {
      // no table: the phase key itself is written (into a text field)
      if (other.choices?.length)
        this.problem(`${pointer}/values`, `"${otherPath}" is a choice: map the phases to its values`)
    }
    return {
      key,
      pointer,
      type: 'lifecycle',
      writeSide,
      writeField: writePath,
      reads,
      needsUrl: false,
      desired: (e) => {
        const current = currentPhase(valueAt(e.from, lcPath), e.today)
        if (current === null) return clear ? null : SKIP
        if (table.size === 0) return current
        const mapped = table.get(current)
        return mapped ?? (clear ? null : { skip: true, reason: `no value table entry for phase ${current}` })
      },
      current: (to) => comparable(valueAt(to, otherPath), other.type),
      put: (values, _to, v) => {
        values[otherPath] = writable(v, other.type)
      },
    }
  }

  /** The side whose entity has a field of `type` (tags, subscriptions), or a problem. */
  structuredSide(
    type: FieldType,
    pointer: string,
    what: string,
  ): { side: SideName; field: FieldDescription } | undefined {
    for (const side of ['source', 'target'] as const) {
      const f = this.schema(side).fieldOfType(type)
      if (f) return { side, field: f }
    }
    this.problem(pointer, `neither side has ${what}`)
    return undefined
  }

  /**
   * The two ends of a mapping between a structured field (tags, subscriptions) on one side and
   * `field` on the other: which is written, and the other side's field (checked writable if written).
   */
  structuredEnds(
    type: FieldType,
    f: { field: string; direction?: 'toTarget' | 'toSource' },
    pointer: string,
    what: string,
  ) {
    const structured = this.structuredSide(type, pointer, what)
    if (!structured) return undefined
    const otherSideName = otherSide(structured.side)
    const writeSide: SideName = directionOf(f) === 'toTarget' ? 'target' : 'source'
    const writesStructured = writeSide === structured.side
    const otherField = writesStructured
      ? this.fieldAt(otherSideName, f.field, `${pointer}/field`)
      : this.writable(otherSideName, f.field, `${pointer}/field`, f.field)
    return otherField ? { structured, otherSideName, writeSide, writesStructured, otherField } : undefined
  }

  tagGroup(f: Extract<FieldMappingInput, { type: 'tagGroup' }>, pointer: string): CompiledField | undefined {
    const ends = this.structuredEnds('tags', f, pointer, 'tags')
    if (!ends) return undefined
    const { structured: tags, otherSideName, writeSide, writesStructured: writesTags, otherField } = ends
    const key = f.id ?? `${writeSide}:${writesTags ? `tags/${f.tagGroup}` : f.field}`
    if (writesTags) {
      const owner = this.#written.get(`${writeSide}:${key}`)
      if (owner) this.problem(pointer, `tag group "${f.tagGroup}" is already written by ${owner}`)
      this.#written.set(`${writeSide}:${key}`, pointer)
    }
    const ungrouped = f.tagGroup === 'Other tags'
    const inGroup = (t: { tagGroup?: { name?: string } | null }) =>
      ungrouped ? !t.tagGroup?.name : t.tagGroup?.name === f.tagGroup
    const groupNames = (record: Record<string, unknown> | undefined): string[] => {
      const list =
        (valueAt(record, tags.field.name) as Array<{ name?: string; tagGroup?: { name?: string } | null }> | null) ?? []
      return [
        ...new Set(
          list
            .filter(inGroup)
            .map((t) => String(t.name ?? ''))
            .filter((n) => n !== ''),
        ),
      ].sort()
    }
    const table = this.table(f.values ?? [], writesTags ? 'toSource' : 'toTarget', pointer, {
      to: otherField,
      fromSide: tags.side,
      toSide: otherSideName,
    })
    const clear = (f.unmapped ?? 'ignore') === 'clear'
    const hasTable = (f.values ?? []).length > 0
    return {
      key,
      pointer,
      type: 'tagGroup',
      writeSide,
      writeField: writesTags ? tags.field.name : f.field,
      reads: sides(
        otherSide(writeSide),
        [writesTags ? f.field : tags.field.name],
        [writesTags ? tags.field.name : f.field],
      ),
      needsUrl: false,
      desired: (e) => {
        if (!writesTags) {
          const names = groupNames(e.from)
          if (!hasTable) return comparable(names, otherField.type === 'list' ? 'list' : 'string')
          const mapped = names.map((n) => table.get(n)).filter((v): v is string => v !== undefined)
          if (mapped.length === 0)
            return names.length === 0 || clear
              ? null
              : { skip: true, reason: `no value table entry for tags ${names.join(', ')}` }
          return otherField.type === 'list' ? [...new Set(mapped)].sort() : (mapped[0] as string)
        }
        const raw = comparable(valueAt(e.from, f.field), 'list') as string[]
        const names = hasTable ? raw.map((v) => table.get(v)).filter((v): v is string => v !== undefined) : raw
        if (hasTable && raw.length > 0 && names.length === 0 && !clear)
          return { skip: true, reason: `no value table entry for ${raw.join(', ')}` }
        return [...new Set(names)].sort()
      },
      current: (to) =>
        writesTags
          ? groupNames(to)
          : comparable(valueAt(to, f.field), otherField.type === 'list' ? 'list' : otherField.type),
      put: (values, to, v) => {
        if (!writesTags) {
          values[f.field] = writable(v, otherField.type)
          return
        }
        const base = (values[tags.field.name] ?? valueAt(to, tags.field.name) ?? []) as Array<Record<string, unknown>>
        const kept = base.filter((t) => !inGroup(t as { tagGroup?: { name?: string } | null }))
        const wanted = (Array.isArray(v) ? v : v === null ? [] : [v]).map((name) =>
          ungrouped ? { tagName: name } : { tagName: name, tagGroupName: f.tagGroup },
        )
        values[tags.field.name] = [...kept, ...wanted]
      },
    }
  }

  subscription(f: Extract<FieldMappingInput, { type: 'subscription' }>, pointer: string): CompiledField | undefined {
    const ends = this.structuredEnds('subscriptions', f, pointer, 'subscriptions')
    if (!ends) return undefined
    const { structured: subs, otherSideName, writeSide, writesStructured: writesSubs, otherField } = ends
    const byReference = otherField.type === 'reference'
    if (!byReference && otherField.type !== 'string') {
      this.problem(
        `${pointer}/field`,
        `"${f.field}" is ${otherField.type}; a subscription maps to a user reference or an email text field`,
      )
      return undefined
    }
    const userEntity = f.userEntity ?? otherField.reference ?? 'sys_user'
    const emailPath = byReference ? `${f.field}.email` : f.field
    const key =
      f.id ??
      `${writeSide}:${writesSubs ? `subscriptions/${f.subscriptionType}${f.role ? `/${f.role}` : ''}` : f.field}`
    if (writesSubs) {
      const owner = this.#written.get(`${writeSide}:${key}`)
      if (owner) this.problem(pointer, `subscription ${f.subscriptionType} is already written by ${owner}`)
      this.#written.set(`${writeSide}:${key}`, pointer)
    }
    type Sub = {
      type?: string
      user?: { id?: string; email?: string } | null
      roles?: Array<{ id?: string; name?: string }> | null
    }
    const matches = (s: Sub) =>
      s.type === f.subscriptionType && (!f.role || (s.roles ?? []).some((r) => r.name === f.role))
    const subscriberEmail = (record: Record<string, unknown> | undefined): Comparable => {
      const list = (valueAt(record, subs.field.name) as Sub[] | null) ?? []
      const email = list.find(matches)?.user?.email
      return email ? email.toLowerCase() : null
    }
    const otherEmail = (record: Record<string, unknown> | undefined): Comparable =>
      lower(comparable(valueAt(record, emailPath), 'string'))
    return {
      key,
      pointer,
      type: 'subscription',
      writeSide,
      writeField: writesSubs ? subs.field.name : f.field,
      reads: writesSubs
        ? sides(otherSideName, [emailPath], [subs.field.name])
        : sides(subs.side, [subs.field.name], [emailPath, f.field]),
      needsUrl: false,
      ...(byReference && !writesSubs
        ? {
            userEntity,
            usersNeeded: (from: Record<string, unknown>) => {
              const email = subscriberEmail(from)
              return typeof email === 'string' ? [email] : []
            },
          }
        : {}),
      desired: (e) => {
        if (writesSubs) return otherEmail(e.from)
        const email = subscriberEmail(e.from)
        if (email === null || !byReference) return email
        const id = e.users.get(email as string)
        return id ? email : { skip: true, reason: `no ${userEntity} record with email ${email as string}` }
      },
      current: (to) => (writesSubs ? subscriberEmail(to) : otherEmail(to)),
      put: (values, to, v, e) => {
        if (!writesSubs) {
          values[f.field] = v === null ? null : byReference ? (e.users.get(v as string) ?? null) : v
          return
        }
        const base = (values[subs.field.name] ?? valueAt(to, subs.field.name) ?? []) as Sub[]
        const previous = base.find(matches)
        const kept = base.filter((s) => !matches(s))
        if (typeof v === 'string') {
          const roles = previous?.user?.email?.toLowerCase() === v ? previous.roles : undefined
          kept.push({ type: f.subscriptionType, user: { email: v }, ...(roles ? { roles } : {}) })
        }
        values[subs.field.name] = kept
      },
    }
  }

  relatedNames(f: Extract<FieldMappingInput, { type: 'relatedNames' }>, pointer: string): CompiledField | undefined {
    const dir = directionOf(f)
    const writeSide: SideName = dir === 'toTarget' ? 'target' : 'source'
    const relSide = otherSide(writeSide)
    const relation = this.fieldAt(relSide, f.relation, `${pointer}/relation`)
    const field = this.writable(writeSide, f.field, `${pointer}/field`, f.field)
    if (!relation || !field) return undefined
    if (relation.type !== 'relation') {
      this.problem(`${pointer}/relation`, `${relSide} field "${f.relation}" is not a relation`)
      return undefined
    }
    const max = f.max ?? 100
    return {
      key: f.id ?? `${writeSide}:${f.field}`,
      pointer,
      type: 'relatedNames',
      writeSide,
      writeField: f.field,
      reads: sides(relSide, [f.relation], [f.field]),
      needsUrl: false,
      desired: (e) => {
        const list = (valueAt(e.from, f.relation) as Array<{ displayName?: string; name?: string }> | null) ?? []
        const names = list
          .map((r) => r.displayName ?? r.name ?? '')
          .filter((n) => n !== '')
          .sort((a, b) => a.localeCompare(b))
        if (names.length === 0) return null
        const shown = names.slice(0, max).join(', ')
        return names.length > max ? `${shown} +${names.length - max} more` : shown
      },
      current: (to) => comparable(valueAt(to, f.field), 'string'),
      put: (values, _to, v) => {
        values[f.field] = v
      },
    }
  }

  matchRules(): CompiledMatchRule[] {
    const m = this.#in.spec.matching
    const norm = (text: string): string => {
      let t = text.normalize('NFKC')
      if (m.collapseWhitespace) t = t.trim().replace(/\s+/g, ' ')
      if (m.ignoreCase) t = t.toLowerCase()
      return t
    }
    return m.rules.map((rule, i) => {
      for (const side of ['source', 'target'] as const) {
        rule[side].forEach((path, j) => this.fieldAt(side, path, `/matching/rules/${i}/${side}/${j}`))
      }
      return {
        reads: { source: [...rule.source], target: [...rule.target] },
        key: (record, side) => {
          const parts = rule[side].map((path) => comparable(valueAt(record, path), 'string'))
          if (parts.some((p) => p === null)) return null
          const key = norm((parts as string[]).join(' '))
          return key === '' ? null : key
        },
      }
    })
  }

  relation(r: RelationMappingInput, index: number): CompiledRelation | undefined {
    const pointer = `/relations/${index}`
    const reads: Record<SideName, string[]> = { source: [], target: [] }
    for (const side of ['source', 'target'] as const) {
      const rs = r[side]
      if (rs.kind === 'field') {
        const f = this.fieldAt(side, rs.field, `${pointer}/${side}/field`)
        if (f && !['relation', 'reference', 'list'].includes(f.type)) {
          this.problem(
            `${pointer}/${side}/field`,
            `${side} field "${rs.field}" is ${f.type}; a relation lives in a relation, reference or list field`,
          )
        }
        if (f && side === 'target' && f.readOnly)
          this.problem(`${pointer}/target/field`, `target field "${rs.field}" is read-only`)
        reads[side].push(rs.field)
      }
    }
    return {
      index,
      pointer,
      name: r.name ?? `${describeRelationSide(r.source)} -> ${describeRelationSide(r.target)}`,
      otherMapping: r.otherMapping,
      source: r.source,
      target: r.target,
      reads,
    }
  }
}

export function describeRelationSide(side: RelationSideInput): string {
  if (side.kind === 'field') return side.field
  if (side.kind === 'cmdbRelCi') return `${side.table ?? 'cmdb_rel_ci'} ${side.relType} (${side.self})`
  return `${side.table}.${side.selfField}/${side.otherField}`
}

function sides(readSide: SideName, readFields: string[], writeFields: string[]): Record<SideName, string[]> {
  return readSide === 'source'
    ? { source: readFields, target: writeFields }
    : { source: writeFields, target: readFields }
}

/** Compiles a mapping; `problems` is empty when it can run. */
export function compileMapping(input: CompileInput): { compiled: CompiledMapping; problems: MappingProblem[] } {
  const c = new Compiler(input)
  const { spec } = input
  const fields: CompiledField[] = []
  let archivedStatus: CompiledMapping['archivedStatus']
  spec.fields.forEach((f, i) => {
    if (f.type === 'archivedStatus') {
      const field = c.writable('target', f.target, `/fields/${i}/target`, f.target)
      if (field) archivedStatus = { field: f.target, value: comparable(f.value, field.type), type: field.type }
      if (spec.mode === 'additive') {
        c.problem(
          `/fields/${i}`,
          'an archived status is written instead of a deletion; additive mode never deletes, so it would never be written',
        )
      }
      return
    }
    const compiled = c.compileField(f, i)
    if (compiled) fields.push(compiled)
  })
  const match = c.matchRules()
  const relations = spec.relations.map((r, i) => c.relation(r, i)).filter((r): r is CompiledRelation => !!r)
  const reads: Record<SideName, Set<string>> = { source: new Set(), target: new Set() }
  const add = (r: Record<SideName, string[]>) => {
    for (const side of ['source', 'target'] as const) for (const f of r[side]) reads[side].add(f)
  }
  for (const f of fields) add(f.reads)
  for (const m of match) add(m.reads)
  for (const r of relations) add(r.reads)
  for (const side of ['source', 'target'] as const) reads[side].add(input.display[side])
  if (input.identityField) reads.target.add(input.identityField)
  if (archivedStatus) reads.target.add(archivedStatus.field)
  const compiled: CompiledMapping = {
    spec,
    fields,
    match,
    relations,
    identityField: input.identityField,
    display: input.display,
    ...(archivedStatus ? { archivedStatus } : {}),
    reads: { source: [...reads.source], target: [...reads.target] },
  }
  return { compiled, problems: c.problems }
}

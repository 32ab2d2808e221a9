// The in-memory instance: one sorted store per table hierarchy, system fields maintained like
// the platform does (sys_id, sys_created_on/by, sys_updated_on/by, sys_mod_count,
// sys_class_name, auto numbers), every value a string. Listeners see each committed change
// (change notifications, the "rows change between pages" fault).
import { EmulatorErrors } from '../errors.ts'
import { Schema, type ResolvedTable } from '../schema/schema.ts'
import { SYSTEM_FIELD_NAMES } from '../schema/system-fields.ts'
import type { FieldDef } from '../schema/types.ts'
import { formatGlideDateTime } from './glide-time.ts'
import { newSysId } from './sys-id.ts'
import { SYS_ID_COLUMN, TableStore } from './table-store.ts'

export type RecordValues = Record<string, string>

export interface RecordRef {
  /** concrete class of the row (sys_class_name, or the table itself when not extensible) */
  table: string
  store: TableStore
  row: string[]
}

export type ChangeOperation = 'insert' | 'update' | 'delete'

export interface ChangeEvent {
  operation: ChangeOperation
  table: string
  sysId: string
  /** the record after the change (before it, for a delete) */
  record: RecordValues
  previous?: RecordValues
}

export interface InstanceOptions {
  schema?: Schema
  /** the clock the instance stamps records with */
  now?: () => Date
}

const PROTECTED = new Set<string>([...SYSTEM_FIELD_NAMES, 'sys_class_name'])

/**
 * Columns an instance's database indexes, built with the table (other reference columns get an
 * index on their first look-up): every table's sys_updated_on, which delta reads page by, and
 * by hierarchy root, cmdb_rel_ci's parent, child and type, which relation reads go by. At a
 * million rows building one on first use takes a second, in the middle of whatever asked.
 */
const INDEXED_ON_EVERY_TABLE = ['sys_updated_on']
const DATABASE_INDEXES: Readonly<Record<string, readonly string[]>> = {
  cmdb_rel_ci: ['parent', 'child', 'type'],
}

export class Instance {
  readonly schema: Schema
  now: () => Date
  private readonly stores = new Map<string, TableStore>()
  private readonly numbers = new Map<string, number>()
  private readonly listeners = new Set<(e: ChangeEvent) => void>()

  constructor(options: InstanceOptions = {}) {
    this.schema = options.schema ?? new Schema()
    this.now = options.now ?? (() => new Date())
    this.schema.onChange((table) => {
      const t = this.schema.table(table)
      if (t) this.storeOf(t).addColumns(this.schema.hierarchyFieldNames(t.root))
    })
  }

  onChange(listener: (e: ChangeEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  table(name: string): ResolvedTable {
    const t = this.schema.table(name)
    if (!t) throw new EmulatorErrors.TABLE_UNKNOWN(name)
    return t
  }

  storeOf(t: ResolvedTable): TableStore {
    let store = this.stores.get(t.root)
    if (!store) {
      store = new TableStore(t.root, this.schema.hierarchyFieldNames(t.root))
      for (const column of [...INDEXED_ON_EVERY_TABLE, ...(DATABASE_INDEXES[t.root] ?? [])]) store.declareIndex(column)
      this.stores.set(t.root, store)
    }
    return store
  }

  /** the concrete class of a stored row */
  classOf(store: TableStore, row: readonly string[]): string {
    return store.value(row, 'sys_class_name') || store.root
  }

  get(table: string, sysId: string): RecordRef | undefined {
    const t = this.table(table)
    const store = this.storeOf(t)
    const row = store.get(sysId)
    if (!row) return undefined
    const cls = this.classOf(store, row)
    if (cls !== table && !this.schema.isA(cls, table)) return undefined
    return { table: cls, store, row }
  }

  count(table: string): number {
    const t = this.table(table)
    const store = this.storeOf(t)
    if (t.root === table) return store.size
    let n = 0
    for (let i = 0; i < store.size; i++) if (this.schema.isA(this.classOf(store, store.at(i) as string[]), table)) n++
    return n
  }

  /** the first `limit` records of a table (its class and the classes below it), in sys_id order */
  sample(table: string, limit: number): RecordValues[] {
    const t = this.table(table)
    const store = this.storeOf(t)
    const out: RecordValues[] = []
    for (let i = 0; i < store.size && out.length < limit; i++) {
      const row = store.at(i) as string[]
      const cls = this.classOf(store, row)
      if (cls === table || this.schema.isA(cls, table)) out.push(this.values({ table: cls, store, row }))
    }
    return out
  }

  /** the record's values for the given fields (all fields of its class when omitted) */
  values(ref: RecordRef, fields?: readonly string[]): RecordValues {
    const names = fields ?? this.table(ref.table).fieldNames
    const out: RecordValues = {}
    for (const n of names) out[n] = ref.store.value(ref.row, n)
    return out
  }

  /** a field's value, following dot-walks through reference fields (`assigned_to.department.name`) */
  value(ref: RecordRef, path: string): string {
    if (!path.includes('.')) return this.table(ref.table).fields.has(path) ? ref.store.value(ref.row, path) : ''
    const target = this.walk(ref, path)
    return target ? target.ref.store.value(target.ref.row, target.field) : ''
  }

  /** follows a dot-walk to the record holding the last field; undefined when a link is empty */
  walk(ref: RecordRef, path: string): { ref: RecordRef; field: string; def: FieldDef } | undefined {
    const parts = path.split('.')
    let cur = ref
    for (let i = 0; i < parts.length; i++) {
      const def = this.table(cur.table).fields.get(parts[i] as string)
      if (!def) return undefined
      if (i === parts.length - 1) return { ref: cur, field: def.name, def }
      if (def.type !== 'reference' || !def.reference) return undefined
      const id = cur.store.value(cur.row, def.name)
      const next = id ? this.get(def.reference, id) : undefined
      if (!next) return undefined
      cur = next
    }
    return undefined
  }

  insert(table: string, values: RecordValues, user = 'system', sysId?: string): RecordRef {
    const t = this.table(table)
    const store = this.storeOf(t)
    const stamp = formatGlideDateTime(this.now())
    const record: RecordValues = {}
    for (const [name, def] of t.fields) {
      if (PROTECTED.has(name)) continue
      const given = values[name]
      record[name] = given !== undefined ? given : (def.defaultValue ?? '')
    }
    if (t.numberPrefix && t.fields.has('number') && !values.number) record.number = this.nextNumber(t.numberPrefix)
    record.sys_id = sysId ?? newSysId()
    if (store.get(record.sys_id)) throw new EmulatorErrors.ADMIN_INVALID(`sys_id ${record.sys_id} already exists`)
    record.sys_created_on = stamp
    record.sys_created_by = user
    record.sys_updated_on = stamp
    record.sys_updated_by = user
    record.sys_mod_count = '0'
    if (t.fields.has('sys_class_name')) record.sys_class_name = t.name
    const row = store.pack(record)
    store.insert(row)
    const ref = { table: t.name, store, row }
    this.emit({ operation: 'insert', table: t.name, sysId: record.sys_id, record: this.values(ref) })
    return ref
  }

  /** partial update: only the given fields change; system fields are ignored */
  update(table: string, sysId: string, values: RecordValues, user = 'system'): RecordRef | undefined {
    const ref = this.get(table, sysId)
    if (!ref) return undefined
    const fields = this.table(ref.table).fields
    const previous = this.values(ref)
    let changed = false
    for (const [k, v] of Object.entries(values)) {
      if (PROTECTED.has(k) || !fields.has(k)) continue
      if (ref.store.value(ref.row, k) !== v) {
        ref.store.set(ref.row, k, v)
        changed = true
      }
    }
    // The platform skips the write (no sys_mod_count bump) when nothing changed.
    if (changed) {
      ref.store.set(ref.row, 'sys_updated_on', formatGlideDateTime(this.now()))
      ref.store.set(ref.row, 'sys_updated_by', user)
      ref.store.set(ref.row, 'sys_mod_count', String(Number(ref.store.value(ref.row, 'sys_mod_count') || '0') + 1))
      this.emit({ operation: 'update', table: ref.table, sysId, record: this.values(ref), previous })
    }
    return ref
  }

  delete(table: string, sysId: string): boolean {
    const ref = this.get(table, sysId)
    if (!ref) return false
    const record = this.values(ref)
    ref.store.removeAt(ref.store.indexOf(sysId))
    this.emit({ operation: 'delete', table: ref.table, sysId, record })
    return true
  }

  /**
   * Loads many rows without per-row events: system fields default like insert, rows are sorted
   * once at the end. This is what makes a million-row seed take seconds.
   */
  bulkLoad(table: string, records: Iterable<RecordValues>, user = 'system'): number {
    const t = this.table(table)
    const store = this.storeOf(t)
    const stamp = formatGlideDateTime(this.now())
    // one template row holds the defaults; each record is written over a copy of it
    const defaults: RecordValues = {
      sys_created_on: stamp,
      sys_updated_on: stamp,
      sys_created_by: user,
      sys_updated_by: user,
      sys_mod_count: '0',
    }
    for (const [name, def] of t.fields) if (def.defaultValue) defaults[name] = def.defaultValue
    if (t.fields.has('sys_class_name')) defaults.sys_class_name = t.name
    const template = store.pack(defaults)
    const columns = store.columns
    const numberColumn = t.numberPrefix && t.fields.has('number') ? columns.get('number') : undefined
    const classColumn = t.fields.has('sys_class_name') ? columns.get('sys_class_name') : undefined
    // rows are assembled in a full-width scratch array and copied out at their exact length:
    // growing an array by assignment over-allocates, which costs a third of the memory at 1M rows
    const scratch: string[] = new Array<string>(columns.size).fill('')
    const rows: string[][] = []
    for (const values of records) {
      for (let i = 0; i < scratch.length; i++) scratch[i] = template[i] ?? ''
      for (const k in values) {
        const i = columns.get(k)
        const v = values[k]
        if (i !== undefined && v !== undefined && i !== classColumn) scratch[i] = v
      }
      if (!scratch[SYS_ID_COLUMN]) scratch[SYS_ID_COLUMN] = newSysId()
      if (numberColumn !== undefined && !scratch[numberColumn])
        scratch[numberColumn] = this.nextNumber(t.numberPrefix as string)
      let last = scratch.length - 1
      while (last > 0 && scratch[last] === '') last--
      rows.push(scratch.slice(0, last + 1))
    }
    store.bulkAppend(rows)
    return rows.length
  }

  private nextNumber(prefix: string): string {
    const n = (this.numbers.get(prefix) ?? 10000) + 1
    this.numbers.set(prefix, n)
    return `${prefix}${String(n).padStart(7, '0')}`
  }

  private emit(e: ChangeEvent): void {
    for (const l of this.listeners) l(e)
  }
}

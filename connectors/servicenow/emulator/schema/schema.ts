// The instance's schema: table definitions with their class hierarchy, resolved once into the
// lookups every request needs (a table's fields including inherited ones, its root, its
// descendants). Custom tables and columns can be added at run time (emulator admin API).
import { EmulatorErrors } from '../errors.ts'
import { sysClassNameField, systemFields } from './system-fields.ts'
import { catalogTables } from './tables/catalog.ts'
import { cmdbTables } from './tables/cmdb.ts'
import { dictionaryTables } from './tables/dictionary.ts'
import { foundationTables } from './tables/foundation.ts'
import { samTables } from './tables/sam.ts'
import { systemTables } from './tables/system.ts'
import { taskTables } from './tables/task.ts'
import type { FieldDef, TableDef } from './types.ts'

export interface ResolvedTable {
  def: TableDef
  name: string
  /** the extension root: rows of the whole hierarchy live in the root's store */
  root: string
  /** this table and its ancestors, nearest first */
  ancestry: string[]
  /** own and inherited fields (system fields first), by name */
  fields: Map<string, FieldDef>
  /** field names in dictionary order, the default column set of a Table API answer */
  fieldNames: string[]
  displayField: string | undefined
  numberPrefix: string | undefined
}

const CUSTOM_TABLE = /^(u_|x_)[a-z0-9_]+$/
const CUSTOM_FIELD = /^(u_|x_)[a-z0-9_]+$/

export const builtInTables = (): TableDef[] => [
  ...dictionaryTables,
  ...foundationTables,
  ...taskTables,
  ...catalogTables,
  ...cmdbTables,
  ...samTables,
  ...systemTables,
]

export class Schema {
  private readonly defs = new Map<string, TableDef>()
  private readonly resolved = new Map<string, ResolvedTable>()
  private readonly children = new Map<string, string[]>()
  private readonly listeners: Array<(table: string) => void> = []

  constructor(defs: TableDef[] = builtInTables()) {
    for (const def of defs) this.defs.set(def.name, def)
    for (const def of defs) this.link(def)
  }

  /** called after a table or column is added, so derived data (dictionary rows) can follow */
  onChange(listener: (table: string) => void): void {
    this.listeners.push(listener)
  }

  has(table: string): boolean {
    return this.defs.has(table)
  }

  tableNames(): string[] {
    return [...this.defs.keys()]
  }

  table(name: string): ResolvedTable | undefined {
    const cached = this.resolved.get(name)
    if (cached) return cached
    const def = this.defs.get(name)
    if (!def) return undefined
    const ancestry: TableDef[] = []
    for (let cur: TableDef | undefined = def; cur; cur = cur.superClass ? this.defs.get(cur.superClass) : undefined) {
      ancestry.push(cur)
    }
    const root = ancestry[ancestry.length - 1] ?? def
    const fields = new Map<string, FieldDef>()
    for (const f of systemFields()) fields.set(f.name, f)
    if (root.extensible) {
      const cls = sysClassNameField()
      fields.set(cls.name, cls)
    }
    for (const t of [...ancestry].reverse()) for (const f of t.fields) fields.set(f.name, f)
    const resolved: ResolvedTable = {
      def,
      name: def.name,
      root: root.name,
      ancestry: ancestry.map((t) => t.name),
      fields,
      fieldNames: [...fields.keys()],
      displayField: ancestry.find((t) => t.displayField)?.displayField,
      numberPrefix: def.numberPrefix,
    }
    this.resolved.set(name, resolved)
    return resolved
  }

  /** the table and every table extending it, at any depth */
  descendants(name: string): string[] {
    const out = [name]
    for (let i = 0; i < out.length; i++) out.push(...(this.children.get(out[i] as string) ?? []))
    return out
  }

  isA(table: string, ancestor: string): boolean {
    return this.table(table)?.ancestry.includes(ancestor) ?? false
  }

  /** every field name used anywhere in a hierarchy, for the root's column layout */
  hierarchyFieldNames(root: string): string[] {
    const names = new Set<string>()
    for (const t of this.descendants(root)) for (const n of this.table(t)?.fieldNames ?? []) names.add(n)
    return [...names]
  }

  addTable(def: TableDef): ResolvedTable {
    if (!CUSTOM_TABLE.test(def.name))
      throw new EmulatorErrors.SCHEMA_INVALID(`table name "${def.name}" must start with u_ or x_`)
    if (this.defs.has(def.name)) throw new EmulatorErrors.SCHEMA_INVALID(`table "${def.name}" already exists`)
    if (def.superClass && !this.defs.has(def.superClass)) {
      throw new EmulatorErrors.SCHEMA_INVALID(`super class "${def.superClass}" does not exist`)
    }
    if (def.superClass) {
      const parent = this.table(def.superClass)
      const rootDef = parent ? this.defs.get(parent.root) : undefined
      if (!rootDef?.extensible) throw new EmulatorErrors.SCHEMA_INVALID(`table "${def.superClass}" is not extensible`)
    }
    for (const f of def.fields) this.checkField(def.name, f)
    this.defs.set(def.name, def)
    this.link(def)
    this.resolved.clear()
    for (const l of this.listeners) l(def.name)
    return this.table(def.name) as ResolvedTable
  }

  addField(table: string, field: FieldDef): void {
    const def = this.defs.get(table)
    if (!def) throw new EmulatorErrors.SCHEMA_INVALID(`table "${table}" does not exist`)
    if (!CUSTOM_FIELD.test(field.name) && !CUSTOM_TABLE.test(table)) {
      throw new EmulatorErrors.SCHEMA_INVALID(`column "${field.name}" on a base table must start with u_`)
    }
    if (this.table(table)?.fields.has(field.name)) {
      throw new EmulatorErrors.SCHEMA_INVALID(`column "${field.name}" already exists on ${table}`)
    }
    this.checkField(table, field)
    this.replaceFields(def, [...def.fields, field])
  }

  /** changes a column defined on `table` itself (its type, label, flags) */
  updateField(table: string, field: FieldDef): void {
    const def = this.defs.get(table)
    if (!def?.fields.some((f) => f.name === field.name)) {
      throw new EmulatorErrors.SCHEMA_INVALID(`table "${table}" has no column "${field.name}" of its own`)
    }
    this.checkField(table, field)
    this.replaceFields(
      def,
      def.fields.map((f) => (f.name === field.name ? field : f)),
    )
  }

  /** drops a column defined on `table` itself; the tables extending it lose it too */
  removeField(table: string, name: string): void {
    const def = this.defs.get(table)
    if (!def?.fields.some((f) => f.name === name)) {
      throw new EmulatorErrors.SCHEMA_INVALID(`table "${table}" has no column "${name}" of its own`)
    }
    this.replaceFields(
      def,
      def.fields.filter((f) => f.name !== name),
    )
  }

  /** drops a table nothing extends; its rows are the caller's to delete first */
  removeTable(name: string): void {
    const def = this.defs.get(name)
    if (!def) throw new EmulatorErrors.SCHEMA_INVALID(`table "${name}" does not exist`)
    if ((this.children.get(name) ?? []).length > 0) {
      throw new EmulatorErrors.SCHEMA_INVALID(`table "${name}" is extended by other tables`)
    }
    this.defs.delete(name)
    if (def.superClass) {
      const siblings = (this.children.get(def.superClass) ?? []).filter((c) => c !== name)
      this.children.set(def.superClass, siblings)
    }
    this.resolved.clear()
    for (const l of this.listeners) l(name)
  }

  // built-in definitions are shared by every Schema in the process: a change copies the table's
  // definition rather than editing it, so one emulator's columns never show up in another
  private replaceFields(def: TableDef, fields: FieldDef[]): void {
    this.defs.set(def.name, { ...def, fields })
    this.resolved.clear()
    for (const l of this.listeners) l(def.name)
  }

  private checkField(table: string, f: FieldDef): void {
    if (!/^[a-z][a-z0-9_]*$/.test(f.name))
      throw new EmulatorErrors.SCHEMA_INVALID(`column name "${f.name}" on ${table}`)
    if (f.type === 'reference' && (!f.reference || !this.defs.has(f.reference)) && f.reference !== table) {
      throw new EmulatorErrors.SCHEMA_INVALID(`reference column "${f.name}" names no existing table`)
    }
  }

  private link(def: TableDef): void {
    if (!def.superClass) return
    const list = this.children.get(def.superClass) ?? []
    list.push(def.name)
    this.children.set(def.superClass, list)
  }
}

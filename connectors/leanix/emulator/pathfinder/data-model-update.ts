// PUT /services/pathfinder/v1/models/dataModel?force=: a workspace admin replaces the data model
// (leanix-sdk-java ModelsApi.updateDataModel: body DataModel {factSheets, relations,
// externalIdFields, validators, rules}, query `force`, answer DataModelUpdateResponse {status,
// type, data: Deletion[], errorMessage, errors, total}; Deletion {deletionType FACT_SHEET |
// RELATION | FACT_SHEET_FIELD | FACT_SHEET_FIELD_VALUE | ..., count, name, info1, info2}).
// The body is what GET /models/dataModel answers in `data`, changed: an admin reads the model,
// edits it, and puts it back. Our reading of the parts the SDK does not show: an update that would
// delete data answers 400 with the deletions it would make unless `force` is true; with `force`
// the values go and the deletions are answered with status OK.
// Emulator limits: a fact sheet type that still holds fact sheets is not removed (even with
// force), and relation fields are taken as given (their values are not checked).
import { isInterfaceType, validateSchema, type GraphQLSchema } from 'graphql'
import {
  hierarchyRelation,
  relationViews,
  type ExternalIdFieldDefinition,
  type FactSheetTypeDefinition,
  type FieldDefinition,
  type FieldKind,
  type MetaModel,
  type RelationDefinition,
  type RelationEnd,
} from '../meta-model.ts'
import type { WorkspaceStore } from '../workspace/store.ts'
import type { FactSheetRecord, LifecycleValue } from '../workspace/records.ts'
import { buildPathfinderSchema } from './schema.ts'

export class DataModelRefusal extends Error {}

export interface Deletion {
  deletionType: 'FACT_SHEET' | 'RELATION' | 'FACT_SHEET_FIELD' | 'FACT_SHEET_FIELD_VALUE'
  count: number
  name: string
  info1?: string
  info2?: string
}

const KINDS: readonly FieldKind[] = [
  'STRING',
  'INTEGER',
  'DOUBLE',
  'SINGLE_SELECT',
  'MULTIPLE_SELECT',
  'LIFECYCLE',
  'EXTERNAL_ID',
  'LOCATION',
]
const WITH_VALUES: ReadonlySet<FieldKind> = new Set(['SINGLE_SELECT', 'MULTIPLE_SELECT', 'LIFECYCLE'])
/** fact sheet type keys are GraphQL type names (`... on CloudAccount`) */
const TYPE_KEY = /^[A-Z][A-Za-z0-9]{0,63}$/
/** field keys and value keys are GraphQL field and enum names */
const FIELD_KEY = /^[a-z][A-Za-z0-9]{0,63}$/
const VALUE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/
/** the fields GET /models/dataModel lists for every type, which the workspace keeps itself */
const DERIVED_FIELDS: ReadonlySet<string> = new Set(['name', 'description', 'lxState', 'category'])

function rec(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new DataModelRefusal(`${what} must be an object`)
  return value as Record<string, unknown>
}

function strings(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new DataModelRefusal(`${what} must be a list of strings`)
  return value as string[]
}

function field(name: string, value: unknown, where: string, reserved: ReadonlySet<string>): FieldDefinition {
  if (!FIELD_KEY.test(name)) throw new DataModelRefusal(`${where}: "${name}" is not a valid field key`)
  if (reserved.has(name)) throw new DataModelRefusal(`${where}: "${name}" is a field every fact sheet has`)
  const body = rec(value, `${where}.${name}`)
  const type = body.type as FieldKind
  if (!KINDS.includes(type))
    throw new DataModelRefusal(`${where}.${name}: unknown data type ${JSON.stringify(body.type)}`)
  if (!WITH_VALUES.has(type)) return { type }
  const values = strings(body.values, `${where}.${name}.values`)
  if (values.length === 0) throw new DataModelRefusal(`${where}.${name}: a ${type} field needs values`)
  const bad = values.find((v) => !VALUE_KEY.test(v))
  if (bad !== undefined) throw new DataModelRefusal(`${where}.${name}: "${bad}" is not a valid value key`)
  if (new Set(values).size !== values.length) throw new DataModelRefusal(`${where}.${name}: a value is given twice`)
  return { type, values }
}

function relationEnd(value: unknown, where: string, types: ReadonlySet<string>): RelationEnd {
  const end = rec(value, where)
  const factSheetType = String(end.factSheetType)
  if (!types.has(factSheetType)) throw new DataModelRefusal(`${where}: unknown fact sheet type "${factSheetType}"`)
  if (typeof end.name !== 'string' || !FIELD_KEY.test(end.name))
    throw new DataModelRefusal(`${where}: the relation needs a valid name`)
  return { factSheetType, name: end.name, multiplicity: end.multiplicity === 'SINGLE' ? 'SINGLE' : 'MULTI' }
}

/** The fields of the BaseFactSheet interface: a type's own field may not take one of their names. */
export function fieldsEveryFactSheetHas(schema: GraphQLSchema): ReadonlySet<string> {
  const base = schema.getType('BaseFactSheet')
  return new Set(isInterfaceType(base) ? Object.keys(base.getFields()) : [])
}

/** The fact sheet types of the body, without their self relations yet. */
function parseTypes(root: Record<string, unknown>, reserved: ReadonlySet<string>) {
  const typeBodies = Object.entries(rec(root.factSheets, 'factSheets'))
  if (typeBodies.length === 0) throw new DataModelRefusal('factSheets must list at least one fact sheet type')
  const factSheets: Record<string, FactSheetTypeDefinition> = {}
  for (const [type, value] of typeBodies) {
    if (!TYPE_KEY.test(type)) throw new DataModelRefusal(`"${type}" is not a valid fact sheet type key`)
    const def = rec(value, `factSheets.${type}`)
    const bodyFields = rec(def.fields ?? {}, `factSheets.${type}.fields`)
    const fields: Record<string, FieldDefinition> = {}
    for (const [name, dataType] of Object.entries(bodyFields)) {
      if (DERIVED_FIELDS.has(name)) continue
      fields[name] = field(name, dataType, `factSheets.${type}.fields`, reserved)
    }
    const categories =
      def.subtypes !== undefined
        ? strings(def.subtypes, `factSheets.${type}.subtypes`)
        : bodyFields.category !== undefined
          ? strings(rec(bodyFields.category, `factSheets.${type}.fields.category`).values ?? [], 'category values')
          : []
    factSheets[type] = { categories, fields, selfRelations: [] }
  }
  return factSheets
}

function parseRelations(root: Record<string, unknown>, types: ReadonlySet<string>): RelationDefinition[] {
  const relations: RelationDefinition[] = []
  for (const [key, value] of Object.entries(rec(root.relations ?? {}, 'relations'))) {
    const def = rec(value, `relations.${key}`)
    const fields: Record<string, FieldDefinition> = {}
    for (const [name, dataType] of Object.entries(rec(def.fields ?? {}, `relations.${key}.fields`)))
      fields[name] = field(name, dataType, `relations.${key}.fields`, new Set())
    const constraints = strings(def.constraints ?? [], `relations.${key}.constraints`).filter(
      (c): c is RelationDefinition['constraints'][number] =>
        c === 'TYPE_EQUAL' || c === 'CYCLES_ALLOWED' || c === 'FACT_SHEET_UNIQUE_LAX',
    )
    relations.push({
      key,
      from: relationEnd(def.from, `relations.${key}.from`, types),
      to: relationEnd(def.to, `relations.${key}.to`, types),
      fields,
      constraints,
      constrainingRelations: strings(def.constrainingRelations ?? [], `relations.${key}.constrainingRelations`),
    })
  }
  for (const type of types)
    if (!relations.some((r) => r.key === `${type}:relToParent`))
      // every type has a hierarchy (docs/reference/leanix.md §4), also one the body gives none
      relations.push(hierarchyRelation(type))
  return relations
}

function parseExternalIdFields(root: Record<string, unknown>, types: ReadonlySet<string>) {
  const externalIdFields: Record<string, ExternalIdFieldDefinition> = {}
  for (const [name, value] of Object.entries(rec(root.externalIdFields ?? {}, 'externalIdFields'))) {
    const def = rec(value, `externalIdFields.${name}`)
    const forFactSheets = strings(def.forFactSheets ?? [], `externalIdFields.${name}.forFactSheets`)
    const unknown = forFactSheets.find((t) => !types.has(t))
    if (unknown !== undefined)
      throw new DataModelRefusal(`externalIdFields.${name}: unknown fact sheet type "${unknown}"`)
    externalIdFields[name] = {
      uniqueFactSheet: def.uniqueFactSheet === true,
      readOnly: def.readOnly === true,
      forFactSheets,
      ...(typeof def.urlTemplate === 'string' ? { urlTemplate: def.urlTemplate } : {}),
    }
  }
  return externalIdFields
}

/** The meta model a PUT body describes; refuses what the workspace could not serve. */
export function parseDataModel(body: unknown, current: MetaModel, reservedFields: ReadonlySet<string>): MetaModel {
  const root = rec(body, 'The data model')
  const parsedTypes = parseTypes(root, reservedFields)
  const types = new Set(Object.keys(parsedTypes))
  const relations = parseRelations(root, types)
  const has = (key: string) => relations.some((r) => r.key === key)
  const factSheets = Object.fromEntries(
    Object.entries(parsedTypes).map(([type, def]) => {
      const selfRelations: Array<'requires' | 'successor'> = []
      if (has(`${type}:relToRequires`)) selfRelations.push('requires')
      if (has(`${type}:relToSuccessor`)) selfRelations.push('successor')
      return [type, { ...def, selfRelations }]
    }),
  )
  const externalIdFields = parseExternalIdFields(root, types)

  const next: MetaModel = { preset: current.preset, factSheets, relations, externalIdFields }
  // a type or relation name that clashes with the API's own types cannot be served
  let problems: readonly Error[]
  try {
    problems = validateSchema(buildPathfinderSchema(next, relationViews(next)).schema)
  } catch (error) {
    problems = [error as Error]
  }
  if (problems.length > 0) throw new DataModelRefusal(`The GraphQL API cannot serve it: ${problems[0]?.message}`)
  return next
}

/** Whether `value`, held in a field now defined as `before`, still fits `after`. */
function fits(value: unknown, before: FieldDefinition, after: FieldDefinition | undefined): boolean {
  if (after === undefined || after.type !== before.type) return false
  if (!WITH_VALUES.has(after.type)) return true
  const allowed = new Set(after.values ?? [])
  if (after.type === 'SINGLE_SELECT') return allowed.has(String(value))
  if (after.type === 'MULTIPLE_SELECT') return (value as string[]).every((v) => allowed.has(v))
  return (value as LifecycleValue).phases.every((p) => allowed.has(p.phase))
}

/** What `value` keeps of a select or lifecycle whose allowed values shrank; undefined when nothing. */
function kept(value: unknown, after: FieldDefinition): unknown {
  const allowed = new Set(after.values ?? [])
  if (after.type === 'MULTIPLE_SELECT') {
    const left = (value as string[]).filter((v) => allowed.has(v))
    return left.length > 0 ? left : undefined
  }
  if (after.type === 'LIFECYCLE') {
    const phases = (value as LifecycleValue).phases.filter((p) => allowed.has(p.phase))
    return phases.length > 0 ? { phases } : undefined
  }
  return undefined
}

export interface DataModelUpdate {
  deletions: Deletion[]
  /** puts the new model in place and drops the data it no longer holds */
  apply(): void
}

/** The deletions `next` would make in `store`, and how to make them. */
export function planDataModelUpdate(store: WorkspaceStore, next: MetaModel): DataModelUpdate {
  const current = store.metaModel
  const deletions: Deletion[] = []
  const count = (d: Omit<Deletion, 'count'>) => {
    const found = deletions.find(
      (e) => e.deletionType === d.deletionType && e.name === d.name && e.info1 === d.info1 && e.info2 === d.info2,
    )
    if (found) found.count++
    else deletions.push({ ...d, count: 1 })
  }
  const rewritten: FactSheetRecord[] = []
  for (const fs of store.factSheets.values()) {
    const after = next.factSheets[fs.type]
    if (after === undefined) {
      count({ deletionType: 'FACT_SHEET', name: fs.type })
      continue
    }
    const before = current.factSheets[fs.type]?.fields ?? {}
    let fields: Record<string, unknown> | undefined
    for (const [name, value] of Object.entries(fs.fields)) {
      const definition = before[name]
      if (value === null || value === undefined || definition === undefined) continue
      if (fits(value, definition, after.fields[name])) continue
      const changed = after.fields[name]
      const left = changed && changed.type === definition.type ? kept(value, changed) : undefined
      if (changed && changed.type === definition.type)
        count({ deletionType: 'FACT_SHEET_FIELD_VALUE', name, info1: fs.type })
      else count({ deletionType: 'FACT_SHEET_FIELD', name, info1: fs.type })
      fields ??= { ...fs.fields }
      if (left === undefined) delete fields[name]
      else fields[name] = left
    }
    if (fields)
      rewritten.push({ ...fs, fields, naFields: fs.naFields.filter((n) => !(n in before) || n in after.fields) })
  }
  const keys = new Set(next.relations.map((r) => r.key))
  const orphaned = [...store.relations.values()].filter((r) => !keys.has(r.definitionKey))
  for (const r of orphaned) count({ deletionType: 'RELATION', name: r.definitionKey })
  return {
    deletions,
    apply() {
      const types = deletions.filter((d) => d.deletionType === 'FACT_SHEET').map((d) => d.name)
      if (types.length > 0)
        throw new DataModelRefusal(
          `The emulator removes no fact sheet type that holds fact sheets (${types.join(', ')}); archive and purge them first`,
        )
      for (const r of orphaned) store.deleteRelation(null, r.id)
      for (const fs of rewritten) store.putFactSheet(null, fs)
      store.replaceMetaModel(next)
    },
  }
}

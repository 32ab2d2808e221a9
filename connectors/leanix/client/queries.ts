// GraphQL documents for reading fact sheets, built from the workspace data model so that a read
// asks only for what a mapping needs (plus id, rev, updatedAt, status and every external id),
// and the mapping from a Pathfinder node to a flat record the rest of the hub works with.
import { LeanixErrors } from '../errors.ts'
import type { FactSheetTypeModel, FieldModel, RelationModel } from './data-model.ts'

/** Base fields of every fact sheet (BaseFactSheet interface) that are plain scalars. */
const BASE_SCALARS = new Set([
  'id',
  'rev',
  'type',
  'name',
  'displayName',
  'fullName',
  'description',
  'category',
  'status',
  'lxState',
  'level',
  'createdAt',
  'updatedAt',
])
const ALWAYS = ['id', 'rev', 'type', 'name', 'status', 'updatedAt']
const EXTERNAL_ID_SELECTION = '{ externalId externalUrl comment status externalVersion }'
const LIFECYCLE_SELECTION = '{ asString phases { phase startDate } }'
const TAGS_SELECTION = 'tags { id name tagGroup { id name } }'
const SUBSCRIPTIONS_SELECTION =
  'subscriptions { edges { node { id type user { id email } roles { id name comment } } } }'
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/

export interface Selection {
  type: FactSheetTypeModel
  baseFields: string[]
  typeFields: FieldModel[]
  relations: RelationModel[]
  tags: boolean
  subscriptions: boolean
}

/**
 * What to select for `fields` (undefined: every base and data-model field, tags, no relations).
 * Relations, `tags` and `subscriptions` are selected only when named.
 */
export function selectionFor(type: FactSheetTypeModel, fields?: readonly string[]): Selection {
  if (!GRAPHQL_NAME.test(type.name)) throw new LeanixErrors.UNKNOWN_TYPE(type.name, 'type keys are GraphQL names')
  const wanted = fields ?? [...BASE_SCALARS, ...type.fields.keys(), 'tags']
  const base = new Set(ALWAYS)
  const typeFields = new Map<string, FieldModel>()
  const relations = new Map<string, RelationModel>()
  let tags = false
  let subscriptions = false
  for (const f of type.fields.values()) if (f.kind === 'externalId') typeFields.set(f.name, f)
  for (const name of wanted) {
    if (BASE_SCALARS.has(name)) base.add(name)
    else if (name === 'tags') tags = true
    else if (name === 'subscriptions') subscriptions = true
    else if (type.fields.has(name)) {
      const f = type.fields.get(name) as FieldModel
      if (f.kind !== 'other') typeFields.set(name, f)
    } else if (type.relations.has(name)) relations.set(name, type.relations.get(name) as RelationModel)
    else throw new LeanixErrors.FIELD_UNKNOWN(name, type.name)
  }
  for (const f of typeFields.values()) base.delete(f.name)
  return {
    type,
    baseFields: [...base],
    typeFields: [...typeFields.values()],
    relations: [...relations.values()],
    tags,
    subscriptions,
  }
}

/** The selection set of one fact sheet node. */
export function nodeSelection(sel: Selection): string {
  const inner: string[] = []
  for (const f of sel.typeFields) inner.push(fieldSelection(f))
  for (const r of sel.relations) inner.push(relationSelection(r))
  const parts = [...sel.baseFields]
  if (sel.tags) parts.push(TAGS_SELECTION)
  if (sel.subscriptions) parts.push(SUBSCRIPTIONS_SELECTION)
  if (inner.length) parts.push(`... on ${sel.type.name} { ${inner.join(' ')} }`)
  return parts.join(' ')
}

function fieldSelection(f: FieldModel): string {
  if (!GRAPHQL_NAME.test(f.name)) throw new LeanixErrors.FIELD_UNKNOWN(f.name, 'this workspace (not a GraphQL name)')
  if (f.kind === 'lifecycle') return `${f.name} ${LIFECYCLE_SELECTION}`
  if (f.kind === 'externalId') return `${f.name} ${EXTERNAL_ID_SELECTION}`
  return f.name
}

function relationSelection(r: RelationModel): string {
  const attrs = r.fields.filter((f) => GRAPHQL_NAME.test(f.name) && f.kind !== 'other').map(fieldSelection)
  return `${r.name} { edges { node { id activeFrom activeUntil description ${attrs.join(' ')} factSheet { id type name displayName } } } }`
}

export const READ_QUERY = (
  sel: Selection,
) => `query CrosswalkRead($filter: FilterInput, $first: Int, $after: String, $sort: [Sorting]) {
  allFactSheets(filter: $filter, first: $first, after: $after, sort: $sort) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ${nodeSelection(sel)} } }
  }
}`

export const BY_ID_QUERY = (sel: Selection) => `query CrosswalkFactSheet($id: ID!) {
  factSheet(id: $id) { ${nodeSelection(sel)} }
}`

/** Counts several filters in one request (aliases c0, c1, ...). */
export function countQuery(n: number): string {
  const vars = Array.from({ length: n }, (_, i) => `$f${i}: FilterInput`).join(', ')
  const fields = Array.from({ length: n }, (_, i) => `c${i}: allFactSheets(filter: $f${i}, first: 1) { totalCount }`)
  return `query CrosswalkCount(${vars}) { ${fields.join(' ')} }`
}

export interface FactSheetConnection {
  totalCount: number
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  edges: Array<{ node: Record<string, unknown> }>
}

export interface RelationRecord {
  relationId: string
  factSheetId: string
  factSheetType?: string
  name?: string
  displayName?: string
  activeFrom?: string | null
  activeUntil?: string | null
  description?: string | null
  [field: string]: unknown
}

/** Flattens a node: relation and subscription connections become arrays. */
export function toRecord(node: Record<string, unknown>, sel: Selection): Record<string, unknown> & { id: string } {
  const record: Record<string, unknown> = { ...node, id: String(node.id) }
  for (const r of sel.relations) record[r.name] = edgesOf(node[r.name]).map(relationRecord)
  if (sel.subscriptions) record.subscriptions = edgesOf(node.subscriptions)
  return record as Record<string, unknown> & { id: string }
}

function relationRecord(edge: Record<string, unknown>): RelationRecord {
  const { id, factSheet, ...attrs } = edge
  const target = (factSheet ?? {}) as Record<string, unknown>
  return {
    ...attrs,
    relationId: String(id),
    factSheetId: String(target.id),
    factSheetType: typeof target.type === 'string' ? target.type : undefined,
    name: typeof target.name === 'string' ? target.name : undefined,
    displayName: typeof target.displayName === 'string' ? target.displayName : undefined,
  }
}

function edgesOf(conn: unknown): Array<Record<string, unknown>> {
  const edges = (conn as { edges?: Array<{ node?: Record<string, unknown> }> } | null)?.edges
  return Array.isArray(edges) ? edges.map((e) => e.node).filter((n): n is Record<string, unknown> => !!n) : []
}

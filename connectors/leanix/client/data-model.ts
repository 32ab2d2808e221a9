// The workspace's data model, read from GET /services/pathfinder/v1/models/dataModel: which fact
// sheet types exist, their fields with data types, and their relations. Type keys differ between
// v3-origin and v4 workspaces (UserGroup vs Organization...), so nothing here names a type.
import type { EntityDescription, FieldDescription } from '../../../core/connector/contract.ts'
import { LeanixErrors } from '../errors.ts'
import type { Credentials } from '../../../core/http/credentials.ts'
import { parseJson, type LeanixTransport } from './transport.ts'

export const DATA_MODEL_PATH = '/services/pathfinder/v1/models/dataModel'

export type FieldKind = 'string' | 'integer' | 'double' | 'single' | 'multi' | 'lifecycle' | 'externalId' | 'other'

export interface FieldModel {
  name: string
  kind: FieldKind
  /** the LeanIX DataType name, e.g. SingleSelectType */
  dataType: string
  values?: string[]
}

export interface RelationModel {
  /** the relation field on this type, e.g. relApplicationToITComponent */
  name: string
  targetType: string
  multiplicity?: string
  /** relation attributes besides activeFrom/activeUntil/description */
  fields: FieldModel[]
}

export interface FactSheetTypeModel {
  name: string
  fields: Map<string, FieldModel>
  relations: Map<string, RelationModel>
}

export interface WorkspaceModel {
  types: Map<string, FactSheetTypeModel>
  externalIdFields: string[]
}

/** Fields every fact sheet has (BaseFactSheet), whatever the data model lists. */
export const BASE_FIELDS: FieldDescription[] = [
  { name: 'id', type: 'string', readOnly: true },
  { name: 'rev', type: 'integer', readOnly: true },
  { name: 'type', type: 'string', readOnly: true },
  { name: 'name', type: 'string', mandatory: true },
  { name: 'displayName', type: 'string', readOnly: true },
  { name: 'fullName', type: 'string', readOnly: true },
  { name: 'description', type: 'string' },
  { name: 'category', type: 'string' },
  { name: 'status', type: 'choice', readOnly: true, choices: [{ value: 'ACTIVE' }, { value: 'ARCHIVED' }] },
  {
    name: 'lxState',
    type: 'choice',
    choices: ['DRAFT', 'BROKEN_QUALITY_SEAL', 'APPROVED', 'REJECTED'].map((value) => ({ value })),
  },
  { name: 'level', type: 'integer', readOnly: true },
  { name: 'createdAt', type: 'datetime', readOnly: true },
  { name: 'updatedAt', type: 'datetime', readOnly: true },
  { name: 'tags', type: 'tags' },
  { name: 'subscriptions', type: 'subscriptions' },
]

// The Java SDK names DataType subtypes (StringDataType...); the meta-model configuration JSON
// uses constants (STRING...). Both spellings are accepted.
const KIND_BY_DATA_TYPE: Record<string, FieldKind> = {
  STRING: 'string',
  INTEGER: 'integer',
  DOUBLE: 'double',
  SINGLE_SELECT: 'single',
  MULTIPLE_SELECT: 'multi',
  LIFECYCLE: 'lifecycle',
  EXTERNAL_ID: 'externalId',
  StringDataType: 'string',
  IntNumberDataType: 'integer',
  DoubleNumberDataType: 'double',
  SingleSelectType: 'single',
  MultipleSelectType: 'multi',
  LifecycleType: 'lifecycle',
  ExternalIdType: 'externalId',
}

export async function fetchDataModel(
  transport: LeanixTransport,
  auth: Credentials,
  signal?: AbortSignal,
): Promise<WorkspaceModel> {
  const label = 'Pathfinder data model'
  const res = await transport.send({ method: 'GET', path: DATA_MODEL_PATH, idempotent: true, label, signal }, auth)
  if (res.status === 401 || res.status === 403) throw new LeanixErrors.AUTH_REJECTED(res.status)
  if (res.status !== 200) throw new LeanixErrors.HTTP_STATUS(label, res.status, res.text.slice(0, 200))
  return parseDataModel(parseJson(res, label))
}

/** Accepts the bare DataModel or the REST envelope {status, data: DataModel}. */
export function parseDataModel(body: unknown): WorkspaceModel {
  const root = rec(body)
  const model = 'factSheets' in root ? root : rec(root.data)
  const types = new Map<string, FactSheetTypeModel>()
  for (const [name, def] of Object.entries(rec(model.factSheets))) {
    const fields = new Map<string, FieldModel>()
    for (const [fieldName, dt] of Object.entries(rec(rec(def).fields))) fields.set(fieldName, fieldModel(fieldName, dt))
    types.set(name, { name, fields, relations: new Map() })
  }
  for (const [key, def] of Object.entries(rec(model.relations))) {
    const from = rec(rec(def).from)
    const to = rec(rec(def).to)
    const relFields = Object.entries(rec(rec(def).fields)).map(([n, dt]) => fieldModel(n, dt))
    const fromType = types.get(String(from.factSheetType))
    const toType = types.get(String(to.factSheetType))
    const fromName = typeof from.name === 'string' ? from.name : key
    if (fromType) {
      fromType.relations.set(fromName, {
        name: fromName,
        targetType: String(to.factSheetType),
        multiplicity: str(to.multiplicity),
        fields: relFields,
      })
    }
    if (toType && typeof to.name === 'string' && to.name !== fromName) {
      toType.relations.set(to.name, {
        name: to.name,
        targetType: String(from.factSheetType),
        multiplicity: str(from.multiplicity),
        fields: relFields,
      })
    }
  }
  return { types, externalIdFields: Object.keys(rec(model.externalIdFields)) }
}

export function requireType(model: WorkspaceModel, type: string): FactSheetTypeModel {
  const found = model.types.get(type)
  if (!found) throw new LeanixErrors.UNKNOWN_TYPE(type, [...model.types.keys()].join(', ') || '(none)')
  return found
}

/** The contract's view of each fact sheet type. */
export function describeEntities(model: WorkspaceModel): EntityDescription[] {
  return [...model.types.values()].map((t) => {
    const fields: FieldDescription[] = [...BASE_FIELDS]
    const known = new Set(fields.map((f) => f.name))
    for (const f of t.fields.values()) {
      if (known.has(f.name)) continue
      fields.push(describeField(f))
    }
    for (const r of t.relations.values()) fields.push({ name: r.name, type: 'relation', reference: r.targetType })
    return { name: t.name, fields }
  })
}

function describeField(f: FieldModel): FieldDescription {
  switch (f.kind) {
    case 'string':
      return { name: f.name, type: 'string' }
    case 'integer':
      return { name: f.name, type: 'integer' }
    case 'double':
      return { name: f.name, type: 'decimal' }
    case 'single':
      return { name: f.name, type: 'choice', choices: (f.values ?? []).map((value) => ({ value })) }
    case 'multi':
      return { name: f.name, type: 'list', choices: (f.values ?? []).map((value) => ({ value })) }
    case 'lifecycle':
      return { name: f.name, type: 'lifecycle', choices: (f.values ?? []).map((value) => ({ value })) }
    case 'externalId':
      return { name: f.name, type: 'externalId' }
    default:
      return { name: f.name, type: 'json', readOnly: true }
  }
}

function fieldModel(name: string, dt: unknown): FieldModel {
  const d = rec(dt)
  const dataType = typeof d.type === 'string' ? d.type : 'unknown'
  const values = Array.isArray(d.values) ? d.values.filter((v): v is string => typeof v === 'string') : undefined
  return { name, kind: KIND_BY_DATA_TYPE[dataType] ?? 'other', dataType, ...(values ? { values } : {}) }
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

// The meta model a workspace is configured with: fact sheet types, their fields, their relations
// and the external-id fields. Everything else (the GraphQL schema, the patch engine, the facets,
// GET /models/dataModel) is derived from this one description, so a custom type or field is a
// data change. Two presets: a fresh v4 workspace and a v3-origin one that kept the old keys
// (UserGroup, Project, Process), see docs/reference/leanix.md §4.

export type FieldKind =
  'STRING' | 'INTEGER' | 'DOUBLE' | 'SINGLE_SELECT' | 'MULTIPLE_SELECT' | 'LIFECYCLE' | 'EXTERNAL_ID' | 'LOCATION'

export interface FieldDefinition {
  type: FieldKind
  /** allowed keys of SINGLE_SELECT / MULTIPLE_SELECT, lifecycle phases of LIFECYCLE */
  values?: readonly string[]
}

export interface FactSheetTypeDefinition {
  /** subtypes, the values the `category` field may take */
  categories: readonly string[]
  fields: Readonly<Record<string, FieldDefinition>>
  /** self relations this type has besides relToParent/relToChild */
  selfRelations: readonly ('requires' | 'successor')[]
}

export interface RelationEnd {
  factSheetType: string
  /** the relation's name as seen from this end (relApplicationToITComponent on the Application) */
  name: string
  /** as LeanIX's data model spells it (leanix-sdk-java models/FromAndToDefinition.java) */
  multiplicity: 'SINGLE' | 'MULTI'
}

/** One directed relation; stored once, read from both ends. */
export interface RelationDefinition {
  /** canonical key: the name on the `from` end */
  key: string
  from: RelationEnd
  to: RelationEnd
  fields: Readonly<Record<string, FieldDefinition>>
  /**
   * relations (names on the same `from` type) that may constrain this one: an Application's
   * business capability relation holds for one of its organizations (leanix-public/scripts
   * importConstrainingRelations.py); LeanIX's data model lists them per relation
   */
  constrainingRelations: readonly string[]
  /** TYPE_EQUAL | CYCLES_ALLOWED | FACT_SHEET_UNIQUE_LAX (leanix-sdk-java RelationDefinition) */
  constraints: readonly ('TYPE_EQUAL' | 'CYCLES_ALLOWED' | 'FACT_SHEET_UNIQUE_LAX')[]
}

export interface ExternalIdFieldDefinition {
  uniqueFactSheet: boolean
  forFactSheets: readonly string[]
  readOnly: boolean
  urlTemplate?: string
}

export interface MetaModel {
  preset: 'v4' | 'v3'
  factSheets: Readonly<Record<string, FactSheetTypeDefinition>>
  relations: readonly RelationDefinition[]
  externalIdFields: Readonly<Record<string, ExternalIdFieldDefinition>>
}

export const LIFECYCLE_PHASES = ['plan', 'phaseIn', 'active', 'phaseOut', 'endOfLife'] as const

const lifecycle: FieldDefinition = { type: 'LIFECYCLE', values: LIFECYCLE_PHASES }
const text: FieldDefinition = { type: 'STRING' }
const externalId: FieldDefinition = { type: 'EXTERNAL_ID' }
const select = (...values: string[]): FieldDefinition => ({ type: 'SINGLE_SELECT', values })
const multi = (...values: string[]): FieldDefinition => ({ type: 'MULTIPLE_SELECT', values })

// Standard value keys (docs/reference/leanix.md §3.2).
const businessCriticality = select(
  'missionCritical',
  'businessCritical',
  'businessOperational',
  'administrativeService',
)
const functionalSuitability = select('unreasonable', 'insufficient', 'appropriate', 'perfect')
const technicalSuitability = select('inappropriate', 'unreasonable', 'adequate', 'fullyAppropriate')

/** The workspace type keys that differ between a fresh v4 and a v3-origin workspace. */
interface TypeKeys {
  organization: string
  initiative: string
  businessContext: string
}

const V4_KEYS: TypeKeys = { organization: 'Organization', initiative: 'Initiative', businessContext: 'BusinessContext' }
const V3_KEYS: TypeKeys = { organization: 'UserGroup', initiative: 'Project', businessContext: 'Process' }

function factSheetTypes(k: TypeKeys): Record<string, FactSheetTypeDefinition> {
  const common = { alias: text, externalId }
  return {
    Objective: { categories: [], fields: { ...common, lifecycle }, selfRelations: [] },
    Platform: { categories: [], fields: { ...common }, selfRelations: [] },
    [k.initiative]: {
      categories: ['idea', 'program', 'project', 'epic'],
      fields: {
        ...common,
        lifecycle,
        businessValue: select('low', 'medium', 'high'),
        projectRisk: select('low', 'medium', 'high'),
        budgetOpEx: { type: 'DOUBLE' },
        budgetCapEx: { type: 'DOUBLE' },
      },
      selfRelations: ['successor'],
    },
    [k.organization]: {
      categories: ['businessUnit', 'customer', 'country', 'legalEntity', 'team'],
      fields: { ...common, location: { type: 'LOCATION' } },
      selfRelations: [],
    },
    BusinessCapability: { categories: [], fields: { ...common }, selfRelations: [] },
    [k.businessContext]: {
      categories: ['process', 'customerJourney', 'businessProduct', 'valueStream', 'esgCapability'],
      fields: { ...common, lifecycle },
      selfRelations: ['successor'],
    },
    Application: {
      categories: ['businessApplication', 'microservice', 'deployment'],
      fields: {
        ...common,
        release: text,
        lifecycle,
        businessCriticality,
        businessCriticalityDescription: text,
        functionalSuitability,
        functionalSuitabilityDescription: text,
        technicalSuitability,
        technicalSuitabilityDescription: text,
        supportedPlatforms: multi('windows', 'macOS', 'linux', 'android', 'iOS', 'web'),
        serviceNowExternalId: externalId,
      },
      selfRelations: ['requires', 'successor'],
    },
    Interface: {
      categories: ['logicalInterface', 'api'],
      fields: {
        ...common,
        release: text,
        lifecycle,
        frequency: select('realTime', 'daily', 'weekly', 'monthly', 'onDemand'),
        dataFlowDirection: select('providerToConsumer', 'consumerToProvider', 'bidirectional'),
        interfaceType: select('rest', 'soap', 'file', 'database', 'messaging'),
      },
      selfRelations: ['successor'],
    },
    DataObject: {
      categories: [],
      fields: { ...common, dataClassification: select('public', 'internal', 'confidential', 'restricted') },
      selfRelations: [],
    },
    ITComponent: {
      categories: ['software', 'hardware', 'service', 'iaas', 'paas', 'saas'],
      fields: {
        ...common,
        release: text,
        lifecycle,
        technicalSuitability,
        serviceNowExternalId: externalId,
      },
      selfRelations: ['requires', 'successor'],
    },
    TechnicalStack: { categories: [], fields: { ...common, serviceNowExternalId: externalId }, selfRelations: [] },
    Provider: { categories: [], fields: { ...common, lifecycle }, selfRelations: [] },
  }
}

function relation(
  from: string,
  to: string,
  fields: Record<string, FieldDefinition> = {},
  names?: { from: string; to: string },
  toMultiplicity: 'SINGLE' | 'MULTI' = 'MULTI',
  constrainingRelations: readonly string[] = [],
): RelationDefinition {
  const fromName = names?.from ?? `rel${from}To${to}`
  return {
    key: fromName,
    from: { factSheetType: from, name: fromName, multiplicity: 'MULTI' },
    to: { factSheetType: to, name: names?.to ?? `rel${to}To${from}`, multiplicity: toMultiplicity },
    fields,
    constrainingRelations,
    constraints: [],
  }
}

/** A relation of a type with itself, keyed `<Type>:<from name>`. */
function selfRelation(
  type: string,
  from: [name: string, multiplicity: 'SINGLE' | 'MULTI'],
  to: string,
  constraints: RelationDefinition['constraints'],
): RelationDefinition {
  return {
    key: `${type}:${from[0]}`,
    from: { factSheetType: type, name: from[0], multiplicity: from[1] },
    to: { factSheetType: type, name: to, multiplicity: 'MULTI' },
    fields: {},
    constrainingRelations: [],
    constraints,
  }
}

/** The hierarchy every fact sheet type has; parent and child are of one type (our reading of TYPE_EQUAL). */
export function hierarchyRelation(type: string): RelationDefinition {
  return selfRelation(type, ['relToParent', 'SINGLE'], 'relToChild', ['TYPE_EQUAL'])
}

function relations(k: TypeKeys, types: Record<string, FactSheetTypeDefinition>): RelationDefinition[] {
  const appToItc = {
    usageType: select('sourceCode', 'runtime', 'development', 'operations'),
    obsolescenceRiskStatus: select('riskAccepted', 'riskAddressed', 'riskMitigated', 'riskNotAddressed'),
    technicalSuitability,
    costTotalAnnual: { type: 'DOUBLE' } as FieldDefinition,
  }
  const list: RelationDefinition[] = [
    relation('Application', 'ITComponent', appToItc),
    relation(
      'Application',
      'BusinessCapability',
      { functionalSuitability, supportType: select('leading', 'secondary') },
      undefined,
      'MULTI',
      [`relApplicationTo${k.organization}`],
    ),
    relation('Application', k.organization, { usageType: select('user', 'owner') }),
    relation('Application', k.businessContext, {}, undefined, 'MULTI', [
      `relApplicationTo${k.organization}`,
      'relApplicationToBusinessCapability',
    ]),
    relation('Application', k.initiative),
    relation('Application', 'DataObject', { usage: multi('create', 'read', 'update', 'delete') }),
    relation(
      'Application',
      'Interface',
      {},
      {
        from: 'relProviderApplicationToInterface',
        to: 'relInterfaceToProviderApplication',
      },
      'SINGLE',
    ),
    relation(
      'Application',
      'Interface',
      {},
      {
        from: 'relConsumerApplicationToInterface',
        to: 'relInterfaceToConsumerApplication',
      },
    ),
    relation('Interface', 'DataObject'),
    relation('Interface', 'ITComponent'),
    relation('ITComponent', 'Provider'),
    relation(
      'ITComponent',
      'TechnicalStack',
      {},
      {
        from: 'relITComponentToTechnologyStack',
        to: 'relTechnologyStackToITComponent',
      },
    ),
    relation('ITComponent', k.organization),
    relation('BusinessCapability', 'Objective'),
    relation(k.businessContext, 'BusinessCapability'),
    relation(k.initiative, 'ITComponent'),
    relation(k.initiative, 'Provider'),
    relation(k.initiative, k.organization),
    relation(k.initiative, 'BusinessCapability', {}, undefined, 'MULTI', [`rel${k.initiative}To${k.organization}`]),
    relation(k.initiative, k.businessContext),
    relation(k.initiative, 'Objective'),
    relation('Platform', 'Application'),
    relation('Platform', 'Objective'),
  ]
  // Self relations: every type has a hierarchy; some also requires/successor (docs/reference/leanix.md §4).
  for (const [type, def] of Object.entries(types)) {
    list.push(hierarchyRelation(type))
    if (def.selfRelations.includes('requires'))
      list.push(selfRelation(type, ['relToRequires', 'MULTI'], 'relToRequiredBy', ['TYPE_EQUAL', 'CYCLES_ALLOWED']))
    if (def.selfRelations.includes('successor'))
      list.push(selfRelation(type, ['relToSuccessor', 'MULTI'], 'relToPredecessor', ['TYPE_EQUAL']))
  }
  return list
}

export function buildMetaModel(preset: 'v4' | 'v3'): MetaModel {
  const keys = preset === 'v4' ? V4_KEYS : V3_KEYS
  const types = factSheetTypes(keys)
  return {
    preset,
    factSheets: types,
    relations: relations(keys, types),
    externalIdFields: {
      externalId: { uniqueFactSheet: false, forFactSheets: Object.keys(types), readOnly: false },
      serviceNowExternalId: {
        uniqueFactSheet: true,
        forFactSheets: ['Application', 'ITComponent', 'TechnicalStack'],
        readOnly: true,
      },
    },
  }
}

/** One end of a relation as a fact sheet of a given type sees it. */
export interface RelationView {
  definition: RelationDefinition
  /** 'from' when this fact sheet is the stored source of the relation */
  side: 'from' | 'to'
  name: string
  /** the type at the other end */
  targetType: string
}

/** relation name -> view, per fact sheet type */
export function relationViews(model: MetaModel): Map<string, Map<string, RelationView>> {
  const views = new Map<string, Map<string, RelationView>>()
  const add = (type: string, view: RelationView) => {
    let byName = views.get(type)
    if (byName === undefined) {
      byName = new Map()
      views.set(type, byName)
    }
    byName.set(view.name, view)
  }
  for (const definition of model.relations) {
    add(definition.from.factSheetType, {
      definition,
      side: 'from',
      name: definition.from.name,
      targetType: definition.to.factSheetType,
    })
    add(definition.to.factSheetType, {
      definition,
      side: 'to',
      name: definition.to.name,
      targetType: definition.from.factSheetType,
    })
  }
  return views
}

// The default mappings of each IT component flow, as SAP LeanIX's ServiceNow integration ships
// them: IT components and tech categories are mastered in ServiceNow and synced to LeanIX.
// - SAM: IT Component (software) <- cmdb_software_product_model
// - SAM Pro: IT Component (software) <- cmdb_sam_sw_discovery_model under a filter
// - legacy software management: IT Component (software) <- cmdb_ci_spkg
// - hardware: IT Component (hardware) <- cmdb_hardware_product_model
// - Tech Category (TechnicalStack) <- cmdb_model_category, related to the product models
// Each IT component mapping keeps to what a graph rule lets through (the models used on a CI a
// business application reaches) and, when the CSDM applications mapping links the applications,
// keeps the Application <-> IT Component relation the rule finds. Each flow's software mapping
// has its own name, so that switching flows disables one and enables or creates another: nothing
// is deleted, links and versions stay.
import type { MappingDefinitionInput } from '../../../core/mapping/schema.ts'
import type { SoftwareFlow } from '../advisor/recommend.ts'

export interface FlowConnections {
  leanixConnectionId: string
  servicenowConnectionId: string
  /** prefix of the mapping names (default "CSDM", as the CSDM defaults use) */
  prefix?: string
  /**
   * the mapping that links LeanIX applications to cmdb_ci_business_app (the CSDM applications
   * mapping): with it, IT components keep their relations to the applications the graph rule finds
   */
  applicationsMapping?: string
}

export type SyncedSoftwareFlow = Exclude<SoftwareFlow, 'none'>

export const SOFTWARE_FLOWS: readonly SyncedSoftwareFlow[] = ['samPro', 'sam', 'legacy']

const FLOW_LABEL: Record<SyncedSoftwareFlow, string> = { samPro: 'SAM Pro', sam: 'SAM', legacy: 'legacy' }

/** The names of a prefix's flow mappings: what apply looks for to enable, disable or create. */
export function flowMappingNames(prefix = 'CSDM') {
  return {
    techCategories: `${prefix}: Tech categories`,
    software: (flow: SyncedSoftwareFlow) => `${prefix}: IT components (software, ${FLOW_LABEL[flow]})`,
    hardware: `${prefix}: IT components (hardware)`,
  }
}

// IT components change with discovery, so events batch as the CSDM defaults do; a nightly full sync reconciles
const events = { partialSync: 'full', shortBuffering: false, batchSize: 5000, batchMinutes: 15 } as const
const matchedBy = (field: string) => ({
  rules: [{ source: [field], target: ['name'] }],
  ignoreCase: true,
  collapseWhitespace: true,
})
const byName = matchedBy('name')

function sides(c: FlowConnections, table: string, leanixType: string, category: string, rule: string, filter?: string) {
  return {
    source: {
      connectionId: c.servicenowConnectionId,
      entity: table,
      ...(filter ? { filter } : {}),
      graphRules: [{ rule }],
    },
    target: { connectionId: c.leanixConnectionId, entity: leanixType, ...(category ? { category } : {}) },
  }
}

/** Tech categories: the model categories of ServiceNow, related to from the product models. */
export function techCategoryMapping(c: FlowConnections): MappingDefinitionInput {
  return {
    name: flowMappingNames(c.prefix).techCategories,
    description:
      'Model categories mastered in ServiceNow (cmdb_model_category) that some model is in, kept as LeanIX tech categories.',
    enabled: true,
    // only the categories some model is in: those IT components relate to
    source: {
      connectionId: c.servicenowConnectionId,
      entity: 'cmdb_model_category',
      graphRules: [{ rule: 'MODEL_CATEGORY' }],
    },
    target: { connectionId: c.leanixConnectionId, entity: 'TechnicalStack' },
    mode: 'conservative',
    fields: [
      { type: 'field', source: 'name', target: 'name' },
      { type: 'field', source: 'description', target: 'description' },
    ],
    relations: [],
    matching: byName,
    events,
  }
}

/** The applications the graph rule relates an IT component to, when the applications mapping links them. */
function applicationRelation(c: FlowConnections) {
  if (!c.applicationsMapping) return []
  return [
    {
      name: 'applications',
      otherMapping: c.applicationsMapping,
      source: { kind: 'field' as const, field: 'graph_applications' },
      target: { kind: 'field' as const, field: 'relITComponentToApplication' },
    },
  ]
}

/** A product model's tech category: the model's cmdb_model_category reference (a list on some releases). */
function techCategoryRelation(c: FlowConnections) {
  return {
    name: 'tech category',
    otherMapping: flowMappingNames(c.prefix).techCategories,
    source: { kind: 'field' as const, field: 'cmdb_model_category' },
    target: { kind: 'field' as const, field: 'relITComponentToTechnologyStack' },
  }
}

export function softwareMapping(
  c: FlowConnections,
  flow: SyncedSoftwareFlow,
  discoveryModelFilter: string,
): MappingDefinitionInput {
  const name = flowMappingNames(c.prefix).software(flow)
  const base = { name, enabled: true, mode: 'conservative' as const, matching: byName, events }
  switch (flow) {
    case 'samPro':
      return {
        ...base,
        description:
          'Software discovery models (SAM Pro) under a filter, as IT components (software): for instances too large for dynamic link matching.',
        ...sides(
          c,
          'cmdb_sam_sw_discovery_model',
          'ITComponent',
          'software',
          'APPLICATION_SAM_PRO_CONNECTION',
          discoveryModelFilter,
        ),
        fields: [
          { type: 'field', source: 'display_name', target: 'name' },
          { type: 'field', source: 'norm_version', target: 'release' },
        ],
        relations: applicationRelation(c),
        matching: matchedBy('display_name'),
      }
    case 'sam':
      return {
        ...base,
        description: 'Software product models (SAM), as IT components (software), with their tech category.',
        ...sides(c, 'cmdb_software_product_model', 'ITComponent', 'software', 'APPLICATION_SAM_CONNECTION'),
        fields: [
          { type: 'field', source: 'name', target: 'name' },
          { type: 'field', source: 'version', target: 'release' },
          { type: 'field', source: 'short_description', target: 'description' },
        ],
        relations: [...applicationRelation(c), techCategoryRelation(c)],
      }
    case 'legacy':
      return {
        ...base,
        description: 'Software packages (legacy software management), as IT components (software).',
        ...sides(c, 'cmdb_ci_spkg', 'ITComponent', 'software', 'APPLICATION_SOFTWARE_MANAGEMENT_MODEL_CONNECTION'),
        fields: [
          { type: 'field', source: 'name', target: 'name' },
          { type: 'field', source: 'version', target: 'release' },
        ],
        relations: applicationRelation(c),
      }
  }
}

export function hardwareMapping(c: FlowConnections): MappingDefinitionInput {
  return {
    name: flowMappingNames(c.prefix).hardware,
    description: "Hardware product models, the servers' models, as IT components (hardware), with their tech category.",
    enabled: true,
    ...sides(c, 'cmdb_hardware_product_model', 'ITComponent', 'hardware', 'APPLICATION_HARDWARE_CONNECTION'),
    mode: 'conservative',
    fields: [
      { type: 'field', source: 'name', target: 'name' },
      { type: 'field', source: 'short_description', target: 'description' },
    ],
    relations: [...applicationRelation(c), techCategoryRelation(c)],
    matching: byName,
    events,
  }
}

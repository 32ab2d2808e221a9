// The graph rules of SAP LeanIX's ServiceNow integration ("Graph-Rule Constraints"), as this
// connector computes them: which records of a model table sync, and (for the APPLICATION_ rules)
// which business applications each is related to. Every rule starts from the records that use a
// model, its usages: software installations (SAM, SAM Pro), software instances (legacy software
// management) or hardware CIs (their model_id). An APPLICATION_ rule keeps the models used on a CI
// that a business application reaches through cmdb_rel_ci within a few hops (application ->
// application service -> server, two hops, by default); an IN_USE_ rule keeps the models that
// have any usage at all. MODEL_CATEGORY keeps the model categories some model is in (the tech
// categories IT components relate to).
import type { GraphRuleDescription } from '../../../core/connector/contract.ts'

/** Where a rule's models are used: a table whose rows name the model and the CI that uses it. */
interface Usage {
  table: string
  /** the reference to the model (the rule's record); a glide list of them where `list` */
  modelField: string
  /** modelField holds several comma-separated references (cmdb_model.cmdb_model_category) */
  list?: boolean
  /** the reference to the CI that uses the model; sys_id when the usage row is the CI itself */
  ciField: string
}

export interface GraphRule {
  name: string
  /** the model table whose records the rule lets through */
  entity: string
  usage: Usage
  /** walks from business applications (APPLICATION_), or keeps every used model (IN_USE_) */
  fromApplications: boolean
  /** what a rule's filter narrows */
  filterApplies: 'applications' | 'usages'
  description: string
}

/** The field an APPLICATION_ rule adds: the related business applications, a list of sys_ids. */
export const APPLICATIONS_FIELD = 'graph_applications'

/** Hops from a business application to the CIs that use models, unless a rule says otherwise. */
export const DEFAULT_HOPS = 2
/**
 * The most hops an APPLICATION_ rule walks. Each hop is one more round of cmdb_rel_ci look-ups,
 * and beyond a few the walk reaches most of the CMDB (application -> service -> cluster -> server
 * -> virtual machine is four): a bound, as the mapping schema's own.
 */
export const MAX_HOPS = 6

const INSTALLS_OF_PRODUCT: Usage = {
  table: 'cmdb_sam_sw_install',
  modelField: 'software_model',
  ciField: 'installed_on',
}
const INSTALLS_OF_DISCOVERY: Usage = {
  table: 'cmdb_sam_sw_install',
  modelField: 'discovery_model',
  ciField: 'installed_on',
}
const SOFTWARE_INSTANCES: Usage = { table: 'cmdb_software_instance', modelField: 'software', ciField: 'installed_on' }
const HARDWARE: Usage = { table: 'cmdb_ci_hardware', modelField: 'model_id', ciField: 'sys_id' }

function pair(base: string, entity: string, usage: Usage, what: string, hardware = false): GraphRule[] {
  return [
    {
      name: `APPLICATION_${base}`,
      entity,
      usage,
      fromApplications: true,
      filterApplies: hardware ? 'usages' : 'applications',
      description: `${what} used on a CI that a business application reaches through cmdb_rel_ci, related to those applications`,
    },
    {
      name: `IN_USE_${base}`,
      entity,
      usage,
      fromApplications: false,
      filterApplies: 'usages',
      description: `${what} used anywhere (at least one ${usage.table} row names it)`,
    },
  ]
}

export const GRAPH_RULES: readonly GraphRule[] = [
  {
    name: 'MODEL_CATEGORY',
    entity: 'cmdb_model_category',
    usage: { table: 'cmdb_model', modelField: 'cmdb_model_category', ciField: 'sys_id', list: true },
    fromApplications: false,
    filterApplies: 'usages',
    description: 'model categories at least one model (cmdb_model and its product model tables) is in',
  },
  ...pair('SAM_CONNECTION', 'cmdb_software_product_model', INSTALLS_OF_PRODUCT, 'software product models installed'),
  ...pair(
    'SAM_PRO_CONNECTION',
    'cmdb_sam_sw_discovery_model',
    INSTALLS_OF_DISCOVERY,
    'software discovery models installed',
  ),
  ...pair(
    'SOFTWARE_MANAGEMENT_MODEL_CONNECTION',
    'cmdb_ci_spkg',
    SOFTWARE_INSTANCES,
    'software packages with a software instance',
  ),
  ...pair('HARDWARE_CONNECTION', 'cmdb_hardware_product_model', HARDWARE, 'hardware models of hardware CIs', true),
]

const byName = new Map(GRAPH_RULES.map((r) => [r.name, r]))

export function graphRule(name: string): GraphRule | undefined {
  return byName.get(name)
}

const FILTER_APPLIES = {
  applications: 'the business applications the walk starts from (cmdb_ci_business_app)',
  usages: 'the usages that count',
}

/** The rules that let records of `entity` through, as the mapping kernel lists them. */
export function describeGraphRules(entity: string): GraphRuleDescription[] {
  return GRAPH_RULES.filter((r) => r.entity === entity).map((r) => ({
    name: r.name,
    description: r.description,
    filterApplies:
      r.filterApplies === 'usages' ? `${FILTER_APPLIES.usages} (${r.usage.table})` : FILTER_APPLIES.applications,
    fields: r.fromApplications
      ? [
          {
            name: APPLICATIONS_FIELD,
            label: 'Business applications (graph rule)',
            type: 'list',
            reference: 'cmdb_ci_business_app',
            readOnly: true,
          },
        ]
      : [],
    ...(r.fromApplications ? { hops: { default: DEFAULT_HOPS, max: MAX_HOPS } } : {}),
  }))
}

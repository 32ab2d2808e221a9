// The sizing advisor's decision, from a survey alone (no I/O, so every branch is tested with
// numbers): which flow feeds LeanIX IT components, why, and what to watch, following SAP
// LeanIX's decision table for the maturity of the instance (guidance.ts).
import { DISCOVERY_MODEL_TARGET, LARGE_INSTANCE_ROWS, SIZED_TABLES, type ModuleName } from './guidance.ts'
import type { InstanceSurvey, ModuleEvidence, RowCount } from './survey.ts'

/**
 * - samPro: IT components (software) from software discovery models under a filter
 * - sam: IT components (software) from software product models, linked through installations
 * - legacy: IT components (software) from software packages through software instances
 * - none: no software IT components from ServiceNow; applications and capabilities only
 */
export type SoftwareFlow = 'samPro' | 'sam' | 'legacy' | 'none'

export interface Advice {
  flow: SoftwareFlow
  /** IT components (hardware) from hardware product models through the servers' models */
  hardware: boolean
  /** why this flow, each with the numbers behind it */
  reasons: string[]
  /** what to look at before enabling it */
  warnings: string[]
  numbers: {
    cmdb_rel_ci: number | null
    cmdb_sam_sw_install: number | null
    /** installations whose discovery model is not normalized to a software product model */
    installsWithoutProductModel: number | null
    cmdb_sam_sw_discovery_model: number | null
    /** the three together (tables that could not be counted count as 0) */
    sizedRows: number
    largeInstanceRows: number
    filteredDiscoveryModels: number | null
    discoveryModelTarget: number
    cmdb_software_product_model: number | null
    cmdb_software_instance: number | null
    cmdb_hardware_product_model: number | null
    discoveredServers: number | null
  }
  modules: Record<ModuleName, ModuleEvidence>
  modulesFrom: 'plugins' | 'data'
  discoveryModelFilter: string
}

const n = (value: number) => value.toLocaleString('en-US')
const rows = (c: RowCount) => c.rows

/**
 * The SAM flow links a product model to applications through the installations that name it; an
 * installation whose discovery model is not normalized names none, so its software never reaches
 * LeanIX. Said with the share, since a few are normal and most are a normalization backlog.
 */
function unlinkedInstalls(counts: InstanceSurvey['counts'], warnings: string[]): void {
  const installs = counts.cmdb_sam_sw_install.rows ?? 0
  const unlinked = counts.installsWithoutProductModel.rows
  if (unlinked === null || unlinked === 0 || installs === 0) return
  const share = Math.round((unlinked / installs) * 1000) / 10
  warnings.push(
    `${n(unlinked)} of ${n(installs)} installations (${share}%) name no software product model: their discovery models are not normalized to one, so the software on them is left out of this flow until they are`,
  )
}

export function recommend(survey: InstanceSurvey, discoveryModelFilter: string): Advice {
  const { counts, modules } = survey
  const reasons: string[] = []
  const warnings: string[] = []
  const sizedRows = SIZED_TABLES.reduce((sum, table) => sum + (counts[table].rows ?? 0), 0)
  const large = sizedRows > LARGE_INSTANCE_ROWS
  const sizeLine = `cmdb_rel_ci, cmdb_sam_sw_install and cmdb_sam_sw_discovery_model hold ${n(sizedRows)} rows together, ${large ? 'over' : 'not over'} the ${n(LARGE_INSTANCE_ROWS)} above which dynamic link matching is too heavy`
  for (const table of SIZED_TABLES) {
    const c = counts[table]
    if (c.rows === null)
      warnings.push(
        `${table} could not be counted (${c.unavailable === 'absent' ? 'no such table' : 'the user may not read it'}); the size rule counts it as empty`,
      )
  }
  if (survey.modulesFrom === 'data')
    warnings.push(
      'the plugin list (v_plugin) is not readable by this user, so the modules were inferred from the data; give the user read access to v_plugin for a certain answer',
    )

  let flow: SoftwareFlow
  if (modules.samPro.present && large) {
    flow = 'samPro'
    reasons.push(`SAM Professional is there (${modules.samPro.evidence})`, sizeLine)
    reasons.push('so IT components (software) come from software discovery models under a filter')
    const filtered = counts.filteredDiscoveryModels.rows
    if (filtered === null) warnings.push('the discovery models the filter leaves could not be counted')
    else if (filtered === 0)
      warnings.push('the filter leaves no discovery model: check the normalization status and the filter')
    else if (filtered > DISCOVERY_MODEL_TARGET)
      warnings.push(
        `the filter leaves ${n(filtered)} discovery models, over the ${n(DISCOVERY_MODEL_TARGET)} to aim for: narrow it by product classification, main category or product type`,
      )
    else
      reasons.push(
        `the filter leaves ${n(filtered)} discovery models, within the ${n(DISCOVERY_MODEL_TARGET)} to aim for`,
      )
  } else if (modules.samPro.present || modules.sam.present) {
    flow = 'sam'
    const module = modules.samPro.present ? modules.samPro : modules.sam
    reasons.push(
      `${modules.samPro.present ? 'SAM Professional' : 'Software Asset Management'} is there (${module.evidence})`,
      sizeLine,
    )
    reasons.push(
      'so IT components (software) come from software product models, linked to applications through the installations on their servers',
    )
    if (large)
      warnings.push(
        'this instance is large for dynamic link matching, and without SAM Professional there are no normalized discovery models to sync instead: expect long full syncs, and narrow the product models with a constraint',
      )
    if ((counts.cmdb_software_product_model.rows ?? 0) === 0)
      warnings.push(
        'cmdb_software_product_model is empty: discovery models must be linked to product models for this flow',
      )
    else unlinkedInstalls(counts, warnings)
  } else if (modules.legacy.present) {
    flow = 'legacy'
    reasons.push(`the legacy Software Asset Management plugin is in use (${modules.legacy.evidence})`)
    reasons.push('so IT components (software) come from software packages (cmdb_ci_spkg) through software instances')
  } else {
    flow = 'none'
    reasons.push(
      `no software asset management module: ${modules.sam.evidence}; ${modules.samPro.evidence}; ${modules.legacy.evidence}`,
    )
    reasons.push(
      'so only applications and business capabilities sync (the default mapping); software IT components cannot come from ServiceNow',
    )
  }

  // the guidance's decision table asks for Discovery beside SAM: it is what fills the installations
  if ((flow === 'sam' || flow === 'samPro') && !modules.discovery.present)
    warnings.push(
      `Discovery is not there (${modules.discovery.evidence}): the installations that link software to applications come from Discovery or SCCM, so check they are current`,
    )

  const hardwareModels = counts.cmdb_hardware_product_model.rows ?? 0
  // from the plugin list when readable; else modules.discovery already stands for the discovered servers
  const hardware = hardwareModels > 0 && modules.discovery.present
  if (hardware)
    reasons.push(
      `Discovery finds the servers (${modules.discovery.evidence}) and ${n(hardwareModels)} hardware models exist, so IT components (hardware) can come from the servers' models`,
    )
  else if (hardwareModels === 0)
    warnings.push('no hardware product models: IT components (hardware) have nothing to come from')
  else
    warnings.push(
      `Discovery is not there (${modules.discovery.evidence}): the servers' models are only as good as whoever keeps them, so hardware IT components are left out`,
    )

  return {
    flow,
    hardware,
    reasons,
    warnings,
    numbers: {
      cmdb_rel_ci: rows(counts.cmdb_rel_ci),
      cmdb_sam_sw_install: rows(counts.cmdb_sam_sw_install),
      installsWithoutProductModel: rows(counts.installsWithoutProductModel),
      cmdb_sam_sw_discovery_model: rows(counts.cmdb_sam_sw_discovery_model),
      sizedRows,
      largeInstanceRows: LARGE_INSTANCE_ROWS,
      filteredDiscoveryModels: rows(counts.filteredDiscoveryModels),
      discoveryModelTarget: DISCOVERY_MODEL_TARGET,
      cmdb_software_product_model: rows(counts.cmdb_software_product_model),
      cmdb_software_instance: rows(counts.cmdb_software_instance),
      cmdb_hardware_product_model: rows(counts.cmdb_hardware_product_model),
      discoveredServers: rows(counts.discoveredServers),
    },
    modules,
    modulesFrom: survey.modulesFrom,
    discoveryModelFilter,
  }
}

// What the sizing advisor learns from an instance, by counting only: the Aggregate API's row
// counts (one request per number, whatever the table's size) and the plugin list (a handful of
// rows). It never reads the large tables, so it stays fast on instances with millions of
// cmdb_rel_ci rows.
import type { ServiceNowClient } from '../../servicenow/index.ts'
import { ServiceNowErrors } from '../../servicenow/index.ts'
import { MODULE_PLUGINS, type ModuleName } from './guidance.ts'

/** Rows in a table (under a filter), or why they could not be counted. */
export type RowCount = { rows: number } | { rows: null; unavailable: 'absent' | 'denied' }

export interface ModuleEvidence {
  present: boolean
  /** what says so, for a person: the plugin and its state, or the rows found */
  evidence: string
}

export interface InstanceSurvey {
  counts: {
    cmdb_rel_ci: RowCount
    cmdb_sam_sw_install: RowCount
    /** installations that name no software product model: their discovery model is not normalized to one */
    installsWithoutProductModel: RowCount
    cmdb_sam_sw_discovery_model: RowCount
    /** discovery models the filter leaves */
    filteredDiscoveryModels: RowCount
    cmdb_software_product_model: RowCount
    cmdb_software_instance: RowCount
    cmdb_hardware_product_model: RowCount
    /** servers ServiceNow Discovery found */
    discoveredServers: RowCount
  }
  modules: Record<ModuleName, ModuleEvidence>
  /** where the modules were learnt: the plugin list, or (when the user may not read it) the data */
  modulesFrom: 'plugins' | 'data'
  /** requests sent to the instance */
  requests: number
}

/** Discovery model statuses only SAM Professional's automatic normalization sets. */
const AUTOMATIC_NORMALIZATION = 'statusINnormalized,partially normalized,publisher normalized'
const DISCOVERED_BY_SERVICENOW = 'discovery_source=ServiceNow'

async function count(client: ServiceNowClient, table: string, filter?: string, signal?: AbortSignal) {
  try {
    return { rows: await client.countRows(table, filter, signal) } satisfies RowCount
  } catch (error) {
    // a table the instance lacks (its plugin is not active) or hides from this user is a finding, not a failure
    if (error instanceof ServiceNowErrors.INVALID_TABLE) return { rows: null, unavailable: 'absent' } satisfies RowCount
    if (error instanceof ServiceNowErrors.FORBIDDEN) return { rows: null, unavailable: 'denied' } satisfies RowCount
    throw error
  }
}

interface PluginRow {
  id: string
  name: string
  active: boolean
}

/**
 * The plugins that decide the flow, from v_plugin; undefined when the user may not read it
 * (it is admin-only on many instances) or the instance has no such table.
 */
async function readPlugins(
  client: ServiceNowClient,
  signal?: AbortSignal,
): Promise<Map<string, PluginRow> | undefined> {
  const ids = Object.values(MODULE_PLUGINS)
  try {
    const res = await client.request({
      method: 'GET',
      path: '/api/now/table/v_plugin',
      query: {
        sysparm_query: `idIN${ids.join(',')}`,
        sysparm_fields: 'id,name,active',
        sysparm_limit: String(ids.length * 4),
      },
      idempotent: true,
      ...(signal ? { signal } : {}),
    })
    const result = (res.body as { result?: unknown } | undefined)?.result
    if (!Array.isArray(result)) return undefined
    const plugins = new Map<string, PluginRow>()
    for (const row of result as Array<Record<string, unknown>>) {
      if (typeof row.id !== 'string') continue
      // the Plugins list says active or inactive; some releases answer true or false
      const state = String(row.active ?? '').toLowerCase()
      plugins.set(row.id, {
        id: row.id,
        name: typeof row.name === 'string' ? row.name : row.id,
        active: state === 'active' || state === 'true',
      })
    }
    return plugins
  } catch (error) {
    if (error instanceof ServiceNowErrors.FORBIDDEN || error instanceof ServiceNowErrors.INVALID_TABLE) return undefined
    throw error
  }
}

function fromPlugins(plugins: Map<string, PluginRow>): Record<ModuleName, ModuleEvidence> {
  const of = (module: ModuleName): ModuleEvidence => {
    const id = MODULE_PLUGINS[module]
    const plugin = plugins.get(id)
    if (!plugin) return { present: false, evidence: `plugin ${id} is not installed` }
    return plugin.active
      ? { present: true, evidence: `plugin ${id} (${plugin.name}) is active` }
      : { present: false, evidence: `plugin ${id} (${plugin.name}) is installed but not active` }
  }
  return { sam: of('sam'), samPro: of('samPro'), legacy: of('legacy'), discovery: of('discovery') }
}

const rowsOf = (c: RowCount) => c.rows ?? 0
const said = (table: string, c: RowCount, what = 'rows') =>
  c.rows === null
    ? `${table} is ${c.unavailable === 'absent' ? 'absent' : 'not readable'}`
    : `${table} has ${c.rows.toLocaleString('en-US')} ${what}`

/** The modules inferred from the data, when the plugin list cannot be read. */
function fromData(
  counts: InstanceSurvey['counts'],
  automaticallyNormalized: RowCount,
): Record<ModuleName, ModuleEvidence> {
  const installs = counts.cmdb_sam_sw_install
  return {
    sam: { present: rowsOf(installs) > 0, evidence: said('cmdb_sam_sw_install', installs) },
    samPro: {
      present: rowsOf(automaticallyNormalized) > 0,
      evidence: said('cmdb_sam_sw_discovery_model', automaticallyNormalized, 'automatically normalized models'),
    },
    legacy: {
      present: rowsOf(counts.cmdb_software_instance) > 0 && rowsOf(installs) === 0,
      evidence: `${said('cmdb_software_instance', counts.cmdb_software_instance)}, ${said('cmdb_sam_sw_install', installs)}`,
    },
    discovery: {
      present: rowsOf(counts.discoveredServers) > 0,
      evidence: said('cmdb_ci_server', counts.discoveredServers, 'servers with discovery_source ServiceNow'),
    },
  }
}

/** Counts and modules of the instance behind `client`; the discovery model filter is already checked. */
export async function surveyInstance(
  client: ServiceNowClient,
  discoveryModelFilter: string,
  signal?: AbortSignal,
): Promise<InstanceSurvey> {
  const before = client.requestsSent
  // the client's concurrency limit paces these
  const [
    relations,
    installs,
    unlinked,
    models,
    filtered,
    products,
    softwareInstances,
    hardwareModels,
    servers,
    plugins,
  ] = await Promise.all([
    count(client, 'cmdb_rel_ci', undefined, signal),
    count(client, 'cmdb_sam_sw_install', undefined, signal),
    count(client, 'cmdb_sam_sw_install', 'software_modelISEMPTY', signal),
    count(client, 'cmdb_sam_sw_discovery_model', undefined, signal),
    count(client, 'cmdb_sam_sw_discovery_model', discoveryModelFilter, signal),
    count(client, 'cmdb_software_product_model', undefined, signal),
    count(client, 'cmdb_software_instance', undefined, signal),
    count(client, 'cmdb_hardware_product_model', undefined, signal),
    count(client, 'cmdb_ci_server', DISCOVERED_BY_SERVICENOW, signal),
    readPlugins(client, signal),
  ])
  const counts: InstanceSurvey['counts'] = {
    cmdb_rel_ci: relations,
    cmdb_sam_sw_install: installs,
    installsWithoutProductModel: unlinked,
    cmdb_sam_sw_discovery_model: models,
    filteredDiscoveryModels: filtered,
    cmdb_software_product_model: products,
    cmdb_software_instance: softwareInstances,
    cmdb_hardware_product_model: hardwareModels,
    discoveredServers: servers,
  }
  if (plugins) {
    return { counts, modules: fromPlugins(plugins), modulesFrom: 'plugins', requests: client.requestsSent - before }
  }
  const normalized = await count(client, 'cmdb_sam_sw_discovery_model', AUTOMATIC_NORMALIZATION, signal)
  return { counts, modules: fromData(counts, normalized), modulesFrom: 'data', requests: client.requestsSent - before }
}

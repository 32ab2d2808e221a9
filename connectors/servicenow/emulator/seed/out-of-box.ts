// Records every instance ships with: CI relationship types (with the sys_ids ServiceNow's own
// API samples show, docs/reference/servicenow.md §5.1), the default Service Catalog, a small
// set of active platform plugins (v_plugin) and the ACL that keeps the plugin list to admins
// (integration users commonly get 403 there).
import type { AccessControl } from '../auth/acl.ts'
import { stableSysId } from '../schema/dictionary-rows.ts'
import type { Instance, RecordValues } from '../instance/instance.ts'

export const REL_TYPE = {
  DEPENDS_ON: '1a9cb166f1571100a92eb60da2bce5c5',
  RUNS_ON: '60bc4e22c0a8010e01f074cbe6bd73c3',
  EXCHANGES_DATA: '607ad1b2c0a8010e01941856b365af90',
  USES: stableSysId('cmdb_rel_type', 'Uses::Used by'),
  CONSUMES: stableSysId('cmdb_rel_type', 'Consumes::Consumed by'),
  PROVIDED_BY: stableSysId('cmdb_rel_type', 'Provided By::Provides'),
  CONTAINS: stableSysId('cmdb_rel_type', 'Contains::Contained by'),
  HOSTED_ON: stableSysId('cmdb_rel_type', 'Hosted on::Hosts'),
  VIRTUALIZED_BY: stableSysId('cmdb_rel_type', 'Virtualized by::Virtualizes'),
  IP_CONNECTION: stableSysId('cmdb_rel_type', 'IP Connection::IP Connection'),
} as const

const REL_TYPES: Array<[string, string, string]> = [
  [REL_TYPE.DEPENDS_ON, 'Depends on', 'Used by'],
  [REL_TYPE.RUNS_ON, 'Runs on', 'Runs'],
  [REL_TYPE.EXCHANGES_DATA, 'Exchanges data with', 'Exchanges data with'],
  [REL_TYPE.USES, 'Uses', 'Used by'],
  [REL_TYPE.CONSUMES, 'Consumes', 'Consumed by'],
  [REL_TYPE.PROVIDED_BY, 'Provided By', 'Provides'],
  [REL_TYPE.CONTAINS, 'Contains', 'Contained by'],
  [REL_TYPE.HOSTED_ON, 'Hosted on', 'Hosts'],
  [REL_TYPE.VIRTUALIZED_BY, 'Virtualized by', 'Virtualizes'],
  [REL_TYPE.IP_CONNECTION, 'IP Connection', 'IP Connection'],
]

/** sys_id of the out-of-box "Service Catalog" catalog */
export const SERVICE_CATALOG_SYS_ID = 'e0d08b13c3330100c8b837659bba8fb4'

/** [id, name, version] of a plugin row in v_plugin */
export type PluginSpec = [string, string, string]

/**
 * Plugins active on every instance. Ids and names as the Plugins list shows them, except
 * where marked; versions are placeholders [unverified]. com.snc.platform.security.oauth is
 * from docs/reference/servicenow.md §2; the others [unverified].
 */
export const BASE_PLUGINS: PluginSpec[] = [
  ['com.glide.ui.ui16', 'UI16', '1.0.0'],
  ['com.glide.rest', 'REST API Provider', '1.0.0'],
  ['com.glide.service-portal', 'Service Portal', '1.0.0'],
  ['com.glideapp.servicecatalog', 'Service Catalog', '1.0.0'],
  ['com.snc.platform.security.oauth', 'OAuth 2.0', '1.0.0'],
  ['com.snc.cmdb', 'Configuration Management (CMDB)', '1.0.0'],
  ['com.snc.identification_engine', 'Identification and Reconciliation', '1.0.0'],
  ['com.snc.change_management', 'Change Management', '1.0.0'],
]

/** v_plugin rows with sys_ids made from the plugin id, so installing them draws no randomness */
export function pluginRows(plugins: PluginSpec[], active: boolean, stamp: string): RecordValues[] {
  return plugins.map(([id, name, version]) => ({
    sys_id: stableSysId('v_plugin', id),
    id,
    name,
    version,
    active: active ? 'active' : 'inactive',
    sys_created_on: stamp,
    sys_updated_on: stamp,
  }))
}

/** the out-of-box ACLs the emulator knows: the plugin list, and writing the dictionary, are for admins only */
export function installOutOfBoxAcls(acl: AccessControl): void {
  acl.add({ table: 'v_plugin', operation: 'read', roles: [] })
  // only admins make, change and drop tables and columns
  for (const table of ['sys_db_object', 'sys_dictionary'])
    for (const operation of ['create', 'write', 'delete'] as const) acl.add({ table, operation, roles: [] })
}

export function installOutOfBoxData(instance: Instance): void {
  instance.bulkLoad('v_plugin', pluginRows(BASE_PLUGINS, true, '2019-01-01 00:00:00'))
  instance.bulkLoad(
    'cmdb_rel_type',
    REL_TYPES.map(([sys_id, parent, child]) => ({
      sys_id,
      name: `${parent}::${child}`,
      parent_descriptor: parent,
      child_descriptor: child,
      sys_name: `${parent}::${child}`,
    })),
  )
  instance.insert(
    'sc_catalog',
    { title: 'Service Catalog', description: 'Service Catalog - IT Now' },
    'system',
    SERVICE_CATALOG_SYS_ID,
  )
}

// The figures the sizing advisor applies, from SAP LeanIX's ServiceNow integration guidance,
// "Supported Configurations" (help.sap.com/docs/leanix/ea, formerly
// docs-eam.leanix.net/docs/servicenow-integration), sections "Review record size" and "Review the
// number of records left with the filter applied".

/**
 * cmdb_rel_ci, cmdb_sam_sw_install and cmdb_sam_sw_discovery_model together above this: the
 * instance is too large for dynamic link matching, and SAM Pro customers link IT components to
 * discovery models instead.
 */
export const LARGE_INSTANCE_ROWS = 1_000_000

/** Discovery models a filter should leave at most ("less than 20k records"). */
export const DISCOVERY_MODEL_TARGET = 20_000

/** The guidance's example filter: normalized models with a version, a publisher and a product type. */
export const SAM_PRO_DISCOVERY_MODEL_FILTER =
  'statusINmanually normalized,normalized,partially normalized^norm_versionISNOTEMPTY^norm_publisherISNOTEMPTY^norm_typeINlicensable,not licensable,unknown'

/** The tables whose rows count towards LARGE_INSTANCE_ROWS. */
export const SIZED_TABLES = ['cmdb_rel_ci', 'cmdb_sam_sw_install', 'cmdb_sam_sw_discovery_model'] as const

/**
 * The plugins that decide the flow, by the ids ServiceNow's documentation gives them: Software
 * Asset Management Foundation (Basic SAM), SAM Professional, the legacy Software Asset
 * Management plugin (Jakarta and earlier) and Discovery.
 */
export const MODULE_PLUGINS = {
  sam: 'com.snc.sams',
  samPro: 'com.snc.samp',
  legacy: 'com.snc.software_asset_management',
  discovery: 'com.snc.discovery',
} as const

export type ModuleName = keyof typeof MODULE_PLUGINS

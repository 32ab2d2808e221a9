// Deterministic seed of a realistic CSDM / SAM / ticketing instance: people and groups,
// companies, product models, servers of several classes, business applications and
// capabilities, services, discovery models (status and norm_* values matching SAP LeanIX's
// documented filter), software installations, CI relations and catalog items (one per
// IdentityNow source). The same seed gives the same sys_ids. Scales to millions of
// cmdb_rel_ci rows: rows are generated straight into the stores and sorted once.
// `samMaturity` decides which software-asset generation the instance runs, seen in its plugin
// list (v_plugin) and in which SAM tables hold rows: SAM Professional (normalized discovery
// models and installations), SAM Foundation (installations, discovery models normalized by
// hand), legacy Software Asset Management (cmdb_ci_spkg and cmdb_software_instance only) or none.
import type { ServiceNowEmulator } from '../emulator.ts'
import { formatGlideDate, formatGlideDateTime } from '../instance/glide-time.ts'
import type { RecordValues } from '../instance/instance.ts'
import { IDENTITYNOW_VARIABLES, variableRows } from './catalog-items.ts'
import { passwordHash } from '../auth/users.ts'
import { seedDemo } from './demo.ts'
import { Prng } from './prng.ts'
import { pluginRows, REL_TYPE, type PluginSpec } from './out-of-box.ts'
import { sortedSysIds } from './sorted-ids.ts'
import {
  APP_WORDS_A,
  APP_WORDS_B,
  CAPABILITIES,
  DEFAULT_CATALOG_ITEMS,
  DEPARTMENTS,
  FIRST_NAMES,
  GROUPS,
  HARDWARE_MODELS,
  LAST_NAMES,
  LOCATIONS,
  SOFTWARE,
} from './vocabulary.ts'

export interface SeedOptions {
  seed?: number
  users?: number
  servers?: number
  businessApps?: number
  /** software installations per server, on average */
  installsPerServer?: number
  /** cmdb_rel_ci rows in all; CSDM relations first, the rest server dependencies */
  relations?: number
  incidents?: number
  /** catalog item names, one per IdentityNow source */
  catalogItems?: string[]
  /** password of every seeded user */
  userPassword?: string
  /** add the demo data of a personal developer instance (seed/demo.ts) */
  demo?: boolean
  /** the SAM generation the instance runs (SAM_PLUGINS lists its plugins); default samPro */
  samMaturity?: SamMaturity
  /**
   * com.snc.discovery active (else listed inactive) and servers found by it
   * (`discovery_source` ServiceNow; else SCCM, ImportSet or Manual Entry); default true
   */
  discovery?: boolean
  /**
   * cmdb_sam_sw_discovery_model rows (samPro and sam); default one per product version of the
   * vocabulary (46); more repeat them with further full versions (2019.1, 2019.2, ...)
   */
  discoveryModels?: number
}

export type SamMaturity = 'samPro' | 'sam' | 'legacy' | 'none'

/** the SAM plugins active on an instance of each maturity (v_plugin: id, name, version [unverified]) */
export const SAM_PLUGINS: Record<SamMaturity, PluginSpec[]> = {
  samPro: [
    ['com.snc.sams', 'Software Asset Management Foundation', '1.0.0'],
    ['com.snc.samp', 'Software Asset Management Professional', '1.0.0'],
  ],
  sam: [['com.snc.sams', 'Software Asset Management Foundation', '1.0.0']],
  legacy: [['com.snc.software_asset_management', 'Software Asset Management', '1.0.0']],
  none: [],
}
export const DISCOVERY_PLUGIN: PluginSpec = ['com.snc.discovery', 'Discovery', '1.0.0']

/** discovery model status: SAM Professional normalizes most models on its own */
function samProStatus(r: number): string {
  return r < 0.55
    ? 'normalized'
    : r < 0.7
      ? 'partially normalized'
      : r < 0.8
        ? 'manually normalized'
        : r < 0.9
          ? 'publisher normalized'
          : r < 0.95
            ? 'match not found'
            : 'new'
}

/** SAM Foundation has no content service: models stay new until someone normalizes them by hand */
function foundationStatus(r: number): string {
  return r < 0.45 ? 'new' : r < 0.8 ? 'manually normalized' : r < 0.9 ? 'publisher normalized' : 'match not found'
}

export interface SeedSummary {
  counts: Record<string, number>
  catalogItems: Record<string, string>
  /** a few records tests like to start from */
  samples: { userSysId: string; userName: string; serverSysId: string; businessAppSysId: string }
}

/** records are dated in the two years before this instant, so a seed does not depend on the wall clock */
const EPOCH = Date.UTC(2026, 0, 1)
const TWO_YEARS = 2 * 365 * 24 * 3600 * 1000

export function seedCsdm(emulator: ServiceNowEmulator, options: SeedOptions = {}): SeedSummary {
  const rnd = new Prng(options.seed ?? 1)
  const data = emulator.data
  const counts: Record<string, number> = {}
  const when = (): string => formatGlideDateTime(new Date(EPOCH - rnd.int(TWO_YEARS)))
  const load = (table: string, rows: RecordValues[]): string[] => {
    for (const r of rows) {
      r.sys_id ??= rnd.sysId()
      if (!r.sys_created_on) {
        r.sys_created_on = when()
        r.sys_updated_on = r.sys_created_on
      }
    }
    data.bulkLoad(table, rows, 'system')
    counts[table] = (counts[table] ?? 0) + rows.length
    return rows.map((r) => r.sys_id as string)
  }
  const relationsWanted = options.relations ?? 500
  const maturity = options.samMaturity ?? 'samPro'
  const discoveryActive = options.discovery ?? true
  const hasInstalls = maturity === 'samPro' || maturity === 'sam'
  const pluginStamp = formatGlideDateTime(new Date(EPOCH - TWO_YEARS))
  load('v_plugin', [
    ...pluginRows(SAM_PLUGINS[maturity], true, pluginStamp),
    ...pluginRows([DISCOVERY_PLUGIN], discoveryActive, pluginStamp),
  ])
  const serverCount = options.servers ?? Math.max(60, Math.min(50_000, Math.ceil(relationsWanted / 40)))

  // foundation
  const companyNames = [...new Set([...SOFTWARE.map((s) => s[0]), ...HARDWARE_MODELS.map((h) => h[0])])]
  const companyIds = load(
    'core_company',
    companyNames.map((name) => ({ name, manufacturer: 'true', vendor: 'true' })),
  )
  const companyOf = new Map(companyNames.map((n, i) => [n, companyIds[i] as string]))
  const departmentIds = load(
    'cmn_department',
    DEPARTMENTS.map((name, i) => ({ name, id: `D${100 + i}` })),
  )
  const locationIds = load(
    'cmn_location',
    LOCATIONS.map(([name, country]) => ({ name, city: name, country })),
  )

  const userCount = options.users ?? 100
  const users: RecordValues[] = []
  for (let i = 0; i < userCount; i++) {
    const first = rnd.pick(FIRST_NAMES)
    const last = rnd.pick(LAST_NAMES)
    const userName = `${first}.${last}${i}`.toLowerCase()
    users.push({
      user_name: userName,
      first_name: first,
      last_name: last,
      name: `${first} ${last}`,
      email: `${userName}@example.com`,
      active: rnd.chance(0.95) ? 'true' : 'false',
      department: rnd.pick(departmentIds),
      location: rnd.pick(locationIds),
      title: rnd.pick(['Engineer', 'Analyst', 'Manager', 'Architect', 'Specialist']),
      employee_number: String(10000 + i),
      mobile_phone: `+1 555 ${String(1000 + i).padStart(4, '0')}`,
      user_password: passwordHash(options.userPassword ?? 'password'),
      time_zone: 'GMT',
    })
  }
  const userIds = load('sys_user', users)
  for (const [i, u] of users.entries()) {
    if (u.user_name)
      emulator.users.register(u.user_name, userIds[i] as string, options.userPassword ?? 'password', ['itil'])
  }
  const groupIds = load(
    'sys_user_group',
    GROUPS.map((name) => ({ name, description: `${name} team`, manager: rnd.pick(userIds), active: 'true' })),
  )
  load(
    'sys_user_grmember',
    userIds.map((user) => ({ user, group: rnd.pick(groupIds) })),
  )

  // product models and categories
  const categoryIds = load('cmdb_model_category', [
    { name: 'Computer', cmdb_ci_class: 'cmdb_ci_computer', asset_class: 'alm_hardware' },
    { name: 'Server', cmdb_ci_class: 'cmdb_ci_server', asset_class: 'alm_hardware' },
    { name: 'Software License', cmdb_ci_class: '', asset_class: 'alm_license' },
    { name: 'Application', cmdb_ci_class: 'cmdb_ci_appl', asset_class: '' },
  ])
  const hwModelIds = load(
    'cmdb_hardware_product_model',
    HARDWARE_MODELS.map(([maker, name]) => ({
      name,
      display_name: `${maker} ${name}`,
      manufacturer: companyOf.get(maker) ?? '',
      model_number: name.replace(/\s+/g, '-').toUpperCase(),
      cmdb_model_category: categoryIds[1] as string,
      rack_units: String(1 + rnd.int(4)),
    })),
  )
  const swModels: RecordValues[] = []
  for (const [publisher, product, versions, licensable] of SOFTWARE) {
    for (const version of versions) {
      if (!licensable && rnd.chance(0.5)) continue
      swModels.push({
        name: `${product} ${version}`,
        display_name: `${publisher} ${product} ${version}`,
        manufacturer: companyOf.get(publisher) ?? '',
        product,
        version,
        edition: product.includes('Enterprise') ? 'Enterprise' : '',
        platform: product.includes('Windows') ? 'Windows' : '',
        language: 'English',
        license_type: licensable ? rnd.pick(['perpetual', 'subscription']) : 'freeware',
        cmdb_model_category: categoryIds[2] as string,
      })
    }
  }
  const swModelIds = load('cmdb_software_product_model', swModels)
  const swModelByName = new Map(swModels.map((m, i) => [m.name as string, swModelIds[i] as string]))

  // discovery models: one per discovered publisher + product + version; past the vocabulary's
  // versions, further full versions of them (normalized to the same version and software model)
  const productVersions = SOFTWARE.flatMap(([publisher, product, versions, licensable]) =>
    versions.map((version) => [publisher, product, version, licensable] as const),
  )
  const discovery: RecordValues[] = []
  const modelCount = hasInstalls ? (options.discoveryModels ?? productVersions.length) : 0
  for (let i = 0; i < modelCount; i++) {
    const [publisher, product, normVersion, licensable] = productVersions[
      i % productVersions.length
    ] as (typeof productVersions)[number]
    const build = Math.floor(i / productVersions.length)
    const version = build === 0 ? normVersion : `${normVersion}.${build}`
    const status = maturity === 'samPro' ? samProStatus(rnd.next()) : foundationStatus(rnd.next())
    const normalized = status === 'normalized' || status === 'partially normalized' || status === 'manually normalized'
    const normType = licensable ? 'licensable' : rnd.pick(['not licensable', 'unknown', 'patch', 'driver'])
    discovery.push({
      display_name: `${publisher} ${product} ${version}`,
      publisher,
      product,
      version,
      status,
      norm_publisher: normalized || status === 'publisher normalized' ? publisher : '',
      norm_product: normalized ? product : '',
      // some partially normalized models lack a version, as in real estates
      norm_version: normalized && !(status === 'partially normalized' && rnd.chance(0.3)) ? normVersion : '',
      norm_full_version: normalized ? `${normVersion}.${build}` : '',
      norm_edition: '',
      norm_platform: '',
      norm_language: normalized ? 'English' : '',
      norm_type: normalized ? normType : '',
      software_model: normalized ? (swModelByName.get(`${product} ${normVersion}`) ?? '') : '',
    })
  }
  const discoveryIds = load('cmdb_sam_sw_discovery_model', discovery)

  // servers
  const classes: Array<[string, string, string[]]> = [
    ['cmdb_ci_linux_server', 'lnx', ['Red Hat Enterprise Linux 8', 'Red Hat Enterprise Linux 9', 'Ubuntu 22.04']],
    ['cmdb_ci_win_server', 'win', ['Windows Server 2019 Datacenter', 'Windows Server 2022 Standard']],
    ['cmdb_ci_unix_server', 'unx', ['Solaris 11']],
    ['cmdb_ci_esx_server', 'esx', ['VMware ESXi 7.0']],
  ]
  const serverIds: string[] = []
  const otherSources = ['SCCM', 'ImportSet', 'Manual Entry']
  for (const [cls, prefix, oses] of classes) {
    const n =
      cls === 'cmdb_ci_linux_server'
        ? Math.ceil(serverCount * 0.5)
        : cls === 'cmdb_ci_win_server'
          ? Math.ceil(serverCount * 0.35)
          : Math.ceil(serverCount * 0.075)
    const rows: RecordValues[] = []
    for (let i = 0; i < n; i++) {
      const env = rnd.pick(['prd', 'prd', 'tst', 'dev'])
      const name = `${prefix}-${env}-${String(i + 1).padStart(5, '0')}`
      const model = rnd.int(hwModelIds.length)
      const retired = rnd.chance(0.05)
      const source = discoveryActive ? 'ServiceNow' : rnd.pick(otherSources)
      const server: RecordValues = {
        name,
        host_name: name,
        fqdn: `${name}.corp.example.com`,
        ip_address: `10.${rnd.int(256)}.${rnd.int(256)}.${1 + rnd.int(254)}`,
        serial_number: `SN${rnd.nextUint32().toString(36).toUpperCase()}`,
        os: rnd.pick(oses),
        os_version: String(1 + rnd.int(20)),
        cpu_count: String(2 ** (1 + rnd.int(4))),
        ram: String(4096 * 2 ** rnd.int(5)),
        manufacturer: companyOf.get((HARDWARE_MODELS[model] as [string, string])[0]) ?? '',
        model_id: hwModelIds[model] as string,
        install_status: retired ? '7' : '1',
        operational_status: retired ? '6' : '1',
        discovery_source: source,
        last_discovered: when(),
        environment: env === 'prd' ? 'Production' : env === 'tst' ? 'QA' : 'Development',
        classification: env === 'prd' ? 'Production' : 'Development',
        support_group: rnd.pick(groupIds),
        owned_by: rnd.pick(userIds),
        location: rnd.pick(locationIds),
        virtual: cls === 'cmdb_ci_esx_server' ? 'false' : rnd.chance(0.6) ? 'true' : 'false',
      }
      // a server typed in by hand was never discovered
      if (source === 'Manual Entry') server.last_discovered = ''
      rows.push(server)
    }
    serverIds.push(...load(cls, rows))
  }

  // capabilities (two levels), business apps, service instances
  const capabilityRows: RecordValues[] = []
  const leafCapabilities: string[] = []
  for (const [l1, children] of CAPABILITIES) {
    const parent = rnd.sysId()
    capabilityRows.push({
      sys_id: parent,
      name: l1,
      hierarchy_level: '1.0',
      hierarchy_id: String(capabilityRows.length + 1),
    })
    for (const l2 of children) {
      const id = rnd.sysId()
      leafCapabilities.push(id)
      capabilityRows.push({
        sys_id: id,
        name: l2,
        parent,
        hierarchy_level: '2.0',
        hierarchy_id: `${capabilityRows.length + 1}`,
      })
    }
  }
  load('cmdb_ci_business_capability', capabilityRows)
  const appCount = options.businessApps ?? 50
  const apps: RecordValues[] = []
  for (let i = 0; i < appCount; i++) {
    apps.push({
      name: `${rnd.pick(APP_WORDS_A)} ${rnd.pick(APP_WORDS_B)}${i >= APP_WORDS_A.length * APP_WORDS_B.length ? ` ${i}` : ''}`,
      application_type: rnd.pick(['homegrown', 'cots', 'saas']),
      architecture_type: rnd.pick(['web_based', 'client_server', 'mainframe']),
      install_type: rnd.pick(['on_premise', 'cloud', 'hybrid', 'third_party_hosted']),
      life_cycle_stage: rnd.pick(['Design', 'Operational', 'Operational', 'End of Life']),
      life_cycle_stage_status: rnd.pick(['In Use', 'In Use', 'Planning', 'Retired']),
      business_criticality: rnd.pick([
        '1 - most critical',
        '2 - somewhat critical',
        '3 - less critical',
        '4 - not critical',
      ]),
      user_base: rnd.pick(['0-100', '101-1000', '1001-10000', '10001+']),
      data_classification: rnd.pick(['public', 'internal', 'confidential', 'restricted']),
      owned_by: rnd.pick(userIds),
      it_application_owner: rnd.pick(userIds),
      managed_by_group: rnd.pick(groupIds),
      business_unit: rnd.pick(departmentIds),
      install_status: '1',
      operational_status: '1',
      description: 'Seeded business application',
    })
  }
  const appIds = load('cmdb_ci_business_app', apps)
  const serviceIds = load(
    'cmdb_ci_service_auto',
    appIds.map((_, i) => ({
      name: `${apps[i]?.name ?? 'App'} - ${rnd.pick(['PROD', 'TEST'])}`,
      service_classification: 'Application Service',
      operational_status: '1',
    })),
  )

  // software installations on servers: the draws for all rows first, kept in typed arrays, then
  // each row made as the store takes it (its sys_id and creation drawn then, as load() does), so
  // half a million installations never exist as objects all at once
  const perServer = options.installsPerServer ?? 3
  const installCount = Math.round(serverIds.length * perServer)
  const installsMade = hasInstalls && discovery.length > 0 ? installCount : 0
  const installModel = new Uint32Array(installsMade)
  const installServer = new Uint32Array(installsMade)
  const installAge = new Float64Array(installsMade)
  const scanAge = new Float64Array(installsMade)
  for (let i = 0; i < installsMade; i++) {
    installModel[i] = rnd.int(discovery.length)
    installServer[i] = rnd.int(serverIds.length)
    installAge[i] = rnd.int(TWO_YEARS)
    scanAge[i] = rnd.int(TWO_YEARS)
  }
  function* installs(): Generator<RecordValues> {
    for (let i = 0; i < installsMade; i++) {
      const d = installModel[i] as number
      const model = discovery[d] as RecordValues
      const sysId = rnd.sysId()
      const created = when()
      yield {
        sys_id: sysId,
        sys_created_on: created,
        sys_updated_on: created,
        display_name: model.display_name ?? '',
        publisher: model.publisher ?? '',
        version: model.version ?? '',
        installed_on: serverIds[installServer[i] as number] as string,
        discovery_model: discoveryIds[d] as string,
        software_model: model.software_model ?? '',
        install_date: formatGlideDate(new Date(EPOCH - (installAge[i] as number))),
        last_scanned: formatGlideDateTime(new Date(EPOCH - (scanAge[i] as number))),
        active: 'true',
      }
    }
  }
  counts.cmdb_sam_sw_install = data.bulkLoad('cmdb_sam_sw_install', installs(), 'system')
  // legacy software: a few packages on the first 200 servers next to SAM; the whole inventory
  // (every product version, installsPerServer per server) where legacy SAM is all there is
  const legacy = maturity === 'legacy'
  const packages =
    maturity === 'none' ? [] : legacy ? productVersions : SOFTWARE.slice(0, 8).map(([p, n, v]) => [p, n, v[0] ?? ''])
  const spkgIds = load(
    'cmdb_ci_spkg',
    packages.map(([publisher, product, version]) => ({
      name: product,
      version,
      manufacturer: companyOf.get(publisher) ?? '',
    })),
  )
  const softwareInstances: RecordValues[] = []
  const instanceCount = spkgIds.length === 0 ? 0 : legacy ? installCount : Math.min(serverIds.length, 200)
  for (let i = 0; i < instanceCount; i++) {
    const software = rnd.pick(spkgIds)
    const installedOn = legacy ? rnd.pick(serverIds) : (serverIds[i] as string)
    softwareInstances.push({ name: 'Software instance', software, installed_on: installedOn })
  }
  load('cmdb_software_instance', softwareInstances)

  // relations: the CSDM ones, interleaved at random with server dependencies up to the wanted
  // count; ids come sorted and rows are generated lazily, so a million rows need no sort
  const csdm: Array<[string, string, string]> = []
  for (const [i, app] of appIds.entries()) {
    csdm.push([rnd.pick(leafCapabilities), app, REL_TYPE.PROVIDED_BY])
    csdm.push([app, serviceIds[i] as string, REL_TYPE.CONSUMES])
    csdm.push([serviceIds[i] as string, rnd.pick(serverIds), REL_TYPE.DEPENDS_ON])
  }
  csdm.length = Math.min(csdm.length, relationsWanted)
  const relIds = sortedSysIds(rnd, relationsWanted)
  const relStamp = formatGlideDateTime(new Date(EPOCH))
  function* relations(): Generator<RecordValues> {
    let csdmLeft = csdm.length
    for (let i = 0; i < relationsWanted; i++) {
      const left = relationsWanted - i
      const [parent, child, type] =
        csdmLeft > 0 && rnd.next() * left < csdmLeft
          ? (csdm[csdm.length - csdmLeft--] as [string, string, string])
          : [
              serverIds[rnd.int(serverIds.length)] as string,
              serverIds[rnd.int(serverIds.length)] as string,
              rnd.chance(0.7) ? REL_TYPE.DEPENDS_ON : REL_TYPE.RUNS_ON,
            ]
      yield { sys_id: relIds[i] as string, parent, child, type, sys_created_on: relStamp, sys_updated_on: relStamp }
    }
  }
  counts.cmdb_rel_ci = data.bulkLoad('cmdb_rel_ci', relations(), 'system')

  // catalog items (one per IdentityNow source) with their variables, correlation_id among them
  const itemNames = options.catalogItems ?? DEFAULT_CATALOG_ITEMS
  const catalogItemIds = load(
    'sc_cat_item',
    itemNames.map((name) => ({
      name,
      short_description: `Request ${name}`,
      active: 'true',
      sc_catalogs: 'e0d08b13c3330100c8b837659bba8fb4',
      price: '0',
      group: groupIds[6] as string,
      type: 'item',
    })),
  )
  load(
    'item_option_new',
    catalogItemIds.flatMap((item) => variableRows(item, IDENTITYNOW_VARIABLES)),
  )

  const incidents: RecordValues[] = []
  for (let i = 0; i < (options.incidents ?? 20); i++) {
    const opened = when()
    incidents.push({
      short_description: `${rnd.pick(['Cannot log in to', 'Slow response from', 'Error in', 'Outage of'])} ${apps[rnd.int(apps.length)]?.name ?? 'app'}`,
      caller_id: rnd.pick(userIds),
      opened_by: rnd.pick(userIds),
      opened_at: opened,
      sys_created_on: opened,
      sys_updated_on: opened,
      priority: String(1 + rnd.int(5)),
      state: rnd.pick(['1', '2', '3']),
      incident_state: rnd.pick(['1', '2', '6']),
      category: rnd.pick(['software', 'hardware', 'network', 'inquiry']),
      assignment_group: rnd.pick(groupIds),
      cmdb_ci: rnd.pick(serverIds),
    })
  }
  load('incident', incidents)

  if (options.demo) {
    seedDemo(emulator, {
      rnd,
      users: users.map((u, i) => ({ sysId: userIds[i] as string, userName: u.user_name ?? '' })),
      groupIds,
      serverIds,
      when,
      load,
    })
  }

  return {
    counts,
    catalogItems: Object.fromEntries(itemNames.map((n, i) => [n, catalogItemIds[i] as string])),
    samples: {
      userSysId: userIds[0] as string,
      userName: users[0]?.user_name ?? '',
      serverSysId: serverIds[0] as string,
      businessAppSysId: appIds[0] as string,
    },
  }
}

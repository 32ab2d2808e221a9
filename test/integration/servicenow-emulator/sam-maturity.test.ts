// What a SAM sizing advisor reads from an instance of each SAM generation (issue 14): the plugin
// list (v_plugin, admin only: an integration user gets the 403 of a denied table read), the
// Aggregate API counts of the SAM tables, and what SAP LeanIX's SAM Pro filter leaves of the
// discovery models. The seed's `samMaturity`, `discovery` and `discoveryModels` options decide them.
import { test, type Test } from 'tap'
import { seedCsdm, type SeedOptions } from '../../../connectors/servicenow/emulator/index.ts'
import { basic, emulator, get } from './helpers.ts'

const SAM_PRO_FILTER =
  'statusINmanually normalized,normalized,partially normalized^norm_versionISNOTEMPTY^norm_publisherISNOTEMPTY^norm_typeINlicensable,not licensable,unknown'
const PLUGINS_ASKED = 'com.snc.sams,com.snc.samp,com.snc.software_asset_management,com.snc.discovery'
const SAM_TABLES = ['cmdb_sam_sw_install', 'cmdb_sam_sw_discovery_model', 'cmdb_software_instance', 'cmdb_ci_spkg']

const q = (text: string) => encodeURIComponent(text)

/** an emulator seeded with `options`, its seed summary, and the advisor's two reads over HTTP */
async function seeded(t: Test, options: SeedOptions) {
  const running = await emulator(t)
  const summary = seedCsdm(running.instance, { relations: 200, ...options })
  const count = async (table: string, query = '') => {
    const path = `/api/now/stats/${table}?sysparm_count=true${query ? `&sysparm_query=${q(query)}` : ''}`
    return Number((await get(running.url, path)).json.result.stats.count)
  }
  const plugins = async (): Promise<Record<string, string>> => {
    const path = `/api/now/table/v_plugin?sysparm_query=${q(`idIN${PLUGINS_ASKED}`)}&sysparm_fields=id,name,active`
    const answer = await get(running.url, path)
    return Object.fromEntries(answer.json.result.map((p: { id: string; active: string }) => [p.id, p.active]))
  }
  return { ...running, summary, count, plugins }
}

const MATURITIES: Array<[NonNullable<SeedOptions['samMaturity']>, Record<string, string>]> = [
  ['samPro', { 'com.snc.sams': 'active', 'com.snc.samp': 'active', 'com.snc.discovery': 'active' }],
  ['sam', { 'com.snc.sams': 'active', 'com.snc.discovery': 'active' }],
  ['legacy', { 'com.snc.software_asset_management': 'active', 'com.snc.discovery': 'active' }],
  ['none', { 'com.snc.discovery': 'active' }],
]

for (const [samMaturity, active] of MATURITIES) {
  test(`${samMaturity}: the plugins admin sees, SAM table counts as the seed reports them`, async (t) => {
    const { url, summary, count, plugins } = await seeded(t, { samMaturity })
    t.same(await plugins(), active, 'the SAM and Discovery plugins asked for')
    const base = await get(url, `/api/now/table/v_plugin?sysparm_query=${q('id=com.glide.rest')}&sysparm_fields=active`)
    t.same(base.json.result, [{ active: 'active' }], 'and the platform plugins of every instance')
    for (const table of SAM_TABLES) t.equal(await count(table), summary.counts[table], `${table} count`)
    t.equal(await count('v_plugin', `idIN${PLUGINS_ASKED}`), summary.counts.v_plugin, 'v_plugin rows in the summary')
  })
}

test('v_plugin is for admins: an integration user gets the 403 of a denied table read', async (t) => {
  const { url, summary, count } = await seeded(t, {})
  const auth = basic(summary.samples.userName, 'password')
  const denied = await get(url, '/api/now/table/v_plugin?sysparm_fields=id,active', { auth })
  t.equal(denied.status, 403)
  t.same(denied.json, { error: { message: 'Insufficient rights to query records', detail: null }, status: 'failure' })
  t.equal((await get(url, '/api/now/stats/v_plugin?sysparm_count=true', { auth })).status, 403, 'Aggregate API too')
  t.equal((await get(url, '/api/now/table/cmdb_sam_sw_install?sysparm_limit=1', { auth })).status, 200, 'SAM data is')
  t.ok((await count('v_plugin')) > 3, 'admin reads it')
})

const SERVER_CLASSES = ['cmdb_ci_linux_server', 'cmdb_ci_win_server', 'cmdb_ci_unix_server', 'cmdb_ci_esx_server']
const servers = (counts: Record<string, number>) => SERVER_CLASSES.reduce((n, c) => n + (counts[c] ?? 0), 0)

test('samPro: the SAM Pro filter leaves a proper subset; installations link servers and models', async (t) => {
  const { url, summary, count } = await seeded(t, { samMaturity: 'samPro', installsPerServer: 4 })
  const models = summary.counts.cmdb_sam_sw_discovery_model ?? 0
  const kept = await count('cmdb_sam_sw_discovery_model', SAM_PRO_FILTER)
  t.ok(kept > models / 3 && kept < models, `${kept} of ${models} discovery models pass the filter`)
  t.equal(summary.counts.cmdb_sam_sw_install, servers(summary.counts) * 4)
  const fields = 'installed_on.discovery_source,discovery_model.status,software_model.cmdb_model_category.name'
  const install = await get(
    url,
    `/api/now/table/cmdb_sam_sw_install?sysparm_query=${q('software_modelISNOTEMPTY')}&sysparm_limit=1&sysparm_fields=${fields}`,
  )
  const [row] = install.json.result
  t.equal(row['installed_on.discovery_source'], 'ServiceNow')
  t.equal(row['software_model.cmdb_model_category.name'], 'Software License')
  t.ok(['normalized', 'partially normalized', 'manually normalized'].includes(row['discovery_model.status']))
})

test('sam (Foundation): discovery models normalized by hand, linked to software models when they are', async (t) => {
  const { url, summary, count } = await seeded(t, { samMaturity: 'sam' })
  const models = summary.counts.cmdb_sam_sw_discovery_model ?? 0
  t.equal(
    await count('cmdb_sam_sw_discovery_model', 'statusINnormalized,partially normalized'),
    0,
    'no content service',
  )
  const manual = await count('cmdb_sam_sw_discovery_model', 'status=manually normalized')
  t.ok(manual > 0 && manual + (await count('cmdb_sam_sw_discovery_model', 'status=new')) > models / 2)
  t.ok((await count('cmdb_sam_sw_discovery_model', 'status=manually normalized^software_modelISNOTEMPTY')) > 0)
  t.equal(await count('cmdb_sam_sw_discovery_model', 'status=new^software_modelISNOTEMPTY'), 0)
  const kept = await count('cmdb_sam_sw_discovery_model', SAM_PRO_FILTER)
  t.ok(kept > 0 && kept <= manual, 'the SAM Pro filter keeps some manually normalized ones')
  t.ok((summary.counts.cmdb_sam_sw_install ?? 0) > 0, 'installations present')
  const plugins = await get(url, `/api/now/table/v_plugin?sysparm_query=${q('id=com.snc.samp')}`)
  t.same(plugins.json.result, [], 'SAM Professional is not there')
})

test('legacy: software packages and instances scaled with servers, no SAM rows', async (t) => {
  const { summary, count } = await seeded(t, { samMaturity: 'legacy', servers: 300, installsPerServer: 2 })
  t.equal(await count('cmdb_sam_sw_install'), 0)
  t.equal(await count('cmdb_sam_sw_discovery_model'), 0)
  t.ok((await count('cmdb_ci_spkg')) > 8)
  t.equal(await count('cmdb_software_instance'), servers(summary.counts) * 2)
  t.ok(servers(summary.counts) * 2 > 200, 'beyond the 200 instances a SAM instance keeps beside it')
})

test('none: no SAM rows at all; Discovery may still run', async (t) => {
  const { count } = await seeded(t, { samMaturity: 'none' })
  for (const table of SAM_TABLES) t.equal(await count(table), 0, table)
  t.ok((await count('cmdb_ci_server', 'discovery_source=ServiceNow')) > 0)
})

test('discovery: false lists com.snc.discovery inactive and no server comes from it', async (t) => {
  const { count, plugins } = await seeded(t, { samMaturity: 'sam', discovery: false })
  t.same(await plugins(), { 'com.snc.sams': 'active', 'com.snc.discovery': 'inactive' })
  t.equal(await count('cmdb_ci_server', 'discovery_source=ServiceNow'), 0)
  t.ok((await count('cmdb_ci_server', 'discovery_sourceINSCCM,ImportSet,Manual Entry')) > 0)
})

test('discoveryModels sets how many discovery models there are, each a distinct publisher, product and version', async (t) => {
  const { instance, count } = await seeded(t, { discoveryModels: 500 })
  t.equal(await count('cmdb_sam_sw_discovery_model'), 500)
  const keys = instance.data
    .sample('cmdb_sam_sw_discovery_model', 500)
    .map((m) => `${m.publisher}|${m.product}|${m.version}`)
  t.equal(new Set(keys).size, 500)
  t.equal(
    await count('cmdb_sam_sw_discovery_model', 'version=2019.5'),
    3,
    'three products had a 2019, now a 2019.5 too',
  )
  t.ok((await count('cmdb_sam_sw_install', 'discovery_model.versionSTARTSWITH2019.')) > 0, 'installed as well')
})

test('the hardware and software flows find the model fields they read', async (t) => {
  const { url } = await seeded(t, {})
  const server = await get(
    url,
    '/api/now/table/cmdb_ci_server?sysparm_limit=1&sysparm_fields=model_id.name,model_id.manufacturer.name,model_id.model_number,model_id.cmdb_model_category.name',
  )
  const [hw] = server.json.result
  t.equal(hw['model_id.cmdb_model_category.name'], 'Server')
  for (const field of ['model_id.name', 'model_id.manufacturer.name', 'model_id.model_number'])
    t.not(hw[field], '', field)
  const software = await get(
    url,
    '/api/now/table/cmdb_software_product_model?sysparm_limit=1&sysparm_fields=name,manufacturer.name,version,edition,cmdb_model_category.name',
  )
  const [sw] = software.json.result
  t.equal(sw['cmdb_model_category.name'], 'Software License')
  for (const field of ['name', 'manufacturer.name', 'version']) t.not(sw[field], '', field)
  t.ok('edition' in sw)
})

// The deterministic CSDM seed: same seed, same instance; the SAM discovery models fit the
// filter SAP LeanIX documents; relation counts are exact; catalog items are configurable.
import { test } from 'tap'
import { seedCsdm, ServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { emulator, get } from './helpers.ts'

const LEANIX_FILTER =
  'statusINmanually normalized,normalized,partially normalized^norm_versionISNOTEMPTY^norm_publisherISNOTEMPTY^norm_typeINlicensable,not licensable,unknown'

test('the same seed produces the same records', async (t) => {
  const a = new ServiceNowEmulator()
  const b = new ServiceNowEmulator()
  const c = new ServiceNowEmulator()
  t.teardown(() => [a, b, c].forEach((e) => e.close()))
  const sa = seedCsdm(a, { seed: 7, relations: 300 })
  const sb = seedCsdm(b, { seed: 7, relations: 300 })
  const sc = seedCsdm(c, { seed: 8, relations: 300 })
  t.same(sa, sb)
  t.not(sa.samples.serverSysId, sc.samples.serverSysId)
  const names = (e: ServiceNowEmulator) => {
    const ref = e.data.get('cmdb_ci_server', sa.samples.serverSysId)
    return ref ? e.data.values(ref, ['name', 'ip_address']) : undefined
  }
  t.same(names(a), names(b))
})

test('seeded instance: counts, CSDM relations, discovery models, catalog items', async (t) => {
  const { url, instance } = await emulator(t)
  const seed = seedCsdm(instance, { relations: 5000, catalogItems: ['Badge access', 'Door access'] })
  t.equal(instance.data.count('cmdb_rel_ci'), 5000)
  t.equal(seed.counts.cmdb_rel_ci, 5000)
  t.ok(instance.data.count('cmdb_ci_server') >= 60)
  t.same(Object.keys(seed.catalogItems), ['Badge access', 'Door access'])

  const all = await get(url, '/api/now/stats/cmdb_sam_sw_discovery_model?sysparm_count=true')
  const matching = await get(
    url,
    `/api/now/table/cmdb_sam_sw_discovery_model?sysparm_query=${encodeURIComponent(LEANIX_FILTER)}&sysparm_fields=status,norm_type,norm_version`,
  )
  const n = matching.json.result.length
  t.ok(n > 0 && n < Number(all.json.result.stats.count), 'the filter selects a proper subset')
  for (const r of matching.json.result) {
    t.ok(['manually normalized', 'normalized', 'partially normalized'].includes(r.status))
    t.ok(['licensable', 'not licensable', 'unknown'].includes(r.norm_type))
    t.not(r.norm_version, '')
  }
  const provides = await get(
    url,
    '/api/now/table/cmdb_rel_ci?sysparm_query=type.name=Provided By::Provides&sysparm_limit=1&sysparm_fields=parent.sys_class_name,child.sys_class_name',
  )
  t.same(provides.json.result, [
    { 'parent.sys_class_name': 'cmdb_ci_business_capability', 'child.sys_class_name': 'cmdb_ci_business_app' },
  ])
  const installs = await get(
    url,
    '/api/now/table/cmdb_sam_sw_install?sysparm_limit=1&sysparm_fields=installed_on.sys_class_name,discovery_model.display_name',
  )
  t.match(installs.json.result[0]['installed_on.sys_class_name'], /^cmdb_ci_(linux|win|unix|esx)_server$/)
})

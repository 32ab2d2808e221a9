// The schema as clients discover it (sys_db_object, sys_dictionary, sys_choice served from the
// table definitions) and custom u_ tables / columns created at run time.
import { test } from 'tap'
import { REL_TYPE } from '../../../connectors/servicenow/emulator/index.ts'
import { call, emulator, get } from './helpers.ts'

test('sys_db_object knows the class hierarchy; sys_dictionary and sys_choice describe columns', async (t) => {
  const { url } = await emulator(t)
  const server = await get(
    url,
    '/api/now/table/sys_db_object?sysparm_query=name=cmdb_ci_linux_server&sysparm_fields=name,super_class.name,is_extendable',
  )
  t.same(server.json.result, [
    { name: 'cmdb_ci_linux_server', 'super_class.name': 'cmdb_ci_server', is_extendable: 'true' },
  ])
  const dict = await get(
    url,
    '/api/now/table/sys_dictionary?sysparm_query=name=cmdb_rel_ci^elementISNOTEMPTY^ORDERBYelement&sysparm_fields=element,internal_type,reference',
  )
  const byElement = Object.fromEntries(dict.json.result.map((r: { element: string }) => [r.element, r]))
  t.same(byElement.parent, { element: 'parent', internal_type: 'reference', reference: 'cmdb_ci' })
  t.same(byElement.type, { element: 'type', internal_type: 'reference', reference: 'cmdb_rel_type' })
  t.ok(byElement.sys_id, 'system columns are listed on a base table')
  const collection = await get(url, '/api/now/table/sys_dictionary?sysparm_query=name=incident^elementISEMPTY')
  t.equal(collection.json.result.length, 1, 'one collection entry per table')
  const choices = await get(
    url,
    '/api/now/table/sys_choice?sysparm_query=name=cmdb_sam_sw_discovery_model^element=status&sysparm_fields=value,label',
  )
  t.same(choices.json.result.map((c: { value: string }) => c.value).sort(), [
    'manually normalized',
    'match not found',
    'new',
    'normalized',
    'partially normalized',
    'publisher normalized',
  ])
})

test('out-of-box relationship types carry the documented sys_ids', async (t) => {
  const { url } = await emulator(t)
  const r = await get(url, `/api/now/table/cmdb_rel_type/${REL_TYPE.DEPENDS_ON}`)
  t.equal(r.json.result.name, 'Depends on::Used by')
  t.equal(
    (await get(url, '/api/now/table/cmdb_rel_type/60bc4e22c0a8010e01f074cbe6bd73c3')).json.result.name,
    'Runs on::Runs',
  )
})

test('custom u_ tables and columns through the admin API', async (t) => {
  const { url } = await emulator(t)
  const created = await call(url, 'POST', '/emulator/admin/tables', {
    auth: null,
    body: {
      name: 'u_leanix_fact_sheet',
      label: 'LeanIX Fact Sheet',
      display_field: 'u_name',
      fields: [
        { name: 'u_name', type: 'string' },
        { name: 'u_type', type: 'choice', choices: [{ value: 'application', label: 'Application' }] },
        { name: 'u_ci', type: 'reference', reference: 'cmdb_ci' },
      ],
    },
  })
  t.equal(created.status, 201)
  const row = await call(url, 'POST', '/api/now/table/u_leanix_fact_sheet', {
    body: { u_name: 'CRM', u_type: 'application' },
  })
  t.equal(row.status, 201)
  t.equal(row.json.result.u_name, 'CRM')
  t.match(row.json.result.sys_id, /^[0-9a-f]{32}$/)
  const dv = await get(
    url,
    `/api/now/table/u_leanix_fact_sheet/${row.json.result.sys_id}?sysparm_display_value=true&sysparm_fields=u_type`,
  )
  t.equal(dv.json.result.u_type, 'Application')
  const dict = await get(
    url,
    '/api/now/table/sys_dictionary?sysparm_query=name=u_leanix_fact_sheet^element=u_ci&sysparm_fields=reference',
  )
  t.same(dict.json.result, [{ reference: 'cmdb_ci' }])

  const column = await call(url, 'POST', '/emulator/admin/tables/cmdb_ci_business_app/fields', {
    auth: null,
    body: { name: 'u_leanix_id', type: 'string' },
  })
  t.equal(column.status, 201)
  const app = await call(url, 'POST', '/api/now/table/cmdb_ci_business_app', {
    body: { name: 'CRM', u_leanix_id: 'fs-1' },
  })
  t.equal(app.json.result.u_leanix_id, 'fs-1')
  const found = await get(
    url,
    '/api/now/table/cmdb_ci_business_app?sysparm_query=u_leanix_idSTARTSWITHfs-&sysparm_fields=name',
  )
  t.same(found.json.result, [{ name: 'CRM' }])

  const refused = await call(url, 'POST', '/emulator/admin/tables', {
    auth: null,
    body: { name: 'incident2', fields: [] },
  })
  t.equal(refused.status, 400)
  t.equal(refused.json.error.code, 'CW_SNEMU_SCHEMA_INVALID')
})

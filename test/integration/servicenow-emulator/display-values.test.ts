// sysparm_display_value x sysparm_exclude_reference_link: the six shapes of a reference field
// (docs/reference/servicenow.md §1.3), choice labels, `all` turning every field into an object, and
// links built from the configured base URL, never the request's host.
import { test } from 'tap'
import { ADMIN_SYS_ID } from '../../../connectors/servicenow/emulator/index.ts'
import { emulator, get } from './helpers.ts'

const BASE = 'https://acme.service-now.com'

test('the six shapes of a reference field', async (t) => {
  const { url, instance } = await emulator(t, { baseUrl: BASE })
  const inc = instance.data.insert('incident', { short_description: 'x', caller_id: ADMIN_SYS_ID, priority: '2' })
  const id = inc.row[0] as string
  const link = `${BASE}/api/now/table/sys_user/${ADMIN_SYS_ID}`
  const shape = async (dv: string, excl: string) =>
    (
      await get(
        url,
        `/api/now/table/incident/${id}?sysparm_fields=caller_id,priority,assignment_group&sysparm_display_value=${dv}&sysparm_exclude_reference_link=${excl}`,
      )
    ).json.result
  t.same(await shape('false', 'false'), {
    caller_id: { link, value: ADMIN_SYS_ID },
    priority: '2',
    assignment_group: '',
  })
  t.same(await shape('false', 'true'), { caller_id: ADMIN_SYS_ID, priority: '2', assignment_group: '' })
  t.same(await shape('true', 'false'), {
    caller_id: { display_value: 'System Administrator', link },
    priority: '2 - High',
    assignment_group: '',
  })
  t.same(await shape('true', 'true'), { caller_id: 'System Administrator', priority: '2 - High', assignment_group: '' })
  t.same(await shape('all', 'false'), {
    caller_id: { display_value: 'System Administrator', link, value: ADMIN_SYS_ID },
    priority: { display_value: '2 - High', value: '2' },
    assignment_group: { display_value: '', value: '' },
  })
  t.same(await shape('all', 'true'), {
    caller_id: { display_value: 'System Administrator', value: ADMIN_SYS_ID },
    priority: { display_value: '2 - High', value: '2' },
    assignment_group: { display_value: '', value: '' },
  })
})

test('the link names the dictionary reference table, not the target class', async (t) => {
  const { url, instance } = await emulator(t, { baseUrl: BASE })
  const server = instance.data.insert('cmdb_ci_linux_server', { name: 'lnx-1' })
  const inc = instance.data.insert('incident', { short_description: 'x', cmdb_ci: server.row[0] as string })
  const r = await get(
    url,
    `/api/now/table/incident/${inc.row[0]}?sysparm_fields=cmdb_ci,sys_class_name&sysparm_display_value=all`,
  )
  t.equal(r.json.result.cmdb_ci.link, `${BASE}/api/now/table/cmdb_ci/${server.row[0]}`)
  t.equal(r.json.result.cmdb_ci.display_value, 'lnx-1')
  t.same(r.json.result.sys_class_name, { display_value: 'Incident', value: 'incident' })
})

// sys_properties on the emulator: the release properties an instance reports, readable over the
// Table API with the platform's fields, and the release chosen by the `release` option.
import { test } from 'tap'
import { ServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { call, emulator, get } from './helpers.ts'

test('sys_properties carries the release the emulator was started with', async (t) => {
  const { url } = await emulator(t, { release: 'madrid' })
  const query = encodeURIComponent('nameINglide.war,glide.buildtag.last,glide.buildname^ORDERBYname')
  const r = await get(url, `/api/now/table/sys_properties?sysparm_query=${query}&sysparm_fields=name,value,type`)
  t.equal(r.status, 200)
  t.same(r.json.result, [
    { name: 'glide.buildname', value: 'Madrid', type: 'string' },
    { name: 'glide.buildtag.last', value: 'glide-madrid-12-12-2018__patch0-12-12-2018', type: 'string' },
    { name: 'glide.war', value: 'glide-madrid-12-12-2018__patch0-12-12-2018_12-12-2018_0000.zip', type: 'string' },
  ])
  const fields = await get(
    url,
    '/api/now/table/sys_dictionary?sysparm_query=name=sys_properties&sysparm_fields=element',
  )
  const elements = fields.json.result.map((f: { element: string }) => f.element)
  for (const f of ['name', 'value', 'type', 'description', 'is_private', 'read_roles', 'write_roles']) {
    t.ok(elements.includes(f), `sys_properties.${f} is in the dictionary`)
  }
  const added = await call(url, 'POST', '/api/now/table/sys_properties', {
    body: { name: 'x_crosswalk.flag', value: 'true', type: 'boolean' },
  })
  t.equal(added.status, 201, 'a property can be added like any record')
})

test('the default release is New York; an unknown release is refused', async (t) => {
  const { url } = await emulator(t)
  const r = await get(url, '/api/now/table/sys_properties?sysparm_query=name=glide.buildname&sysparm_fields=value')
  t.same(r.json.result, [{ value: 'New York' }])
  t.throws(() => new ServiceNowEmulator({ release: 'helsinki-ish' }), { code: 'CW_SNEMU_OPTIONS_INVALID' })
})

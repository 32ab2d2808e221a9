// Display values of dates in the calling user's time zone and date format (issue 16, emulator
// point 6): sys_user.time_zone and date_format decide what sysparm_display_value=true|all shows;
// stored values stay UTC "yyyy-MM-dd HH:mm:ss" (Table API docs, sysparm_display_value:
// https://www.servicenow.com/docs/r/api-reference/rest-apis/c_TableAPI.html).
import { test } from 'tap'
import { basic, emulator, get } from './helpers.ts'

test('date/time display values follow the user time zone and date format', async (t) => {
  const { url, instance } = await emulator(t, {
    users: [
      { userName: 'berlin', password: 'pw', roles: ['admin'] },
      { userName: 'la', password: 'pw', roles: ['admin'] },
    ],
  })
  const set = (userName: string, values: Record<string, string>) => {
    const id = instance.users.get(userName)?.sysId ?? ''
    instance.data.update('sys_user', id, values)
  }
  set('berlin', { time_zone: 'Europe/Berlin', date_format: 'dd.MM.yyyy' })
  set('la', { time_zone: 'America/Los_Angeles', date_format: 'MM-dd-yyyy' })
  const inc = instance.data.insert('incident', { short_description: 'x', opened_at: '2026-01-15 23:30:00' })
  instance.data.insert('cmdb_sam_sw_install', { display_name: 'y', install_date: '2026-01-15' })
  const path = `/api/now/table/incident/${inc.row[0]}?sysparm_fields=opened_at`

  const as = (user: string, mode: string) =>
    get(url, `${path}&sysparm_display_value=${mode}`, { auth: basic(user, 'pw') })
  t.same((await as('berlin', 'true')).json.result, { opened_at: '16.01.2026 00:30:00' }, 'CET is UTC+1 in January')
  t.same((await as('la', 'true')).json.result, { opened_at: '01-15-2026 15:30:00' }, 'PST is UTC-8')
  t.same((await as('berlin', 'all')).json.result, {
    opened_at: { display_value: '16.01.2026 00:30:00', value: '2026-01-15 23:30:00' },
  })
  t.same((await as('berlin', 'false')).json.result, { opened_at: '2026-01-15 23:30:00' }, 'values stay UTC')
  t.same(
    (await get(url, `${path}&sysparm_display_value=true`)).json.result,
    {
      opened_at: '2026-01-15 23:30:00',
    },
    'admin: GMT and the system format',
  )

  const summer = instance.data.insert('incident', { opened_at: '2026-07-01 12:00:00' })
  const july = await get(
    url,
    `/api/now/table/incident/${summer.row[0]}?sysparm_fields=opened_at&sysparm_display_value=true`,
    {
      auth: basic('berlin', 'pw'),
    },
  )
  t.equal(july.json.result.opened_at, '01.07.2026 14:00:00', 'CEST is UTC+2 in July')

  const dateOnly = await get(
    url,
    '/api/now/table/cmdb_sam_sw_install?sysparm_fields=install_date&sysparm_display_value=true',
    { auth: basic('la', 'pw') },
  )
  t.same(dateOnly.json.result, [{ install_date: '01-15-2026' }], 'a date is reformatted, never shifted')
})

test('user_password is masked as a display value; mobile_phone is a user field', async (t) => {
  const { url } = await emulator(t)
  const r = await get(
    url,
    '/api/now/table/sys_user?sysparm_query=user_name=admin&sysparm_fields=user_password,mobile_phone&sysparm_display_value=all',
  )
  t.equal(r.json.result[0].user_password.display_value, '********')
  t.not(r.json.result[0].user_password.value, 'admin', 'never the password itself')
  t.same(r.json.result[0].mobile_phone, { display_value: '', value: '' })
})

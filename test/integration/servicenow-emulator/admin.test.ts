// Every route of the emulator's admin API that its README lists answers (issue 16, emulator
// point 10): GET on each collection returns what it holds, writes are reflected in the reads.
import { test } from 'tap'
import { call, emulator } from './helpers.ts'

const admin = (url: string, method: string, path: string, body?: unknown) =>
  call(url, method, `/emulator/admin/${path}`, { auth: null, ...(body === undefined ? {} : { body }) })

test('every listed admin collection answers GET', async (t) => {
  const { url } = await emulator(t)
  const tables = await admin(url, 'GET', 'tables')
  t.equal(tables.status, 200)
  t.ok(tables.json.tables.some((x: { name: string }) => x.name === 'cmdb_ci_business_app'))
  t.equal(tables.json.tables.find((x: { name: string }) => x.name === 'sys_user').rows, 1, 'admin only')

  const fields = await admin(url, 'GET', 'tables/incident/fields')
  t.equal(fields.status, 200)
  t.ok(
    fields.json.fields.some((f: { name: string }) => f.name === 'caller_id'),
    'inherited and own fields',
  )
  t.equal((await admin(url, 'GET', 'tables/nope/fields')).status, 400)

  const records = await admin(url, 'GET', 'records/sys_user')
  t.equal(records.status, 200)
  t.equal(records.json.records[0].user_name, 'admin')

  for (const path of ['faults', 'rate-limits', 'concurrency', 'acl', 'users', 'oauth-clients', 'notifications']) {
    const r = await admin(url, 'GET', path)
    t.equal(r.status, 200, `GET ${path}`)
    t.match(r.headers.get('content-type'), /application\/json/)
  }
})

test('writes show up in the reads', async (t) => {
  const { url } = await emulator(t)
  await admin(url, 'POST', 'tables', { name: 'u_widget', fields: [{ name: 'u_size', type: 'integer' }] })
  t.ok((await admin(url, 'GET', 'tables')).json.tables.some((x: { name: string }) => x.name === 'u_widget'))
  await admin(url, 'POST', 'records/u_widget', { records: [{ u_size: 3 }] })
  t.equal((await admin(url, 'GET', 'records/u_widget?limit=5')).json.records[0].u_size, '3')

  await admin(url, 'POST', 'rate-limits', { limit: 5, allUsers: true })
  t.equal((await admin(url, 'GET', 'rate-limits')).json.rules[0].limit, 5)
  await admin(url, 'POST', 'acl', { table: 'incident', operation: 'read', roles: ['itil'] })
  t.same(
    (await admin(url, 'GET', 'acl')).json.rules,
    [
      { table: 'v_plugin', operation: 'read', roles: [] },
      ...['sys_db_object', 'sys_dictionary'].flatMap((table) =>
        ['create', 'write', 'delete'].map((operation) => ({ table, operation, roles: [] })),
      ),
      { table: 'incident', operation: 'read', roles: ['itil'] },
    ],
    'the out-of-box rules and the added one',
  )
  await admin(url, 'POST', 'users', { userName: 'sam', password: 'pw', roles: ['itil'] })
  const users = (await admin(url, 'GET', 'users')).json.users
  t.same(
    users.find((u: { userName: string }) => u.userName === 'sam'),
    {
      userName: 'sam',
      sysId: users.find((u: { userName: string }) => u.userName === 'sam').sysId,
      roles: ['itil'],
      active: true,
      lockedOut: false,
    },
    'no password in the listing',
  )
  await admin(url, 'POST', 'oauth-clients', { clientId: 'c1', clientSecret: 's1' })
  t.same((await admin(url, 'GET', 'oauth-clients')).json.clients, [{ clientId: 'c1' }], 'no secret in the listing')
  await admin(url, 'PUT', 'concurrency', { maxConcurrent: 3 })
  t.equal((await admin(url, 'GET', 'concurrency')).json.maxConcurrent, 3)
})

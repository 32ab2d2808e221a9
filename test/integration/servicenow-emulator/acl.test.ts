// ACLs (docs/reference/servicenow.md §1.2, §1.5): read-only users cannot write, denied tables answer 403 with the
// platform's messages, row ACLs are applied after the limit so pages come back short.
import { test } from 'tap'
import { basic, call, emulator, get } from './helpers.ts'

test('a read-only user reads but every write is refused with the ACL messages', async (t) => {
  const { url, instance } = await emulator(t, {
    users: [{ userName: 'reader', password: 'r', roles: ['snc_read_only'] }],
  })
  const inc = instance.data.insert('incident', { short_description: 'x' })
  const auth = basic('reader', 'r')
  t.equal((await get(url, '/api/now/table/incident', { auth })).status, 200)
  const post = await call(url, 'POST', '/api/now/table/incident', { auth, body: { short_description: 'y' } })
  t.equal(post.status, 403)
  t.same(post.json, {
    error: { message: 'Operation Failed', detail: 'ACL Exception Insert Failed due to security constraints' },
    status: 'failure',
  })
  const patch = await call(url, 'PATCH', `/api/now/table/incident/${inc.row[0]}`, { auth, body: { state: '2' } })
  t.equal(patch.json.error.detail, 'ACL Exception Update Failed due to security constraints')
  const del = await call(url, 'DELETE', `/api/now/table/incident/${inc.row[0]}`, { auth })
  t.equal(del.json.error.detail, 'ACL Exception Delete Failed due to security constraints')
  t.equal(instance.data.count('incident'), 1)
})

test('a table denied for reading answers 403 Insufficient rights; admin passes', async (t) => {
  const { url, instance } = await emulator(t, { users: [{ userName: 'svc', password: 'p', roles: ['itil'] }] })
  instance.acl.add({ table: 'sys_user', operation: 'read', roles: ['user_admin'] })
  const denied = await get(url, '/api/now/table/sys_user', { auth: basic('svc', 'p') })
  t.equal(denied.status, 403)
  t.same(denied.json, { error: { message: 'Insufficient rights to query records', detail: null }, status: 'failure' })
  t.equal((await get(url, '/api/now/table/sys_user')).status, 200, 'admin passes every ACL')
})

test('row ACLs shorten pages: rows are filtered after the limit, X-Total-Count still counts them', async (t) => {
  const { url, instance } = await emulator(t, { users: [{ userName: 'svc', password: 'p', roles: ['itil'] }] })
  instance.data.bulkLoad(
    'incident',
    Array.from({ length: 20 }, (_, i) => ({
      short_description: `i${i}`,
      category: i % 2 === 0 ? 'software' : 'hardware',
    })),
  )
  instance.acl.add({ table: 'incident', operation: 'read', roles: ['security_admin'], condition: 'category=hardware' })
  const auth = basic('svc', 'p')
  const page = await get(
    url,
    '/api/now/table/incident?sysparm_query=ORDERBYsys_id&sysparm_limit=10&sysparm_fields=category',
    { auth },
  )
  t.ok(page.json.result.length < 10, 'short page although more rows exist')
  t.ok(page.json.result.every((r: { category: string }) => r.category === 'software'))
  t.equal(page.headers.get('x-total-count'), '20')
  const hidden = instance.data.insert('incident', { short_description: 'h', category: 'hardware' })
  t.equal(
    (await get(url, `/api/now/table/incident/${hidden.row[0]}`, { auth })).status,
    404,
    'a hidden record is "not found"',
  )
})

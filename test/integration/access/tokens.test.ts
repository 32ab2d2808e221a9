import t from 'tap'
// every test starts an embedded PostgreSQL (PGlite), slow on a busy machine
t.setTimeout(300_000)
const { test } = t
import { buildTestApp } from '../../helpers/app.ts'

test('a token is shown once, listed without its value, and stops working when revoked', async (t) => {
  const hub = await buildTestApp(t)
  const created = await hub.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'ci', role: 'operator' } })
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.headers['cache-control'], 'no-store')
  const { token, record } = created.json<{ token: string; record: { id: string; role: string; createdBy: string } }>()
  t.match(token, /^cw_[A-Za-z0-9_-]{43}$/)
  t.equal(record.role, 'operator')
  t.equal(record.createdBy, 'admin (CROSSWALK_ADMIN_TOKEN)')

  const list = await hub.inject('/api/v1/tokens')
  t.equal(list.statusCode, 200)
  t.notOk(list.body.includes(token), 'the list never carries the token')
  t.notOk(list.body.includes('hash'), 'nor its hash')
  t.same(
    list.json<{ items: Array<{ name: string }> }>().items.map((i) => i.name),
    ['admin (CROSSWALK_ADMIN_TOKEN)', 'ci'],
  )

  // the new operator token works on an operator route, not on an admin one
  t.equal((await hub.inject('/api/v1/tokens', token)).statusCode, 403)
  const used = await hub.inject(`/api/v1/tokens/${record.id}`)
  t.equal(used.statusCode, 200)
  t.type(used.json<{ lastUsedAt: string | null }>().lastUsedAt, 'string', 'last use is recorded')

  const revoked = await hub.inject({ method: 'DELETE', url: `/api/v1/tokens/${record.id}` })
  t.equal(revoked.statusCode, 200)
  t.type(revoked.json<{ revokedAt: string }>().revokedAt, 'string')
  const after = await hub.inject('/api/v1/tokens', token)
  t.equal(after.statusCode, 401)
  t.equal(after.json<{ code: string }>().code, 'CW_AUTH_REQUIRED')
  t.match(after.headers['www-authenticate'], /^Bearer realm="crosswalk", error="invalid_token"$/)

  t.equal((await hub.inject({ method: 'DELETE', url: `/api/v1/tokens/${record.id}` })).statusCode, 409)
  const again = await hub.inject('/api/v1/tokens?includeRevoked=true')
  t.equal(again.json<{ total: number }>().total, 2)
})

test('the last active admin token cannot be revoked', async (t) => {
  const hub = await buildTestApp(t)
  const list = await hub.inject('/api/v1/tokens')
  const [admin] = list.json<{ items: Array<{ id: string }> }>().items
  const res = await hub.inject({ method: 'DELETE', url: `/api/v1/tokens/${admin?.id}` })
  t.equal(res.statusCode, 409)
  t.equal(res.json<{ code: string }>().code, 'CW_AUTH_LAST_ADMIN')

  // with a second admin it can, and the remaining admin still works
  const second = await hub.token('admin')
  const ok = await hub.inject({ method: 'DELETE', url: `/api/v1/tokens/${admin?.id}` }, second)
  t.equal(ok.statusCode, 200)
  t.equal((await hub.inject('/api/v1/tokens')).statusCode, 401, 'the revoked admin token stops working')
  t.equal((await hub.inject('/api/v1/tokens', second)).statusCode, 200)
})

test('missing, malformed and too-weak credentials', async (t) => {
  const hub = await buildTestApp(t)
  const none = await hub.inject('/api/v1/tokens', null)
  t.equal(none.statusCode, 401)
  t.equal(none.headers['www-authenticate'], 'Bearer realm="crosswalk"')
  t.match(none.json<{ message: string }>().message, /none was sent/)

  const basic = await hub.inject({ url: '/api/v1/tokens', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }, null)
  t.equal(basic.statusCode, 401)
  t.match(basic.json<{ message: string }>().message, /not of the form "Bearer <token>"/)

  const viewer = await hub.token('viewer', 'dashboards')
  const weak = await hub.inject(
    { method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', role: 'admin' } },
    viewer,
  )
  t.equal(weak.statusCode, 403)
  const body = weak.json<{ code: string; message: string }>()
  t.equal(body.code, 'CW_AUTH_FORBIDDEN')
  t.match(body.message, /needs the admin role; the token "dashboards" has the viewer role/)

  const unknown = await hub.inject('/no/such/route', null)
  t.equal(unknown.statusCode, 401, 'anonymous callers do not learn which routes exist')
  t.equal((await hub.inject('/no/such/route', viewer)).statusCode, 404, 'any valid token gets the 404')
})

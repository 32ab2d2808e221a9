// GET /api/v1/me: any hub token learns its own name and role, and the roles it acts as (what a
// client may offer it); without a token, nothing.
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'

t.setTimeout(300_000)

t.test('a token describes itself', async (t) => {
  const hub = await buildTestApp(t)
  const cases = [
    { role: 'viewer', roles: ['viewer'] },
    { role: 'operator', roles: ['viewer', 'operator'] },
    { role: 'admin', roles: ['viewer', 'operator', 'admin'] },
  ] as const
  for (const { role, roles } of cases) {
    const token = await hub.token(role, `me ${role}`)
    const res = await hub.inject({ url: '/api/v1/me' }, token)
    t.equal(res.statusCode, 200, res.body)
    const me = res.json<{ tokenId: string; name: string; role: string; roles: string[] }>()
    t.same({ name: me.name, role: me.role, roles: me.roles }, { name: `me ${role}`, role, roles: [...roles] })
    const listed = (await hub.inject({ url: `/api/v1/tokens/${me.tokenId}` })).json<{ name: string }>()
    t.equal(listed.name, `me ${role}`, 'tokenId is the id of the token used')
  }
  const anonymous = await hub.inject({ url: '/api/v1/me' }, null)
  t.equal(anonymous.statusCode, 401)
})

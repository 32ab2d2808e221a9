// The egress setting through the hub (issue 11, point 12): in production, a connection to a
// local address is refused before anything is sent, and its check answers the same for a closed
// port as for an open one, naming the setting that allows it; egress.allowPrivateNetworks (or
// its environment name) allows it again; a SIM integration's ServiceNow client obeys it too.
// Outside production nothing changes, which keeps the sandbox's emulators on 127.0.0.1 reachable.
import { test, type Test } from 'tap'
import { unusedPort } from '../../helpers/ports.ts'
import { loadConfig } from '../../../modules.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { json, startStub } from '../../unit/servicenow-client/stub-server.ts'

async function hubWith(t: Test, config: Record<string, unknown>) {
  const instance = await startStub((req, res) => {
    if (req.url.pathname.includes('oauth2/token')) return json(res, 401, { error: 'unauthorized' })
    json(res, 200, { result: [{ sys_id: 'a'.repeat(32) }] })
  })
  t.teardown(() => instance.close())
  const hub = await buildTestApp(t, { config })
  const check = async (connector: string, settings: Record<string, unknown>) => {
    const created = await hub.inject({
      method: 'POST',
      url: '/api/v1/connections',
      payload: { name: `${connector} ${Math.random()}`, connector, settings },
    })
    t.equal(created.statusCode, 201, created.body)
    const res = await hub.inject({ method: 'POST', url: `/api/v1/connections/${created.json().id}/check` })
    t.equal(res.statusCode, 200)
    const { durationMs: _timing, ...answer } = res.json() as { ok: boolean; message: string; durationMs?: number }
    return answer
  }
  const servicenow = (url: string) =>
    check('servicenow', { instanceUrl: url, allowHttp: true, authKind: 'basic', username: 'u', password: 'p' })
  const leanix = (url: string) => check('leanix', { instanceUrl: url, allowHttp: true, apiToken: 'token' })
  // a SIM integration's ServiceNow client (IdentityNow module) goes out the same way
  const integration = async (url: string) => {
    const dto = await hub.hub.identitynow.integrations.create({
      name: `ServiceNow ${Math.random()}`,
      description: 'egress',
      type: 'ServiceNowSDIM',
      managedSources: [],
      attributes: { url, authType: 'Basic', username: 'u', password: 'p' },
    })
    const res = await hub.inject({ url: `/api/v1/identitynow/integrations/${dto.id}/servicenow-release` })
    t.equal(res.statusCode, 200, res.body)
    return res.json() as { level: string; message: string }
  }
  return { instance, servicenow, leanix, integration }
}

test('in production, checks of local addresses are refused with the setting named, open port or closed', async (t) => {
  const { instance, servicenow, leanix, integration } = await hubWith(t, { production: true })
  const closed = `http://127.0.0.1:${await unusedPort()}`
  const open = await servicenow(instance.url)
  t.match(open, { ok: false, message: /loopback address.*egress\.allowPrivateNetworks/ })
  t.same(await servicenow(closed), open, 'a closed port answers exactly as an open one')
  t.match(await servicenow(instance.url.replace('127.0.0.1', 'localhost')), { ok: false, message: /localhost \(/ })
  const lx = await leanix(instance.url)
  t.match(lx, { ok: false, message: /egress\.allowPrivateNetworks/ })
  const lxClosed = await leanix(closed)
  t.equal(lxClosed.message.replace(closed, 'URL'), lx.message.replace(instance.url, 'URL'))
  t.match(await integration(instance.url), { level: 'warning', message: /egress\.allowPrivateNetworks/ })
  t.equal(instance.requests.length, 0, 'nothing was sent')
})

test('production with egress.allowPrivateNetworks true, and outside production, local addresses work', async (t) => {
  const allowed = await hubWith(t, { production: true, egress: { allowPrivateNetworks: true } })
  t.match(await allowed.servicenow(allowed.instance.url), { ok: true })
  const development = await hubWith(t, {})
  t.match(await development.servicenow(development.instance.url), { ok: true })
})

test('the setting has an environment name', async (t) => {
  const config = loadConfig({ env: { CROSSWALK_PRODUCTION: 'true', CROSSWALK_EGRESS_ALLOW_PRIVATE_NETWORKS: 'true' } })
  t.equal(config.egress.allowPrivateNetworks, true)
  t.equal(loadConfig({ env: {} }).egress.allowPrivateNetworks, undefined, 'unset: derived from production')
})

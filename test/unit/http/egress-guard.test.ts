// The egress guard (issue 11, point 12): with private networks not allowed, no request leaves for
// a loopback, link-local, private or unspecified address, however the address is written, and
// the refusal (CW_EGRESS_PRIVATE_NETWORK, naming the setting) comes before any connection, so it
// reads the same for a closed port as for an open one. Allowed, the same requests go through.
import { test } from 'tap'
import { unusedPort } from '../../helpers/ports.ts'
import { createProxy } from 'proxy'
import { TenantClient } from '../../../connectors/identitynow/tenant/client.ts'
import { ServiceNowClient } from '../../../connectors/servicenow/client/client.ts'
import type { ServiceNowClientOptions } from '../../../connectors/servicenow/client/options.ts'
import { nonPublicRange } from '../../../core/http/egress-guard.ts'
import { egressPolicyOf } from '../../../core/http/egress.ts'
import { FAST_BACKOFF, json, startStub } from '../servicenow-client/stub-server.ts'
import type { Teardown } from '../servicenow-client/stub-server.ts'

const RECORD = { sys_id: 'a'.repeat(32) }

function client(
  t: Teardown,
  instanceUrl: string,
  allowPrivateNetworks: boolean,
  extra: Partial<ServiceNowClientOptions> = {},
) {
  const c = new ServiceNowClient({
    instanceUrl,
    allowHttp: true,
    auth: { kind: 'basic', username: 'u', password: 'p' },
    backoff: FAST_BACKOFF,
    sleep: async () => {},
    egress: { allowPrivateNetworks },
    ...extra,
  })
  t.teardown(() => c.close())
  return c
}

test('addresses that are not public unicast are named; public ones pass', async (t) => {
  const refused: Record<string, string> = {
    '127.0.0.1': 'loopback',
    '127.8.9.10': 'loopback',
    '::1': 'loopback',
    '::ffff:127.0.0.1': 'loopback',
    '::ffff:7f00:1': 'loopback',
    '0.0.0.0': 'unspecified',
    '::': 'unspecified',
    '10.1.2.3': 'private',
    '172.16.0.1': 'private',
    '192.168.1.1': 'private',
    '169.254.169.254': 'link-local',
    'fe80::1': 'link-local',
    'fd00::1': 'unique local (private IPv6)',
    '100.64.0.1': 'carrier-grade NAT (shared)',
  }
  for (const [address, range] of Object.entries(refused)) t.equal(nonPublicRange(address), range, address)
  t.match(nonPublicRange('64:ff9b::7f00:1'), /special-purpose/, 'NAT64 of 127.0.0.1')
  for (const address of ['8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) t.equal(nonPublicRange(address), undefined)
})

test('every spelling of a local address is refused before any connection, open port or closed', async (t) => {
  const stub = await startStub((_q, res) => json(res, 200, { result: RECORD }))
  t.teardown(() => stub.close())
  const port = new URL(stub.url).port
  const closed = await unusedPort()
  const spellings = [
    `http://127.0.0.1:${port}`,
    `http://0x7f000001:${port}`, // the URL parser reads both as 127.0.0.1
    `http://2130706433:${port}`,
    `http://localhost:${port}`, // resolved first, then refused
    `http://[::1]:${port}`,
    `http://[::ffff:127.0.0.1]:${port}`,
    `http://0.0.0.0:${port}`,
  ]
  const messages: string[] = []
  for (const url of [...spellings, `http://127.0.0.1:${closed}`]) {
    const error = (await client(t, url, false)
      .getRecord('incident', RECORD.sys_id)
      .catch((e: unknown) => e)) as Error & { code?: string; retryable?: boolean }
    t.match(
      error,
      {
        code: 'CW_EGRESS_PRIVATE_NETWORK',
        retryable: false,
        message: /egress\.allowPrivateNetworks \(CROSSWALK_EGRESS_ALLOW_PRIVATE_NETWORKS\)/,
      },
      url,
    )
    messages.push(error.message)
  }
  t.equal(stub.requests.length, 0, 'nothing reached the server')
  t.equal(messages.at(-1), messages[0], 'a closed port reads as an open one')
  t.notMatch(messages.join('\n'), new RegExp(`${port}|${closed}`), 'no port in the answer')

  const allowed = client(t, `http://localhost:${port}`, true)
  t.match(await allowed.getRecord('incident', RECORD.sys_id), RECORD, 'allowed: the same request goes through')
})

test('the ISC tenant client obeys the setting too', async (t) => {
  const stub = await startStub((_q, res) => json(res, 200, { access_token: 'T', expires_in: 300 }))
  t.teardown(() => stub.close())
  const tenant = new TenantClient({
    url: stub.url,
    clientId: 'id',
    clientSecret: 'secret',
    egress: { allowPrivateNetworks: false },
  })
  t.teardown(() => tenant.close())
  await t.rejects(tenant.countWorkItems(), { code: 'CW_EGRESS_PRIVATE_NETWORK' })
  t.equal(stub.requests.length, 0)
})

test('a proxy on a private address is refused too', async (t) => {
  const proxy = createProxy()
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => proxy.close(resolve)))
  let connects = 0
  proxy.on('connect', () => connects++)
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`
  const c = client(t, 'https://acme.service-now.com', false, { proxy: { url: proxyUrl } })
  await t.rejects(c.getRecord('incident', RECORD.sys_id), { code: 'CW_EGRESS_PRIVATE_NETWORK' })
  t.equal(connects, 0)
})

test('the setting: allowed unless production is on, and either can be overridden', async (t) => {
  t.same(egressPolicyOf({ production: false }), { allowPrivateNetworks: true })
  t.same(egressPolicyOf({ production: true }), { allowPrivateNetworks: false })
  t.same(egressPolicyOf({ production: true, egress: { allowPrivateNetworks: true } }), { allowPrivateNetworks: true })
  t.same(egressPolicyOf({ production: false, egress: { allowPrivateNetworks: false } }), {
    allowPrivateNetworks: false,
  })
})

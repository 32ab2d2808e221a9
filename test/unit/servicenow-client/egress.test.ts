// Egress contract: https only unless allowed, TLS 1.2+, a private CA, an HTTP(S) proxy per
// connection (CONNECT tunnel, proxy credentials, a proxy reached over TLS), and timeouts on headers.
import { createServer } from 'node:http'
import type { Server, ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { test } from 'tap'
import { createProxy } from 'proxy'
import { generate } from 'selfsigned'
import { ServiceNowClient } from '../../../connectors/servicenow/client/client.ts'
import type { ServiceNowClientOptions } from '../../../connectors/servicenow/client/options.ts'
import { FAST_BACKOFF, json, startStub } from './stub-server.ts'
import type { Teardown } from './stub-server.ts'

const RECORD = { sys_id: 'a'.repeat(32) }
const ok = (_q: unknown, res: ServerResponse) => json(res, 200, { result: RECORD })

async function certificate(commonName = 'localhost') {
  return generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  })
}

function client(t: Teardown, options: Partial<ServiceNowClientOptions> & { instanceUrl: string }) {
  const c = new ServiceNowClient({
    auth: { kind: 'basic', username: 'u', password: 'p' },
    backoff: FAST_BACKOFF,
    sleep: async () => {},
    ...options,
  })
  t.teardown(() => c.close())
  return c
}

async function startProxy(t: Teardown, credentials?: string, server: Server = createServer()) {
  const proxy = createProxy(server)
  const connects: string[] = []
  proxy.on('connect', (req: { url?: string }) => connects.push(req.url ?? ''))
  if (credentials) {
    proxy.authenticate = (req) =>
      req.headers['proxy-authorization'] === `Basic ${Buffer.from(credentials).toString('base64')}`
  }
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections()
        proxy.close(() => resolve())
      }),
  )
  const scheme = 'setSecureContext' in proxy ? 'https' : 'http'
  return { url: `${scheme}://127.0.0.1:${(proxy.address() as AddressInfo).port}`, connects }
}

test('an http instance URL is refused unless the connection allows http', async (t) => {
  const stub = await startStub(ok)
  t.teardown(() => stub.close())
  t.throws(() => client(t, { instanceUrl: stub.url }), { code: 'CW_SN_INSECURE_URL' })
  const allowed = client(t, { instanceUrl: stub.url, allowHttp: true })
  t.equal((await allowed.getRecord('incident', RECORD.sys_id))?.sys_id, RECORD.sys_id)
})

test('https with a private CA: refused without the CA (not retried), accepted with it', async (t) => {
  const pems = await certificate()
  const stub = await startStub(ok, createHttpsServer({ key: pems.private, cert: pems.cert }))
  t.teardown(() => stub.close())

  const untrusted = client(t, { instanceUrl: stub.url })
  const error = await untrusted.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)
  t.match(error, { code: 'CW_SN_TLS_FAILED', message: /ca setting/ })
  t.equal(stub.requests.length, 0)

  const trusted = client(t, { instanceUrl: stub.url, ca: pems.cert })
  t.equal((await trusted.getRecord('incident', RECORD.sys_id))?.sys_id, RECORD.sys_id)
})

test('TLS older than 1.2 is refused', async (t) => {
  const pems = await certificate()
  const server = createHttpsServer({
    key: pems.private,
    cert: pems.cert,
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1.1',
    ciphers: 'DEFAULT@SECLEVEL=0',
  })
  const stub = await startStub(ok, server)
  t.teardown(() => stub.close())
  const c = client(t, { instanceUrl: stub.url, ca: pems.cert })
  const error = await c.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)
  t.match(error, { code: 'CW_SN_TLS_FAILED' })
  t.equal(stub.requests.length, 0)
})

test('through an HTTP proxy with credentials: a CONNECT tunnel to an https instance', async (t) => {
  const pems = await certificate()
  const stub = await startStub(ok, createHttpsServer({ key: pems.private, cert: pems.cert }))
  t.teardown(() => stub.close())
  const proxy = await startProxy(t, 'egress:pa ss')
  const c = client(t, {
    instanceUrl: stub.url,
    ca: pems.cert,
    proxy: { url: proxy.url, username: 'egress', password: 'pa ss' },
  })
  t.equal((await c.getRecord('incident', RECORD.sys_id))?.sys_id, RECORD.sys_id)
  t.same(proxy.connects, [new URL(stub.url).host])
  t.equal(stub.requests.length, 1)
})

test('through an https proxy with its own private CA to an instance with another CA', async (t) => {
  // distinct subjects, as two real CAs have: a trust store finds an issuer by its subject
  const instancePems = await certificate('instance.example')
  const proxyPems = await certificate('egress-proxy.example')
  const stub = await startStub(ok, createHttpsServer({ key: instancePems.private, cert: instancePems.cert }))
  t.teardown(() => stub.close())
  const proxy = await startProxy(
    t,
    'egress:secret',
    createHttpsServer({ key: proxyPems.private, cert: proxyPems.cert }) as unknown as Server,
  )
  t.match(proxy.url, /^https:/)
  const settings = { url: proxy.url, username: 'egress', password: 'secret' }

  // only the instance's CA: the TLS hop to the proxy fails, and nothing reaches the instance
  const proxyUntrusted = client(t, { instanceUrl: stub.url, ca: instancePems.cert, proxy: settings })
  const error = await proxyUntrusted.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)
  t.ok(error instanceof Error, 'refused when the proxy certificate does not verify')
  t.equal(stub.requests.length, 0)

  // both CAs in one PEM bundle: TLS to the proxy, CONNECT, TLS to the instance inside the tunnel
  const trusted = client(t, { instanceUrl: stub.url, ca: `${proxyPems.cert}\n${instancePems.cert}`, proxy: settings })
  t.equal((await trusted.getRecord('incident', RECORD.sys_id))?.sys_id, RECORD.sys_id)
  t.same(proxy.connects, [new URL(stub.url).host])
  t.equal(stub.requests.length, 1)
})

test('the ca setting adds to the default trusted roots instead of replacing them', async (t) => {
  // the instance's CA stands in for a public root: put it among the process's default roots
  // (as --use-system-ca or NODE_EXTRA_CA_CERTS would), and give the connection only the proxy's CA
  const { getCACertificates, setDefaultCACertificates } = await import('node:tls')
  const defaults = getCACertificates('default')
  const instancePems = await certificate('public-root.example')
  const proxyPems = await certificate('egress-proxy.example')
  setDefaultCACertificates([...defaults, instancePems.cert])
  t.teardown(() => setDefaultCACertificates(defaults))
  const stub = await startStub(ok, createHttpsServer({ key: instancePems.private, cert: instancePems.cert }))
  t.teardown(() => stub.close())
  const proxy = await startProxy(
    t,
    undefined,
    createHttpsServer({ key: proxyPems.private, cert: proxyPems.cert }) as unknown as Server,
  )
  const c = client(t, { instanceUrl: stub.url, ca: proxyPems.cert, proxy: { url: proxy.url } })
  t.equal((await c.getRecord('incident', RECORD.sys_id))?.sys_id, RECORD.sys_id, 'both hops verify')
  t.equal(stub.requests.length, 1)
})

test('proxy credentials in the proxy URL work too; wrong ones fail without retrying', async (t) => {
  const stub = await startStub(ok)
  t.teardown(() => stub.close())
  const proxy = await startProxy(t, 'egress:secret')
  const good = client(t, {
    instanceUrl: stub.url,
    allowHttp: true,
    proxy: { url: proxy.url.replace('//', '//egress:secret@') },
  })
  t.equal((await good.getRecord('incident', RECORD.sys_id))?.sys_id, RECORD.sys_id)
  t.equal(proxy.connects.length, 1)

  const bad = client(t, {
    instanceUrl: stub.url,
    allowHttp: true,
    proxy: { url: proxy.url, username: 'egress', password: 'nope' },
  })
  const error = await bad.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)
  t.match(error, { code: 'CW_SN_CONNECTION_FAILED', message: /proxy/i })
  t.equal(stub.requests.length, 1)
})

test('an instance that never answers hits the headers timeout, retried, then CW_SN_UNAVAILABLE', async (t) => {
  const stub = await startStub(() => {
    /* never answers */
  })
  t.teardown(() => stub.close())
  const c = client(t, {
    instanceUrl: stub.url,
    allowHttp: true,
    headersTimeoutMs: 100,
    backoff: { ...FAST_BACKOFF, maxAttempts: 2 },
  })
  const error = (await c.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)) as Error
  t.match(error, { code: 'CW_SN_UNAVAILABLE' })
  t.match(error.cause, { code: 'CW_SN_TIMEOUT', message: /UND_ERR_HEADERS_TIMEOUT/ })
  t.equal(stub.requests.length, 2)
})

test('a refused connection is reported with the instance address', async (t) => {
  const stub = await startStub(ok)
  const url = stub.url
  await stub.close()
  const c = client(t, { instanceUrl: url, allowHttp: true, backoff: { ...FAST_BACKOFF, maxAttempts: 2 } })
  const error = (await c.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)) as Error
  t.match(error.cause, { code: 'CW_SN_CONNECTION_FAILED', message: /ECONNREFUSED/ })
})

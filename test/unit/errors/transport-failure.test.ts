// TLS failures are described in our words and by code, never with OpenSSL's own text
// ("error:0A000086:SSL routines::..."): an untrusted certificate, https to a plain http port,
// and through a ServiceNow client, the message a user sees.
import { createServer } from 'node:http'
import { createServer as createHttpsServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { test } from 'tap'
import { generate } from 'selfsigned'
import { request } from 'undici'
import { describeTlsFailure, describeTransportFailure, isTlsFailure } from '../../../core/http/transport-failure.ts'
import { ServiceNowClient } from '../../../connectors/servicenow/client/client.ts'

const OPENSSL = /error:[0-9A-F]{8}|SSL routines|routines::/

async function listening(t: { teardown(fn: () => unknown): void }, server: Server | ReturnType<typeof createServer>) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return (server.address() as AddressInfo).port
}

test('an untrusted certificate and https to an http port are described without OpenSSL text', async (t) => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' })
  const tlsPort = await listening(
    t,
    createHttpsServer({ key: pems.private, cert: pems.cert }, (_q, s) => s.end()),
  )
  const plainPort = await listening(
    t,
    createServer((_q, s) => s.end()),
  )

  const untrusted = await request(`https://127.0.0.1:${tlsPort}/`).catch((e: unknown) => e)
  t.ok(isTlsFailure(untrusted))
  t.match(describeTlsFailure(untrusted), /self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/)

  const plain = await request(`https://127.0.0.1:${plainPort}/`).catch((e: unknown) => e)
  t.match((plain as Error).message, OPENSSL, "Node's own message names OpenSSL internals")
  t.ok(isTlsFailure(plain))
  const described = describeTransportFailure(plain)
  t.match(described, /did not answer in TLS on this port/)
  t.notMatch(described, OPENSSL)

  const refused = describeTransportFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
  t.equal(refused, 'ECONNREFUSED: connect ECONNREFUSED', 'other failures keep code and text')
})

test('a ServiceNow instance answering plain http to https: the error says so without OpenSSL text', async (t) => {
  const plainPort = await listening(
    t,
    createServer((_q, s) => s.end()),
  )
  const client = new ServiceNowClient({
    instanceUrl: `https://127.0.0.1:${plainPort}`,
    auth: { kind: 'basic', username: 'u', password: 'p' },
    sleep: async () => {},
  })
  t.teardown(() => client.close())
  const error = (await client.getRecord('incident', 'a'.repeat(32)).catch((e: unknown) => e)) as Error
  t.match(error, { code: 'CW_SN_TLS_FAILED', message: /did not answer in TLS/ })
  t.notMatch(error.message, OPENSSL)
})

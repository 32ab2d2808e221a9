// The way out to one instance: an undici Pool with keep-alive (or a ProxyAgent through the
// customer's egress proxy, whose fixed address the customer can allow-list), TLS 1.2 or newer,
// an optional private CA, and timeouts on connect, headers and body. There is no cookie jar on
// purpose: ServiceNow serialises (or drops with a 202) parallel requests of one session.
import { getCACertificates } from 'node:tls'
import { Pool, ProxyAgent } from 'undici'
import type { Dispatcher } from 'undici'
import { ServiceNowErrors } from '../errors.ts'
import { CLIENT_DEFAULTS } from './options.ts'
import type { ServiceNowClientOptions } from './options.ts'

export interface Egress {
  /** scheme://host[:port] of the instance */
  origin: string
  dispatcher: Dispatcher
  close(): Promise<void>
}

const KEEP_ALIVE_MS = 30_000

export function instanceOrigin(instanceUrl: string, allowHttp = false): string {
  let url: URL
  try {
    url = new URL(instanceUrl)
  } catch {
    throw new ServiceNowErrors.CONFIG_INVALID(`instance URL "${instanceUrl}" is not a URL`)
  }
  if (url.protocol === 'http:' && !allowHttp) throw new ServiceNowErrors.INSECURE_URL(url.origin)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ServiceNowErrors.CONFIG_INVALID(`instance URL "${instanceUrl}" must start with https://`)
  }
  return url.origin
}

export function createEgress(options: ServiceNowClientOptions): Egress {
  const origin = instanceOrigin(options.instanceUrl, options.allowHttp)
  const connections = options.concurrency ?? CLIENT_DEFAULTS.concurrency
  const tls = {
    minVersion: 'TLSv1.2' as const,
    // Node's `ca` replaces the trusted roots: add to the ones Node would use without it (the
    // bundled roots, plus the system's or NODE_EXTRA_CA_CERTS where Node is told to use them), so a
    // private CA for the proxy does not stop the instance's public certificate from verifying
    ...(options.ca ? { ca: [...getCACertificates('default'), options.ca] } : {}),
    timeout: options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs,
  }
  const common = {
    connections,
    keepAliveTimeout: KEEP_ALIVE_MS,
    headersTimeout: options.headersTimeoutMs ?? CLIENT_DEFAULTS.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs ?? CLIENT_DEFAULTS.bodyTimeoutMs,
  }
  let dispatcher: Dispatcher
  if (options.proxy) {
    const proxyUrl = parseProxyUrl(options.proxy.url)
    const username = options.proxy.username ?? decodeURIComponent(proxyUrl.username)
    const password = options.proxy.password ?? decodeURIComponent(proxyUrl.password)
    proxyUrl.username = ''
    proxyUrl.password = ''
    dispatcher = new ProxyAgent({
      ...common,
      uri: proxyUrl.href,
      ...(username ? { token: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } : {}),
      requestTls: tls,
      proxyTls: tls,
      connect: tls,
    })
  } else {
    dispatcher = new Pool(origin, { ...common, connect: tls })
  }
  return { origin, dispatcher, close: () => dispatcher.close() }
}

function parseProxyUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    // never echo the text: it may carry the proxy password
    throw new ServiceNowErrors.CONFIG_INVALID('the proxy URL is not a URL (expected http(s)://host:port)')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ServiceNowErrors.CONFIG_INVALID(`the proxy URL must start with http:// or https://, not ${url.protocol}`)
  }
  return url
}

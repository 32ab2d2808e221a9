// The way out to one instance, from the connection's settings: https unless a test instance is
// allowed plain http, the customer's proxy with its credentials, the private CA, the timeouts.
// The dispatcher itself (pool, proxy, TLS, egress guard) is core/http/egress.ts.
import { createDispatcher } from '../../../core/http/egress.ts'
import type { Dispatcher } from 'undici'
import { ServiceNowErrors } from '../errors.ts'
import { CLIENT_DEFAULTS } from './options.ts'
import type { ServiceNowClientOptions } from './options.ts'

export interface Egress {
  /** scheme://host[:port] of the instance */
  origin: string
  dispatcher: Dispatcher
}

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
  let proxy: { url: URL; authorization?: string } | undefined
  if (options.proxy) {
    const url = parseProxyUrl(options.proxy.url)
    const username = options.proxy.username ?? decodeURIComponent(url.username)
    const password = options.proxy.password ?? decodeURIComponent(url.password)
    url.username = ''
    url.password = ''
    proxy = {
      url,
      ...(username ? { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } : {}),
    }
  }
  const dispatcher = createDispatcher({
    origin,
    ...(options.ca ? { ca: options.ca } : {}),
    ...(proxy ? { proxy } : {}),
    connections: options.concurrency ?? CLIENT_DEFAULTS.concurrency,
    connectTimeoutMs: options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs ?? CLIENT_DEFAULTS.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs ?? CLIENT_DEFAULTS.bodyTimeoutMs,
    allowPrivateNetworks: options.egress?.allowPrivateNetworks ?? true,
  })
  return { origin, dispatcher }
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

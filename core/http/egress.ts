// The way out to one system: an undici Pool with keep-alive (or a ProxyAgent through the
// customer's egress proxy, whose fixed address the customer can allow-list), TLS 1.2 or newer,
// an optional private CA, timeouts on connect, headers and body, and the egress guard
// (core/http/egress-guard.ts) on every socket when private networks are not allowed. There is
// no cookie jar on purpose: ServiceNow serialises (or drops with a 202) parallel requests of one
// session. With a proxy, the guard checks the proxy's address (the only one the hub connects to).
import { getCACertificates } from 'node:tls'
import type { ConnectionOptions } from 'node:tls'
import { Pool, ProxyAgent, buildConnector } from 'undici'
import type { Dispatcher } from 'undici'
import { guardConnector, guardedLookup } from './egress-guard.ts'

export interface EgressOptions {
  /** scheme://host[:port] of the system */
  origin: string
  /** PEM certificate(s) to trust in addition to the default roots */
  ca?: string
  /** the customer's proxy: its URL without credentials, and the Proxy-Authorization to send */
  proxy?: { url: URL; authorization?: string }
  /** sockets to the system at most */
  connections: number
  connectTimeoutMs: number
  headersTimeoutMs: number
  bodyTimeoutMs: number
  keepAliveMs?: number
  /** false: refuse loopback, link-local, private and unspecified addresses (default true) */
  allowPrivateNetworks?: boolean
}

/** the hub's egress settings (config `egress.*`), as the connectors pass them to their clients */
export interface EgressPolicy {
  allowPrivateNetworks: boolean
}

/** `egress.allowPrivateNetworks`, or its default: allowed unless the hub runs in production. */
export function egressPolicyOf(config: {
  production: boolean
  egress?: { allowPrivateNetworks?: boolean | undefined }
}): EgressPolicy {
  return { allowPrivateNetworks: config.egress?.allowPrivateNetworks ?? !config.production }
}

const KEEP_ALIVE_MS = 30_000

export function createDispatcher(options: EgressOptions): Dispatcher {
  const tls: ConnectionOptions & { timeout: number } = {
    minVersion: 'TLSv1.2',
    // Node's `ca` replaces the trusted roots: add to the ones Node would use without it (the
    // bundled roots, plus the system's or NODE_EXTRA_CA_CERTS where Node is told to use them), so a
    // private CA for the proxy does not stop the system's public certificate from verifying
    ...(options.ca ? { ca: [...getCACertificates('default'), options.ca] } : {}),
    timeout: options.connectTimeoutMs,
  }
  const guarded = options.allowPrivateNetworks === false
  const socketOptions = guarded ? { ...tls, lookup: guardedLookup } : tls
  const common = {
    connections: options.connections,
    keepAliveTimeout: options.keepAliveMs ?? KEEP_ALIVE_MS,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  }
  if (options.proxy) {
    return new ProxyAgent({
      ...common,
      uri: options.proxy.url.href,
      ...(options.proxy.authorization ? { token: options.proxy.authorization } : {}),
      requestTls: tls,
      proxyTls: socketOptions,
      // a tunnel (CONNECT) for plain http origins too, as for https: one way through the proxy,
      // whose refusals (407) every client already tells apart; undici 8 would forward those instead
      proxyTunnel: true,
      ...(guarded
        ? {
            clientFactory: (origin: URL, opts: object) => {
              const { connect } = opts as { connect: buildConnector.connector }
              return new Pool(origin, { ...opts, connect: guardConnector(connect) })
            },
          }
        : {}),
    })
  }
  const connector = buildConnector(socketOptions)
  return new Pool(options.origin, { ...common, connect: guarded ? guardConnector(connector) : connector })
}

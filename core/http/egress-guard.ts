// The egress guard: with private networks not allowed (egress.allowPrivateNetworks, off in
// production by default), the hub connects only to public unicast addresses. The check is made
// on the address a socket is about to connect to, after DNS resolution, so every spelling of an
// address is caught: 127.0.0.1, 0x7f000001 and 2130706433 (which the URL parser turns into
// 127.0.0.1), localhost, ::1, ::ffff:127.0.0.1, and names that resolve to any of them. A name
// is refused when any of its addresses is private, so that a resolver answering differently
// the next time cannot slip one through. Nothing is sent before the refusal, so an answer says
// the same for a closed port as for an open one.
import { lookup as dnsLookup } from 'node:dns'
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns'
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'
import type { buildConnector } from 'undici'
import { EgressErrors } from './errors.ts'

const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unspecified',
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local',
  uniqueLocal: 'unique local (private IPv6)',
  carrierGradeNat: 'carrier-grade NAT (shared)',
}

/** What kind of non-public address `address` is (loopback, private, ...), or undefined for a public unicast one. */
export function nonPublicRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'unparsable'
  // process() reads IPv4-mapped IPv6 (::ffff:127.0.0.1) as the IPv4 address it carries
  const range = ipaddr.process(address).range()
  if (range === 'unicast') return undefined
  return RANGE_NAMES[range] ?? `special-purpose (${range})`
}

function refusal(host: string, address: string, range: string): Error {
  const shown = host === address ? address : `${host} (${address})`
  return new EgressErrors.PRIVATE_NETWORK(shown, range)
}

export function isEgressRefusal(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof EgressErrors.PRIVATE_NETWORK) return true
  }
  return false
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void

/** A `lookup` for net.connect / tls.connect that resolves as usual and refuses non-public addresses. */
export function guardedLookup(
  hostname: string,
  options: LookupOneOptions | LookupAllOptions,
  callback: LookupCallback,
) {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, [])
    for (const { address } of addresses) {
      const range = nonPublicRange(address)
      if (range) return callback(refusal(hostname, address, range), [])
    }
    const chosen = addresses[0]
    if (options.all) return callback(null, addresses)
    if (!chosen) return callback(new Error(`no address for ${hostname}`), [])
    callback(null, chosen.address, chosen.family)
  })
}

/**
 * Wraps an undici connector: an IP literal is checked here (Node does not call `lookup` for one),
 * a name by the guarded lookup the connector was built with.
 */
export function guardConnector(connect: buildConnector.connector): buildConnector.connector {
  return (options, callback) => {
    const host = options.hostname.replace(/^\[(.*)\]$/, '$1')
    if (isIP(host)) {
      const range = nonPublicRange(host)
      if (range) return callback(refusal(host, host, range), null)
    }
    connect(options, callback)
  }
}

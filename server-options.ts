// Fastify's own options that come from the hub's settings (server.ts and the test harness build
// the server with them).
import type { FastifyServerOptions } from 'fastify'
import type { Config } from './core/config/schema.ts'

/**
 * Whose X-Forwarded-For to believe about the client address: nobody by default (the socket's
 * address is the client), a number of proxy hops, true for any, or addresses and CIDR ranges.
 */
export function trustProxyOf(setting: string): FastifyServerOptions['trustProxy'] {
  const value = setting.trim()
  if (value === '' || value === 'false') return false
  if (value === 'true') return true
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    return (_address: string, hop: number) => hop < hops
  }
  return value
}

export function serverOptions(
  config: Config,
): Pick<FastifyServerOptions, 'connectionTimeout' | 'requestTimeout' | 'keepAliveTimeout' | 'trustProxy'> {
  return {
    connectionTimeout: config.timeouts.connectionMs,
    requestTimeout: config.timeouts.requestMs,
    keepAliveTimeout: config.timeouts.keepAliveMs,
    trustProxy: trustProxyOf(config.trustProxy),
  }
}

// Settings of one client, i.e. of one ServiceNow instance connection, with their defaults.
import type { BackoffPolicy } from '../../../core/http/backoff.ts'
import type { EgressPolicy } from '../../../core/http/egress.ts'

export type OAuthGrant = 'password' | 'client_credentials' | 'refresh_token'

export type AuthOptions =
  | { kind: 'basic'; username: string; password: string }
  | {
      kind: 'oauth'
      grant: OAuthGrant
      clientId: string
      clientSecret: string
      /** password grant */
      username?: string
      password?: string
      /** refresh_token grant: a refresh token obtained elsewhere */
      refreshToken?: string
      scope?: string
    }

export interface ProxyOptions {
  /** http://host:port or https://host:port of the customer's egress proxy */
  url: string
  username?: string
  password?: string
}

export interface ClientLogger {
  debug(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
}

export interface ServiceNowClientOptions {
  /** https://<instance>.service-now.com (only the origin is used) */
  instanceUrl: string
  auth: AuthOptions
  /** allow an http:// instance URL (test instances, the local emulator); off by default */
  allowHttp?: boolean
  /** PEM certificate(s) to trust in addition to the system CAs: a private CA of the instance or the proxy */
  ca?: string
  proxy?: ProxyOptions
  /** requests in flight to this instance at once, reads and writes together (ServiceNow: 2-4) */
  concurrency?: number
  /** rows per Table API page (500-2000 recommended) */
  pageSize?: number
  /** the page size never shrinks below this */
  minPageSize?: number
  connectTimeoutMs?: number
  /** time to the response headers; ServiceNow cancels REST transactions after 60 s */
  headersTimeoutMs?: number
  /** idle time between two body chunks */
  bodyTimeoutMs?: number
  backoff?: BackoffPolicy
  /** the hub's egress settings (private networks allowed or not); all allowed when absent */
  egress?: EgressPolicy
  /**
   * deltas read no row newer than the server's time minus this, so that rows still being
   * committed are not skipped; at least 1 (a lower value is read as 1: the current second is
   * still open)
   */
  deltaSafetyLagSeconds?: number
  /**
   * deltas leave out rows this client's user changed last (`sys_updated_by`): they are the hub's
   * own writes, which a delta right after a full sync would otherwise read back by the hundred
   * thousand. Needs a user of the hub's own; default true
   */
  deltaSkipsOwnWrites?: boolean
  /** tables with at least this many matching rows are scanned in parallel sys_id partitions */
  partitionThreshold?: number
  /** how long a full scan waits for the row count that decides on partitions before it assumes a large table */
  countTimeoutMs?: number
  logger?: ClientLogger
  /** for tests: the jitter source */
  random?: () => number
  /** for tests: how to wait between attempts (default: a timer that honours the abort signal) */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** for tests: the clock deciding when an OAuth token is renewed and when a server-imposed pause ends */
  clock?: () => number
}

export const CLIENT_DEFAULTS = {
  concurrency: 4,
  pageSize: 1000,
  minPageSize: 10,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 75_000,
  bodyTimeoutMs: 60_000,
  deltaSafetyLagSeconds: 60,
  partitionThreshold: 20_000,
  countTimeoutMs: 10_000,
} as const

/** OAuth tokens are renewed this long before ServiceNow says they expire (PySNC does the same). */
export const TOKEN_RENEW_MARGIN_MS = 60_000

// The in-process handle of one emulated instance: data, users and OAuth clients, ACLs, rate
// limits, the concurrency gate, faults, change notifications and the catalog carts. Tests seed
// and inspect through it; the HTTP layer (server.ts) only reads it.
import { AttachmentStore } from './attachments/store.ts'
import { AccessControl } from './auth/acl.ts'
import { OAuthServer, type OAuthClient } from './auth/oauth.ts'
import { ADMIN_SYS_ID, UserDirectory, type NewUser } from './auth/users.ts'
import { CartStore } from './catalog/cart.ts'
import { ItemVariables } from './catalog/variables.ts'
import { FaultSwitchboard } from './faults/faults.ts'
import { Instance } from './instance/instance.ts'
import { ConcurrencyGate, type ConcurrencyOptions } from './limits/concurrency.ts'
import { RateLimiter } from './limits/rate-limit.ts'
import { SessionGate, type SessionOptions } from './limits/sessions.ts'
import { NotificationDispatcher } from './notifications/dispatcher.ts'
import { installDictionary } from './schema/dictionary-sync.ts'
import { installOutOfBoxAcls, installOutOfBoxData } from './seed/out-of-box.ts'
import { installRelease } from './seed/release.ts'

export interface EmulatorOptions {
  /** base URL used in links (Link header, reference links, Location); defaults to the listening URL */
  baseUrl?: string
  adminPassword?: string
  /** extra users; `admin` (sys_id 6816f79c…) always exists */
  users?: NewUser[]
  oauthClients?: OAuthClient[]
  concurrency?: Partial<ConcurrencyOptions>
  /** requests queued on one cookie session before the platform answers 202 (default 10) */
  sessions?: Partial<SessionOptions>
  /** cap on a response body in bytes; what happens beyond it: the body is cut (observed as damaged JSON) */
  responsePayloadCap?: number
  /** glide.invalid_query.returns_no_rows */
  invalidQueryReturnsNoRows?: boolean
  /** case-sensitive string comparison in queries (MariaDB-backed instances compare case-insensitively) */
  caseSensitiveQueries?: boolean
  /** the instance clock */
  now?: () => Date
  /** a batch still running after this many ms leaves its remaining items unserviced (default 30 000) */
  batchTimeoutMs?: number
  /** the release the instance reports in sys_properties (family: madrid, newyork, tokyo; default newyork) */
  release?: string
}

export const DEFAULT_ADMIN_PASSWORD = 'admin'

export class ServiceNowEmulator {
  readonly data: Instance
  readonly users: UserDirectory
  readonly oauth: OAuthServer
  readonly acl: AccessControl
  readonly rateLimits: RateLimiter
  readonly concurrency: ConcurrencyGate
  readonly sessions: SessionGate
  readonly faults: FaultSwitchboard
  readonly notifications: NotificationDispatcher
  readonly carts: CartStore
  /** files attached to records (sys_attachment rows and their bytes) */
  readonly attachments: AttachmentStore
  /** catalog variable answers of each ordered sc_req_item, by its sys_id (read from sc_item_option) */
  readonly itemVariables: ItemVariables
  baseUrl: string
  responsePayloadCap: number | undefined
  invalidQueryReturnsNoRows: boolean
  caseSensitiveQueries: boolean
  batchTimeoutMs: number
  /** set by the Batch API: the secret its inner requests carry (they skip the session and API_INT gates) */
  batchItemToken: string | undefined = undefined
  /** requests answered, by path prefix, for inspection */
  readonly requestLog: Array<{ method: string; url: string; status: number; user: string | undefined }> = []

  constructor(options: EmulatorOptions = {}) {
    const now = options.now ?? (() => new Date())
    this.data = new Instance({ now })
    installDictionary(this.data)
    this.itemVariables = new ItemVariables(this.data)
    this.users = new UserDirectory(this.data)
    this.oauth = new OAuthServer(this.users, () => now().getTime())
    this.acl = new AccessControl(this.data)
    this.rateLimits = new RateLimiter(() => now().getTime())
    this.concurrency = new ConcurrencyGate({ maxConcurrent: 16, queueDepth: 50, ...options.concurrency })
    this.sessions = new SessionGate({ maxQueued: 10, ...options.sessions })
    this.faults = new FaultSwitchboard()
    this.notifications = new NotificationDispatcher(this.data)
    this.carts = new CartStore()
    this.attachments = new AttachmentStore(this.data)
    this.baseUrl = options.baseUrl ?? 'http://127.0.0.1'
    this.responsePayloadCap = options.responsePayloadCap
    this.invalidQueryReturnsNoRows = options.invalidQueryReturnsNoRows ?? false
    this.caseSensitiveQueries = options.caseSensitiveQueries ?? false
    this.batchTimeoutMs = options.batchTimeoutMs ?? 30_000

    this.users.add({
      userName: 'admin',
      password: options.adminPassword ?? DEFAULT_ADMIN_PASSWORD,
      roles: ['admin'],
      sysId: ADMIN_SYS_ID,
      firstName: 'System',
      lastName: 'Administrator',
      email: 'admin@example.com',
    })
    for (const u of options.users ?? []) this.users.add(u)
    for (const c of options.oauthClients ?? []) this.oauth.addClient(c)
    installOutOfBoxData(this.data)
    installOutOfBoxAcls(this.acl)
    installRelease(this.data, options.release)
  }

  close(): void {
    this.notifications.close()
  }
}

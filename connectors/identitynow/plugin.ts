// The IdentityNow module as a hub plugin: the IdentityNow-compatible configuration API,
// POST /oauth/token, provisioning intake and ticket tracking, and (when a tenant is configured)
// completions sent to Identity Security Cloud and the pull-based intake of its manual work items.
// Needs the store (app.db), the hub's auth (app.auth: its API clients' tokens are one more kind
// of principal, taken on the compatible API only) and the vault (app.vault, or `vault` given in
// options by tests).
import fp from 'fastify-plugin'
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { SecretStore } from '../../core/vault/types.ts'
import compatibleApi from './api/index.ts'
import { IntegrationRepository } from './integrations/repository.ts'
import { isSecretAttributePath } from './integrations/secrets.ts'
import { ApiClientRepository } from './oauth/clients.ts'
import { API_CLIENT_PRINCIPAL, TokenIssuer } from './oauth/jwt.ts'
import tokenRoute from './oauth/token-route.ts'
import { TenantNotifier, type TenantSettings } from './completion/tenant-notifier.ts'
import { ProvisioningRecords } from './provisioning/records.ts'
import provisioningRoutes from './provisioning/routes.ts'
import { ProvisioningService } from './provisioning/service.ts'
import { egressPolicyOf } from '../../core/http/egress.ts'
import { ClientFactory } from './tickets/client-factory.ts'
import { ServiceNowDesk } from './tickets/servicenow-desk.ts'
import { TenantClient } from './tenant/client.ts'
import { WorkItemIntake } from './intake/work-item-intake.ts'
import type { BackoffPolicy } from '../../core/http/backoff.ts'
import { IdnErrors } from './errors.ts'
import { Gauge } from 'prom-client'
import type { Backlog } from './provisioning/records.ts'

/** An ISC tenant whose manual work items on managed sources become tickets. */
export interface WorkItemIntakeSettings {
  /** https://{tenant}.api.identitynow.com */
  url: string
  clientId: string
  /** the secret itself; without it, read from the vault (owner `identitynow`, name TENANT_SECRET) */
  clientSecret?: string
  /** owners whose work items are read (the managed sources' owners); none: the API client's own */
  ownerIds?: string[]
  /** work item types taken in (default ManualAction, Remediation) */
  types?: string[]
  /** minutes between passes on the job queue; false: passes only on demand (tests) */
  pollMinutes?: number | false
  timeoutMs?: number
  backoff?: BackoffPolicy
}

export const WORK_ITEMS_QUEUE = 'identitynow.work-items'
/** vault name of the configured tenant's API client secret (owner `identitynow`) */
export const TENANT_SECRET = 'tenant-client-secret'

export interface IdentityNowPluginOptions {
  /** the vault to use instead of app.vault (tests) */
  vault?: SecretStore
  /** lifetime of tokens from /oauth/token, seconds */
  tokenLifetimeS?: number
  /** an IdentityNow tenant to tell about completed tickets (instead of identitynow.tenant in the config) */
  tenant?: TenantSettings
  /** status polling through the job queue: a cron for the poll job, false to poll only on demand */
  pollCron?: string | false
  /** records checked per poll pass */
  pollBatchSize?: number
  /** a create not finished after this long is repaired by the poller (ms) */
  createLeaseMs?: number
  /** the clock (tests) */
  now?: () => Date
  /** pull manual work items from an ISC tenant (off unless set here or in the config) */
  workItems?: WorkItemIntakeSettings
}

export const POLL_QUEUE = 'identitynow.poll'

export interface IdentityNowServices {
  integrations: IntegrationRepository
  clients: ApiClientRepository
  tokens: TokenIssuer
  records: ProvisioningRecords
  provisioning: ProvisioningService
  serviceNowClients: ClientFactory
  /** present when a tenant is configured and its work-item intake is on */
  workItems?: WorkItemIntake
}

declare module 'fastify' {
  interface FastifyInstance {
    identitynow: IdentityNowServices
  }
}

const VAULT_OWNER = 'identitynow'
const SIGNING_KEY = 'oauth-signing-key'

async function signingKey(vault: SecretStore): Promise<Uint8Array> {
  const stored = await vault.get(VAULT_OWNER, SIGNING_KEY)
  if (stored) return Buffer.from(stored, 'base64')
  const key = randomBytes(32)
  await vault.put(VAULT_OWNER, SIGNING_KEY, key.toString('base64'))
  return key
}

/** The ticket-poll cron from the config: the default every minute, "off" for none. */
function ticketPollCronFromConfig(app: FastifyInstance): string | false {
  const configured = app.hasDecorator('config') ? app.config.identitynow?.ticketPollCron : undefined
  if (configured === undefined) return '* * * * *'
  return configured === 'off' ? false : configured
}

/** The tenant of the config; undefined unless its URL and client id are set. */
function tenantFromConfig(app: FastifyInstance) {
  const c = app.hasDecorator('config') ? app.config.identitynow?.tenant : undefined
  if (!c?.url || !c.clientId) return undefined
  return { url: c.url, clientId: c.clientId, ...(c.clientSecret ? { clientSecret: c.clientSecret } : {}) }
}

/** The secret given, sealed in the vault for the next start; else the one sealed before. */
async function tenantSecret(vault: SecretStore, given: string | undefined): Promise<string> {
  if (given) await vault.put(VAULT_OWNER, TENANT_SECRET, given)
  const secret = await vault.get(VAULT_OWNER, TENANT_SECRET)
  if (!secret) {
    throw new IdnErrors.TENANT_CONFIG_INVALID(
      `no client secret for the IdentityNow tenant: set identitynow.tenant.clientSecret (CROSSWALK_IDN_CLIENT_SECRET) or put it in the vault as ${VAULT_OWNER}/${TENANT_SECRET}`,
    )
  }
  return secret
}

/**
 * SIM tickets by state and the age of the oldest open one, read from the store on each scrape of
 * /metrics (the same on every instance); both gauges share one read.
 */
function simMetrics(app: FastifyInstance, records: ProvisioningRecords): void {
  let inFlight: Promise<Backlog | undefined> | undefined
  const read = () =>
    (inFlight ??= records
      .backlog()
      .catch((err: unknown) => {
        app.log.warn({ err }, 'SIM tickets unavailable for /metrics')
        return undefined
      })
      .finally(() => {
        inFlight = undefined
      }))
  new Gauge({
    name: 'crosswalk_sim_tickets',
    help: 'IdentityNow SIM tickets by state (creating and queued are open, the others closed).',
    labelNames: ['state'] as const,
    registers: [app.metrics],
    async collect() {
      this.reset()
      const backlog = await read()
      if (backlog) for (const [state, n] of Object.entries(backlog.byState)) this.set({ state }, n)
    },
  })
  new Gauge({
    name: 'crosswalk_sim_oldest_open_ticket_age_seconds',
    help: 'Age of the oldest open IdentityNow SIM ticket (0 when none is open).',
    registers: [app.metrics],
    async collect() {
      const backlog = await read()
      if (backlog)
        this.set(backlog.oldestOpenAt ? Math.max(0, (Date.now() - backlog.oldestOpenAt.getTime()) / 1000) : 0)
    },
  })
}

export default fp<IdentityNowPluginOptions>(
  async function identitynow(app: FastifyInstance, options) {
    const vault = options.vault ?? (app.hasDecorator('vault') ? app.vault : undefined)
    if (!vault) throw new Error('the IdentityNow module needs the vault plugin (app.vault)')
    const integrations = new IntegrationRepository(app.db, vault)
    // audit summaries (JSON Patch operations included) hide an integration's secret attributes
    if (app.hasDecorator('audit')) app.audit.addSecretRule(isSecretAttributePath)
    const clients = new ApiClientRepository(app.db)
    const tokens = new TokenIssuer(await signingKey(vault), { lifetimeS: options.tokenLifetimeS })
    const records = new ProvisioningRecords(app.db)
    if (app.hasDecorator('metrics')) simMetrics(app, records)
    // outbound requests follow the hub's egress settings (core/http/egress.ts)
    const egress = app.hasDecorator('config') ? egressPolicyOf(app.config) : undefined
    const serviceNowClients = new ClientFactory((id) => integrations.secrets(id), {
      log: app.log,
      ...(egress ? { egress } : {}),
    })
    app.addHook('onClose', async () => serviceNowClients.close())
    // the tenant of the config serves both the completion notices and the work-item intake
    const configured = options.tenant || options.workItems ? undefined : tenantFromConfig(app)
    const configTenant = configured
      ? new TenantClient({
          ...configured,
          clientSecret: await tenantSecret(vault, configured.clientSecret),
          ...(egress ? { egress } : {}),
        })
      : undefined
    if (configTenant) app.addHook('onClose', async () => configTenant.close())
    const notifier = options.tenant
      ? new TenantNotifier({ ...(egress ? { egress } : {}), ...options.tenant })
      : configTenant
        ? new TenantNotifier(configTenant)
        : undefined
    if (notifier) app.addHook('onClose', async () => notifier.close())
    const provisioning = new ProvisioningService({
      integrations,
      records,
      clients: serviceNowClients,
      desk: new ServiceNowDesk(),
      bus: app.bus,
      logger: app.log,
      ...(notifier ? { tenant: notifier } : {}),
      ...(options.createLeaseMs !== undefined ? { createLeaseMs: options.createLeaseMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    })
    const fromConfig = app.hasDecorator('config') ? app.config.identitynow?.workItems : undefined
    const workItemSettings: Omit<WorkItemIntakeSettings, 'url' | 'clientId'> | undefined =
      options.workItems ??
      (configTenant && fromConfig?.enabled
        ? {
            pollMinutes: fromConfig.pollMinutes,
            ...(fromConfig.ownerIds.length > 0 ? { ownerIds: fromConfig.ownerIds } : {}),
          }
        : undefined)
    let workItems: WorkItemIntake | undefined
    if (workItemSettings) {
      const given = options.workItems
      const tenantClient = given
        ? new TenantClient({
            url: given.url,
            clientId: given.clientId,
            clientSecret: await tenantSecret(vault, given.clientSecret),
            ...(given.timeoutMs ? { timeoutMs: given.timeoutMs } : {}),
            ...(given.backoff ? { backoff: given.backoff } : {}),
            ...(egress ? { egress } : {}),
          })
        : (configTenant as TenantClient)
      workItems = new WorkItemIntake({
        client: tenantClient,
        provisioning,
        records,
        integrations,
        bus: app.bus,
        logger: app.log,
        ...(workItemSettings.ownerIds ? { ownerIds: workItemSettings.ownerIds } : {}),
        ...(workItemSettings.types ? { types: workItemSettings.types } : {}),
      })
      workItems.listen()
      const intake = workItems
      app.addHook('onClose', async () => {
        await intake.close()
        if (given) await tenantClient.close()
      })
    }
    app.decorate('identitynow', {
      integrations,
      clients,
      tokens,
      records,
      provisioning,
      serviceNowClients,
      ...(workItems ? { workItems } : {}),
    })

    // Our tokens are principals of their own kind: the hub checks them with every other token and
    // enforces each route's role, and only the compatible API takes them (api/index.ts). A revoked
    // client's tokens stop working at once.
    app.auth.addVerifier(async (bearer) => {
      const subject = await tokens.verify(bearer).catch(() => undefined)
      if (!subject || !(await clients.active(subject.clientId))) return undefined
      return { tokenId: subject.clientId, name: subject.name, role: subject.role, kind: API_CLIENT_PRINCIPAL }
    })
    await app.register(tokenRoute, {
      clients,
      issuer: tokens,
      ...(app.hasDecorator('credentialLockout') ? { lockout: app.credentialLockout } : {}),
    })
    await app.register(compatibleApi, { db: app.db, integrations })
    await app.register(provisioningRoutes, {
      prefix: '/api/v1/identitynow',
      service: provisioning,
      records,
      integrations,
      clients,
    })

    // Coarse polling: one job per pass over every due ticket (never one job per ticket); stately,
    // so at most one pass waits while another runs, on whichever hub instance takes it.
    const cron = options.pollCron ?? ticketPollCronFromConfig(app)
    if (cron !== false && app.hasDecorator('queue')) {
      app.addHook('onReady', async () => {
        await app.queue.define({ name: POLL_QUEUE, policy: 'stately', retryLimit: 1, expireInSeconds: 600 })
        await app.queue.work(POLL_QUEUE, async () => {
          const batch = options.pollBatchSize ?? 500
          for (let pass = 0; pass < 20; pass++) {
            const summary = await provisioning.poll(batch)
            if (summary.checked + summary.repaired < batch) break
          }
        })
        await app.queue.schedule(POLL_QUEUE, cron, {})
      })
    } else if (cron === false && options.pollCron === undefined && app.hasDecorator('queue')) {
      // switched off in the config: drop the schedule an earlier start left in the queue's tables
      app.addHook('onReady', async () => {
        await app.queue.define({ name: POLL_QUEUE, policy: 'stately', retryLimit: 1, expireInSeconds: 600 })
        await app.queue.unschedule(POLL_QUEUE)
      })
    }

    // Work items: one stately pass at a time across hub instances, every pollMinutes.
    const minutes = workItemSettings?.pollMinutes ?? 5
    if (workItems && minutes !== false && app.hasDecorator('queue')) {
      const intake = workItems
      app.addHook('onReady', async () => {
        await app.queue.define({ name: WORK_ITEMS_QUEUE, policy: 'stately', retryLimit: 1, expireInSeconds: 900 })
        await app.queue.work(WORK_ITEMS_QUEUE, async () => {
          const summary = await intake.pass()
          if (summary.ours > 0) app.log.info({ summary }, 'IdentityNow work-item pass')
        })
        await app.queue.schedule(WORK_ITEMS_QUEUE, minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`, {})
      })
    } else if (app.hasDecorator('queue')) {
      // off now, but an earlier start may have scheduled passes: drop that schedule, or its jobs
      // would wait in the queue with no worker
      app.addHook('onReady', async () => {
        const left = (await app.queue.schedules()).some((s) => s.queue === WORK_ITEMS_QUEUE)
        if (!left) return
        await app.queue.define({ name: WORK_ITEMS_QUEUE, policy: 'stately', retryLimit: 1, expireInSeconds: 900 })
        await app.queue.unschedule(WORK_ITEMS_QUEUE)
      })
    }
  },
  { name: 'crosswalk-identitynow', dependencies: ['crosswalk-store', 'crosswalk-kernel', 'crosswalk-auth'] },
)

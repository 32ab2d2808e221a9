// The hub as a Fastify plugin: external plugins first, then the kernel and its services, then
// connectors, then the admin surface and the operator console. server.ts runs it standalone;
// tests register it the same way and drive it with inject().
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Config } from './core/config/schema.ts'
import type { Db } from './core/store/db.ts'
import './plugins/route-access.ts'
import { HUB_MIGRATIONS } from './modules.ts'
import configPlugin from './plugins/config.ts'
import errorHandler from './plugins/error-handler.ts'
import inputGuard from './plugins/input-guard.ts'
import requestValidation from './plugins/request-validation.ts'
import swagger from './plugins/external/swagger.ts'
import storePlugin from './plugins/store.ts'
import kernel from './plugins/kernel.ts'
import health from './plugins/health.ts'
import queue from './plugins/queue.ts'
import metrics from './plugins/metrics.ts'
// vault and access control
import vault from './plugins/vault.ts'
import auth from './plugins/auth.ts'
import tokenRoutes from './plugins/rest/tokens.ts'
import meRoutes from './plugins/rest/me.ts'
import rateLimit from './plugins/external/rate-limit.ts'
import audit from './plugins/audit.ts'
import auditRoutes from './plugins/rest/audit.ts'
import serviceNowConnector from './connectors/servicenow/plugin.ts'
import leanixConnector from './connectors/leanix/plugin.ts'
import identitynow from './connectors/identitynow/plugin.ts'
import connections from './plugins/connections.ts'
import serviceNowSam from './connectors/servicenow-sam/plugin.ts'
import customConnectors from './plugins/custom-connectors.ts'
import sync, { type SyncPluginOptions } from './plugins/sync.ts'
import statusSnapshot from './plugins/status-snapshot.ts'
import restApi from './plugins/rest/index.ts'
import graphql from './plugins/graphql/index.ts'
import sandbox from './plugins/sandbox.ts'
import { SCAFFOLDED_CONNECTORS } from './scaffolded-connectors.ts'
import operatorConsole from './plugins/console/index.ts'
import type { Connector } from './core/connector/contract.ts'

export interface AppOptions {
  config: Config
  /** an already-open store (tests); otherwise the configured one is opened */
  db?: Db
  /** connectors registered besides the built-in ones (tests, embedders) */
  connectors?: Connector[]
  /** the sync engine's test seams (hooks, clock) */
  sync?: SyncPluginOptions
}

async function crosswalk(app: FastifyInstance, options: AppOptions): Promise<void> {
  await app.register(configPlugin, { config: options.config })
  await app.register(errorHandler)
  await app.register(inputGuard)
  // before any route: every route declared after this is validated by the hub's rules
  await app.register(requestValidation)
  await app.register(swagger)
  await app.register(storePlugin, { migrations: HUB_MIGRATIONS, ...(options.db ? { db: options.db } : {}) })
  await app.register(kernel)
  await app.register(queue)
  await app.register(metrics)
  for (const connector of options.connectors ?? []) app.connectors.register(connector)
  await app.register(health)
  // vault and access control: the auth hooks cover every route, whenever it is registered
  await app.register(vault)
  await app.register(auth)
  await app.register(rateLimit)
  await app.register(audit)
  await app.register(tokenRoutes, { prefix: '/api/v1' })
  await app.register(meRoutes, { prefix: '/api/v1' })
  await app.register(auditRoutes, { prefix: '/api/v1' })
  // connectors: each registers itself with the kernel's registry
  await app.register(serviceNowConnector)
  await app.register(leanixConnector, {
    webhooks: {
      secretFor: (connectionId: string) => app.vault.get(`connection:${connectionId}`, 'webhookSecret'),
      // deliveries go to the store before LeanIX gets its answer (app.sync exists by then)
      deliver: async (connectionId: string, raw: unknown[]) => {
        await app.sync.intake.acceptNotifications(connectionId, raw)
        return true
      },
    },
  })
  // connectors made with `npm run new:connector`
  for (const plugin of SCAFFOLDED_CONNECTORS) await app.register(plugin)
  await app.register(identitynow)
  await app.register(connections)
  await app.register(customConnectors)
  await app.register(sync, options.sync ?? {})
  await app.register(serviceNowSam)
  await app.register(statusSnapshot)
  await app.register(restApi, { prefix: '/api/v1' })
  await app.register(graphql)
  // the operator console: a page and its files, all data through the API above
  await app.register(operatorConsole)
  await app.register(sandbox)
}

// Not encapsulated, so that the instance that registers the hub (server.ts, tests, embedders)
// sees its decorators: app.db, app.auth, app.swagger() ...
export default fp(crosswalk, { name: 'crosswalk' })

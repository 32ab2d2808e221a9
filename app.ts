// The hub as a Fastify plugin: external plugins first, then the kernel and its services, then
// connectors, then the admin surface. server.ts runs it standalone; tests register it the same
// way and drive it with inject().
import type { FastifyInstance } from 'fastify'
import type { Config } from './core/config/schema.ts'
import type { Db } from './core/store/db.ts'
import './plugins/route-access.ts'
import configPlugin from './plugins/config.ts'
import errorHandler from './plugins/error-handler.ts'
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
import rateLimit from './plugins/external/rate-limit.ts'
import audit from './plugins/audit.ts'
import auditRoutes from './plugins/rest/audit.ts'

export interface AppOptions {
  config: Config
  /** an already-open store (tests); otherwise the configured one is opened */
  db?: Db
}

export default async function crosswalk(app: FastifyInstance, options: AppOptions): Promise<void> {
  await app.register(configPlugin, { config: options.config })
  await app.register(errorHandler)
  await app.register(swagger)
  await app.register(storePlugin, options.db ? { db: options.db } : {})
  await app.register(kernel)
  await app.register(queue)
  await app.register(metrics)
  await app.register(health)
  // vault and access control: the auth hooks cover every route, whenever it is registered
  await app.register(vault)
  await app.register(auth)
  await app.register(rateLimit)
  await app.register(audit)
  await app.register(tokenRoutes, { prefix: '/api/v1' })
  await app.register(auditRoutes, { prefix: '/api/v1' })
}

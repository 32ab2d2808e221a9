// A hub app with the plugins the job queue and the metrics stand on, registered in the same
// order and with the same options as app.ts, without the rest of the admin surface (so these
// tests and the multi-instance hub processes do not depend on vault keys or tokens).
import Fastify, { type FastifyInstance } from 'fastify'
import type { Config } from '../../core/config/schema.ts'
import type { Db } from '../../core/store/db.ts'
import { validateConfig } from '../../core/config/load.ts'
import configPlugin from '../../plugins/config.ts'
import errorHandler from '../../plugins/error-handler.ts'
import swagger from '../../plugins/external/swagger.ts'
import storePlugin from '../../plugins/store.ts'
import kernel from '../../plugins/kernel.ts'
import queue from '../../plugins/queue.ts'
import metrics from '../../plugins/metrics.ts'

export interface QueueAppOptions {
  /** an open store; otherwise the configured one (databaseUrl or dataDir) is opened and closed with the app */
  db?: Db
  /** settings over the test defaults (in-memory store, silent log, fast polling and supervision) */
  config?: Record<string, unknown>
  logLevel?: string
}

export function queueAppConfig(overrides: Record<string, unknown> = {}): Config {
  return validateConfig({
    dataDir: ':memory:',
    logLevel: 'silent',
    ...overrides,
    queue: {
      pollingIntervalSeconds: 0.5,
      superviseIntervalSeconds: 1,
      heartbeatSeconds: 10,
      ...((overrides.queue as object | undefined) ?? {}),
    },
  })
}

export async function buildQueueApp(options: QueueAppOptions = {}): Promise<FastifyInstance> {
  const config = queueAppConfig(options.config)
  // the embedded store runs initdb at start, which takes long on a busy machine
  const app = Fastify({ logger: { level: options.logLevel ?? config.logLevel }, pluginTimeout: 180_000 })
  await app.register(configPlugin, { config })
  await app.register(errorHandler)
  await app.register(swagger)
  await app.register(storePlugin, options.db ? { db: options.db } : {})
  await app.register(kernel)
  await app.register(queue)
  await app.register(metrics)
  return app
}

// The emulator's HTTP surface as one Fastify app: LeanIX's route layout under /services/{svc}/v{n}
// (leanix-js builds `https://${host}/services/...`, docs/reference/leanix.md §9), plus /__emulator controls.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'
import { adminRoutes } from './routes/admin.ts'
import { leanixBodyParsing } from './routes/body-parsing.ts'
import { mtmRoutes } from './routes/mtm.ts'
import { pathfinderRoutes } from './routes/pathfinder.ts'
import { webhookRoutes } from './routes/webhooks.ts'
import type { EmulatorRuntime } from './runtime.ts'

export interface ServerOptions {
  https?: { cert: string | Buffer; key: string | Buffer }
  logger?: FastifyServerOptions['logger']
}

export async function buildLeanixEmulatorApp(
  runtime: EmulatorRuntime,
  options: ServerOptions,
  extraRoutes: Array<(app: FastifyInstance) => Promise<void> | void> = [],
): Promise<FastifyInstance> {
  const base = { logger: options.logger ?? false, bodyLimit: 25 * 1024 * 1024 }
  const app: FastifyInstance = (options.https === undefined
    ? Fastify(base)
    : Fastify({ ...base, https: { cert: options.https.cert, key: options.https.key } })) as unknown as FastifyInstance

  leanixBodyParsing(app)

  // Faults apply to the emulated services, never to the controls.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/__emulator')) return
    const { latencyMs } = runtime.faults.current
    if (latencyMs > 0) await sleep(latencyMs)
    const status = runtime.faults.takeFailure(request.url)
    if (status !== null) {
      return reply.code(status).send({ status: 'ERROR', message: `Injected failure (HTTP ${status})` })
    }
  })

  mtmRoutes(app, runtime)
  await app.register(async (scope) => pathfinderRoutes(scope, runtime))
  await app.register(async (scope) => webhookRoutes(scope, runtime, runtime.webhooks))
  adminRoutes(app, runtime)
  for (const add of extraRoutes) await add(app)
  return app
}

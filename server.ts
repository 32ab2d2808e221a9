// Runs the hub standalone: settings, logger (pretty on a TTY, JSON otherwise), explicit server
// timeouts, graceful shutdown on SIGINT and SIGTERM, unhandled rejections logged, not fatal
// (core/process-events.ts).
import Fastify from 'fastify'
import { randomUUID } from 'node:crypto'
import crosswalk from './app.ts'
import { serverErrorOptions } from './plugins/server-errors.ts'
import { loadConfig } from './modules.ts'
import { loggerOptions } from './core/log.ts'
import { serverOptions } from './server-options.ts'
import { handleProcessEvents } from './core/process-events.ts'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig({ argv: process.argv.slice(2) })
  } catch (error) {
    process.stderr.write(`crosswalk: ${(error as Error).message}\n`)
    process.exit(78) // EX_CONFIG
  }
  const app = Fastify({
    ...serverErrorOptions,
    logger: loggerOptions(config.logLevel, process.stdout.isTTY),
    ...serverOptions(config),
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID()
    },
    requestIdHeader: false,
    // the embedded store runs initdb on first start, which can take several seconds on a busy machine
    pluginTimeout: 120_000,
  })
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id)
  })
  await app.register(crosswalk, { config })

  handleProcessEvents({ delayMs: config.timeouts.shutdownMs, log: app.log, close: () => app.close() })

  await app.listen({ port: config.port, host: config.host })
}

await main()

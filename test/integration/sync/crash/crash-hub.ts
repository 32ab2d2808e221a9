// One hub process of the crash-safety test, started the way server.ts starts the hub (settings
// from the environment), that SIGKILLs itself inside the sync engine: at the CRASH_AT-th call of
// the CRASH_HOOK hook (afterWrite: the systems were written, nothing of it committed yet;
// afterCommit: a page committed). With RESUME_RUN it first takes over that run as the queue would
// once the dead process's heartbeat lapsed (here at once: the test knows the process is dead),
// and prints the outcome.
import Fastify, { type FastifyInstance } from 'fastify'
import crosswalk from '../../../../app.ts'
import { loadConfig } from '../../../../modules.ts'
import { loggerOptions } from '../../../../core/log.ts'

const hook = process.env.CRASH_HOOK as 'afterWrite' | 'afterCommit' | undefined
const at = Number(process.env.CRASH_AT ?? 0)
let calls = 0
const maybeDie = (name: string) => {
  if (name !== hook) return
  calls++
  if (calls === at) process.kill(process.pid, 'SIGKILL')
}

const config = loadConfig({ env: process.env })
const app = Fastify({ logger: loggerOptions(config.logLevel, false), pluginTimeout: 120_000 })
const instances: FastifyInstance[] = []
app.addHook('onRegister', (child) => {
  instances.push(child)
})
await app.register(crosswalk, {
  config,
  sync: { engine: { hooks: { afterWrite: () => maybeDie('afterWrite'), afterCommit: () => maybeDie('afterCommit') } } },
})
await app.ready()
const hub = app.hasDecorator('sync') ? app : instances.find((child) => Object.hasOwn(child, 'sync'))
if (!hub) throw new Error('no instance of the hub carries app.sync')
const address = await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, address })}\n`)

const resume = process.env.RESUME_RUN
if (resume) {
  // the dead process's queue job would be retried once its heartbeat lapses; this process takes
  // the run over now instead, so the job goes (one executor at a time, as the queue guarantees)
  const { rows } = await hub.db.query<{ id: string }>(
    `select id::text from pgboss.job where name = 'sync.run' and data->>'runId' = $1 and state in ('created', 'retry', 'active')`,
    [resume],
  )
  for (const job of rows) await hub.queue.cancel('sync.run', job.id)
  const outcome = await hub.sync.engine.execute(resume, {
    signal: new AbortController().signal,
    staleSeconds: 0,
    attempt: 1,
    maxAttempts: 1,
  })
  process.stdout.write(`${JSON.stringify({ outcome })}\n`)
}

process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0))
})

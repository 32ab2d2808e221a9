// One hub process of the multi-instance test, started the way server.ts starts the hub (settings
// from the environment: DATABASE_URL, keys, queue timings), serving on a loopback port, and
// working the "proof" queue. Every attempt records itself in proof_execution before it works
// and in proof_completion (one row per job, primary key) when it is done, so a job that ran
// twice or was lost shows in the tables. A job marked `hold` blocks its first attempt until the
// process dies, which is how the test leaves a job behind with a killed instance.
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify, { type FastifyInstance } from 'fastify'
import crosswalk from '../../../app.ts'
import { loadConfig } from '../../../modules.ts'
import { loggerOptions } from '../../../core/log.ts'
import { PROOF_QUEUE, type ProofJob } from './proof-queue.ts'

const instance = process.env.CROSSWALK_INSTANCE ?? `hub-${process.pid}`
const config = loadConfig({ env: process.env })
const app = Fastify({ logger: loggerOptions(config.logLevel, false), pluginTimeout: 120_000 })
// the hub's decorators are on `app` when app.ts is not encapsulated, else on its own instance
const instances: FastifyInstance[] = []
app.addHook('onRegister', (child) => {
  instances.push(child)
})
await app.register(crosswalk, { config })
await app.ready()
const hub = app.hasDecorator('queue') ? app : instances.find((child) => Object.hasOwn(child, 'queue'))
if (!hub) throw new Error('no instance of the hub carries app.queue')

await hub.queue.define(PROOF_QUEUE)
await hub.queue.work<ProofJob>(
  PROOF_QUEUE.name,
  async (job) => {
    await hub.db.query('insert into proof_execution (job_id, n, instance, pid, attempt) values ($1, $2, $3, $4, $5)', [
      job.id,
      job.data.n,
      instance,
      process.pid,
      job.attempt,
    ])
    if (job.data.hold && job.attempt === 1) {
      // stays here until the test kills this process (or a shutdown aborts it)
      await new Promise((resolve) => job.signal.addEventListener('abort', resolve, { once: true }))
      throw new Error('held job aborted')
    }
    await sleep(job.data.workMs)
    await hub.db.query('insert into proof_completion (job_id, instance) values ($1, $2)', [job.id, instance])
  },
  { concurrency: 2 },
)
const address = await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`${JSON.stringify({ ready: true, instance, pid: process.pid, address })}\n`)

process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0))
})

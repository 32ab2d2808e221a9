// One hub process of the multi-instance test: the app on DATABASE_URL, serving on a loopback
// port, working the "proof" queue. Every attempt records itself in proof_execution before it
// works and in proof_completion (one row per job, primary key) when it is done, so a job that
// ran twice or was lost shows in the tables. A job marked `hold` blocks its first attempt until
// the process dies, which is how the test leaves a job with a killed instance.
import { setTimeout as sleep } from 'node:timers/promises'
import { buildQueueApp } from '../../helpers/queue-app.ts'
import { PROOF_QUEUE, type ProofJob } from './proof-queue.ts'

const databaseUrl = process.env.DATABASE_URL
const instance = process.env.CROSSWALK_INSTANCE ?? `hub-${process.pid}`
if (!databaseUrl) throw new Error('hub-process needs DATABASE_URL')

const app = await buildQueueApp({ config: { databaseUrl, logLevel: 'warn' }, logLevel: 'warn' })
await app.ready()
await app.queue.define(PROOF_QUEUE)
await app.queue.work<ProofJob>(
  PROOF_QUEUE.name,
  async (job) => {
    await app.db.query('insert into proof_execution (job_id, n, instance, pid, attempt) values ($1, $2, $3, $4, $5)', [
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
    await app.db.query('insert into proof_completion (job_id, instance) values ($1, $2)', [job.id, instance])
  },
  { concurrency: 2 },
)
const address = await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`${JSON.stringify({ ready: true, instance, pid: process.pid, address })}\n`)

process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0))
})

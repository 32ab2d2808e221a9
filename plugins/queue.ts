// The job queue as a plugin: started on the store once it is migrated, stopped before the store
// closes, waiting for running jobs up to the shutdown grace. Jobs that fail for good are
// published on the bus as 'job.failed' and logged (warn); failed attempts that are retried are
// logged (info) with the job's id, key and attempt.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { JobQueue } from '../core/queue/job-queue.ts'
import { startJobQueue } from '../core/queue/pg-boss-queue.ts'

declare module 'fastify' {
  interface FastifyInstance {
    queue: JobQueue
  }
}

/** Time left after the queue's grace for closing pools and the store before close-with-grace gives up. */
const CLOSE_MARGIN_MS = 2000

export default fp(
  async function queue(app: FastifyInstance) {
    const settings = app.config.queue
    const jobQueue = await startJobQueue(app.db, {
      pollingIntervalSeconds: settings.pollingIntervalSeconds,
      heartbeatSeconds: settings.heartbeatSeconds,
      superviseIntervalSeconds: settings.superviseIntervalSeconds,
      maxConnections: settings.maxConnections,
      onJobFailed: (event) => {
        app.log.warn(event, 'job failed for good')
        const { queue, jobId, error, at } = event
        app.bus.publish('job.failed', { queue, jobId, error, at })
      },
      // background work a person may wonder about: which job failed, which attempt, what comes next
      onJobRetry: (event) => app.log.info(event, 'job attempt failed; it will be retried'),
      onError: (err) => app.log.error({ err }, 'job queue error'),
      onWarning: (message, data) => app.log.warn({ data }, `job queue: ${message}`),
    })
    app.decorate('queue', jobQueue)
    // onClose hooks run in reverse order of registration, so this runs before the store closes
    app.addHook('onClose', async () => {
      await jobQueue.stop(Math.max(1000, app.config.timeouts.shutdownMs - CLOSE_MARGIN_MS))
    })
  },
  { name: 'crosswalk-queue', dependencies: ['crosswalk-store', 'crosswalk-kernel'] },
)

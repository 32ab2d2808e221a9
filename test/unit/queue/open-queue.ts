// Job queues for tests: short polling and supervision, stopped when the test ends.
import type { Db } from '../../../core/store/db.ts'
import type { JobQueue } from '../../../core/queue/job-queue.ts'
import { startJobQueue, type JobQueueOptions } from '../../../core/queue/pg-boss-queue.ts'

export const testQueueOptions: JobQueueOptions = {
  pollingIntervalSeconds: 0.5,
  heartbeatSeconds: 10,
  superviseIntervalSeconds: 1,
  maxConnections: 4,
}

export async function openQueue(
  db: Db,
  t: { teardown(fn: () => unknown): void },
  extra: Partial<JobQueueOptions> = {},
): Promise<JobQueue> {
  const queue = await startJobQueue(db, { ...testQueueOptions, ...extra })
  t.teardown(() => queue.stop(1000))
  return queue
}

// Cancelling, scheduling and stopping the job queue, on the test store (PGlite in memory, or
// PostgreSQL when CROSSWALK_TEST_DATABASE_URL is set).
import t from 'tap'
import { testStore } from '../../helpers/store.ts'
import { until } from '../../helpers/until.ts'
import { startJobQueue } from '../../../core/queue/pg-boss-queue.ts'
import { openQueue, testQueueOptions as base } from './open-queue.ts'
import type { JobFailedEvent } from '../../../core/queue/job-queue.ts'

const db = await testStore(t)

/** Resolves with the abort reason once the signal fires (bounded, so a missing abort fails the test). */
function aborted(signal: AbortSignal, boundMs = 30_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`signal not aborted within ${boundMs} ms`)), boundMs)
    const done = () => {
      clearTimeout(timer)
      resolve(signal.reason)
    }
    if (signal.aborted) done()
    else signal.addEventListener('abort', done, { once: true })
  })
}

t.test('cancel aborts the running handler on this instance at once', async (t) => {
  const failed: JobFailedEvent[] = []
  const queue = await openQueue(db, t, { onJobFailed: (event) => failed.push(event) })
  await queue.define({ name: 'cancel-local', retryLimit: 0 })
  let reason: unknown
  let started = false
  let finished = false
  await queue.work('cancel-local', async (job) => {
    started = true
    reason = await aborted(job.signal)
    finished = true
    throw reason
  })
  const id = (await queue.send('cancel-local', {})) as string
  await until(() => started, 'the job to start')
  t.equal(await queue.cancel('cancel-local', id), true)
  await until(() => finished, 'the handler to see the abort')
  t.match(reason, { code: 'CW_QUEUE_JOB_CANCELLED' })
  t.equal((await queue.job('cancel-local', id))?.state, 'cancelled')
  t.same(failed, [], 'a cancelled job is not reported as failed')
  t.equal(await queue.cancel('cancel-local', id), false, 'nothing left to cancel')
})

t.test('cancel from another instance reaches the handler at its next heartbeat', async (t) => {
  const worker = await openQueue(db, t)
  const other = await openQueue(db, t, { supervise: false })
  for (const q of [worker, other]) await q.define({ name: 'cancel-remote', retryLimit: 0, heartbeatSeconds: 10 })
  let started = false
  let sawAbort = false
  await worker.work('cancel-remote', async (job) => {
    started = true
    await aborted(job.signal)
    sawAbort = true
  })
  const id = (await other.send('cancel-remote', {})) as string
  await until(() => started, 'the job to start on the worker instance')
  t.equal(await other.cancel('cancel-remote', id), true)
  await until(() => sawAbort, 'the worker to learn of the cancel')
  t.equal((await other.job('cancel-remote', id))?.state, 'cancelled')
})

t.test('schedule: registered once per key, replaced, fired on time, removed', async (t) => {
  const queue = await openQueue(db, t, { cronIntervalSeconds: 1 })
  await queue.define({ name: 'scheduled-sync' })
  await t.rejects(queue.schedule('scheduled-sync', 'every monday', {}), { code: 'CW_QUEUE_SCHEDULE_INVALID' })
  await t.rejects(queue.schedule('not-defined', '* * * * *', {}), { code: 'CW_QUEUE_UNKNOWN' })

  await queue.schedule('scheduled-sync', '0 3 * * *', { mappingId: 'm1', full: true }, { key: 'm1' })
  await queue.schedule(
    'scheduled-sync',
    '0 4 * * *',
    { mappingId: 'm1', full: true },
    { key: 'm1', tz: 'Europe/Zurich' },
  )
  await queue.schedule('scheduled-sync', '* * * * * *', { mappingId: 'm2', full: true }, { key: 'm2' })
  const listed = await queue.schedules('scheduled-sync')
  t.same(
    listed.map((s) => [s.key, s.cron, s.timezone]).sort(),
    [
      ['m1', '0 4 * * *', 'Europe/Zurich'],
      ['m2', '* * * * * *', 'UTC'],
    ],
    'scheduling a key again replaced it',
  )

  const fired: unknown[] = []
  await queue.work('scheduled-sync', async (job) => {
    fired.push(job.data)
  })
  await until(() => fired.length > 0, 'the every-second schedule to send a job')
  t.same(fired[0], { mappingId: 'm2', full: true })

  await queue.unschedule('scheduled-sync', 'm2')
  t.same(
    (await queue.schedules('scheduled-sync')).map((s) => s.key),
    ['m1'],
  )
})

t.test('stop waits for a running job to finish within the grace', async (t) => {
  const queue = await startJobQueue(db, base)
  const observer = await openQueue(db, t, { supervise: false })
  for (const q of [queue, observer]) await q.define({ name: 'stop-graceful', retryLimit: 1, heartbeatSeconds: null })
  let started = false
  let finished = false
  let signalAborted = false
  await queue.work('stop-graceful', async (job) => {
    started = true
    await new Promise((r) => setTimeout(r, 1500))
    signalAborted = job.signal.aborted
    finished = true
  })
  const id = (await queue.send('stop-graceful', {})) as string
  await until(() => started, 'the job to start')
  await queue.stop(20_000)
  t.ok(finished, 'stop returned only after the handler finished')
  t.notOk(signalAborted, 'a handler finishing within the grace is not aborted')
  t.equal((await observer.job('stop-graceful', id))?.state, 'completed')
  await t.rejects(queue.send('stop-graceful', {}), { code: 'CW_QUEUE_STOPPED' })
})

t.test('stop aborts a job still running when the grace ends and leaves it for a retry', async (t) => {
  const queue = await startJobQueue(db, base)
  const observer = await openQueue(db, t, { supervise: false })
  for (const q of [queue, observer]) await q.define({ name: 'stop-abort', retryLimit: 2, heartbeatSeconds: null })
  let started = false
  let abortSeen = false
  await queue.work('stop-abort', async (job) => {
    started = true
    await aborted(job.signal)
    abortSeen = true
  })
  const id = (await queue.send('stop-abort', {})) as string
  await until(() => started, 'the job to start')
  await queue.stop(1000)
  await until(() => abortSeen, 'the handler to be aborted')
  const job = await observer.job('stop-abort', id)
  t.equal(job?.state, 'retry', 'another instance may take it up again')
})

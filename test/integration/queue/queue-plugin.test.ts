// The queue plugin inside the hub as production builds it: `app.queue` works, jobs that fail
// for good reach the bus as 'job.failed', failed attempts are logged with their ids, and closing
// the app waits for running jobs before the store goes away.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { testStore } from '../../helpers/store.ts'
import { until } from '../../helpers/until.ts'
import { buildTestApp } from '../../helpers/app.ts'
import type { HubEvents } from '../../../core/bus/events.ts'

const db = await testStore(t)
// one vault key for every hub on this store, as for hub instances sharing a database
const config = {
  masterKey: randomBytes(32).toString('base64'),
  queue: { pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 1 },
}

t.test('a job that fails for good is published on the bus as job.failed', async (t) => {
  const { hub } = await buildTestApp(t, { db, config })
  const published: Array<HubEvents['job.failed']> = []
  hub.bus.subscribe('job.failed', (event) => published.push(event))
  await hub.queue.define({ name: 'plugin-fails', retryLimit: 0 })
  await hub.queue.work('plugin-fails', async () => {
    throw new Error('the ticket system said no')
  })
  const id = await hub.queue.send('plugin-fails', { ticket: 'T-1' })
  await until(() => published.length > 0, 'job.failed on the bus')
  t.match(published, [{ queue: 'plugin-fails', jobId: id, error: 'the ticket system said no' }])
  t.equal(new Date(published[0]?.at ?? '').toISOString(), published[0]?.at)
})

t.test('failed attempts are logged at info with the job, its key and the attempt; the last one at warn', async (t) => {
  const hub = await buildTestApp(t, { db, config, logLevel: 'info' })
  await hub.hub.queue.define({ name: 'plugin-logs', retryLimit: 1, retryDelaySeconds: 0, retryBackoff: false })
  await hub.hub.queue.work('plugin-logs', async (job) => {
    throw new Error(`the ticket system said no (attempt ${job.attempt})`)
  })
  const id = await hub.hub.queue.send('plugin-logs', { ticket: 'T-2' }, { key: 'mapping-7' })
  const lines = () => hub.logLines.map((line) => JSON.parse(line) as Record<string, unknown>)
  const about = (msg: string) => lines().filter((l) => l.msg === msg && l.jobId === id)
  await until(() => about('job failed for good').length > 0, 'the final failure in the log')
  t.match(about('job attempt failed; it will be retried'), [
    {
      level: 30,
      queue: 'plugin-logs',
      jobId: id,
      key: 'mapping-7',
      attempt: 1,
      maxAttempts: 2,
      error: 'the ticket system said no (attempt 1)',
    },
  ])
  t.equal(about('job attempt failed; it will be retried').length, 1, 'the last attempt is not announced as retried')
  t.match(about('job failed for good'), [
    {
      level: 40,
      queue: 'plugin-logs',
      jobId: id,
      key: 'mapping-7',
      attempts: 2,
      error: 'the ticket system said no (attempt 2)',
    },
  ])
})

t.test('closing the app lets a running job finish, then refuses new work', async (t) => {
  const { app, hub } = await buildTestApp(t, { db, config })
  await hub.queue.define({ name: 'plugin-close', heartbeatSeconds: null })
  let started = false
  let finished = false
  await hub.queue.work('plugin-close', async () => {
    started = true
    await new Promise((r) => setTimeout(r, 1500))
    // the store is still open while the job runs out its grace
    await hub.db.query('select 1')
    finished = true
  })
  const id = await hub.queue.send('plugin-close', {})
  await until(() => started, 'the job to start')
  await app.close()
  t.ok(finished, 'the job finished before close returned')
  const { rows } = await db.query<{ state: string }>('select state::text as state from pgboss.job where id = $1', [id])
  t.equal(rows[0]?.state, 'completed')
  await t.rejects(hub.queue.send('plugin-close', {}), { code: 'CW_QUEUE_STOPPED' })
})

// The queue plugin inside the app: `app.queue` works, jobs that fail for good reach the bus as
// 'job.failed', and closing the app waits for running jobs before the store goes away.
import t from 'tap'
import { testStore } from '../../helpers/store.ts'
import { until } from '../../helpers/until.ts'
import { buildQueueApp } from '../../helpers/queue-app.ts'
import type { HubEvents } from '../../../core/bus/events.ts'

const db = await testStore(t)

t.test('a job that fails for good is published on the bus as job.failed', async (t) => {
  const app = await buildQueueApp({ db })
  t.teardown(() => app.close())
  await app.ready()
  const published: Array<HubEvents['job.failed']> = []
  app.bus.subscribe('job.failed', (event) => published.push(event))
  await app.queue.define({ name: 'plugin-fails', retryLimit: 0 })
  await app.queue.work('plugin-fails', async () => {
    throw new Error('the ticket system said no')
  })
  const id = await app.queue.send('plugin-fails', { ticket: 'T-1' })
  await until(() => published.length > 0, 'job.failed on the bus')
  t.match(published, [{ queue: 'plugin-fails', jobId: id, error: 'the ticket system said no' }])
  t.match(new Date(published[0]?.at ?? '').toISOString(), published[0]?.at ?? 'missing')
})

t.test('closing the app lets a running job finish, then refuses new work', async (t) => {
  const app = await buildQueueApp({ db })
  await app.ready()
  await app.queue.define({ name: 'plugin-close', heartbeatSeconds: null })
  let started = false
  let finished = false
  await app.queue.work('plugin-close', async () => {
    started = true
    await new Promise((r) => setTimeout(r, 1500))
    // the store is still open while the job runs out its grace
    await app.db.query('select 1')
    finished = true
  })
  const id = await app.queue.send('plugin-close', {})
  await until(() => started, 'the job to start')
  await app.close()
  t.ok(finished, 'the job finished before close returned')
  const { rows } = await db.query<{ state: string }>('select state::text as state from pgboss.job where id = $1', [id])
  t.equal(rows[0]?.state, 'completed')
  await t.rejects(app.queue.send('plugin-close', {}), { code: 'CW_QUEUE_STOPPED' })
})

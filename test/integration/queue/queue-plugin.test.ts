// The queue plugin inside the hub as production builds it: `app.queue` works, jobs that fail
// for good reach the bus as 'job.failed', and closing the app waits for running jobs before the
// store goes away.
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

// In the real hub, ticket polling runs as one coarse job on the job queue: the queue is defined
// and scheduled every minute, and a job runs a poll pass that closes a ticket ServiceNow closed.
import { test } from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { until } from '../../helpers/until.ts'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { POLL_QUEUE } from '../../../connectors/identitynow/plugin.ts'
import { emulatorConnection } from './harness.ts'

test('the poll job is scheduled and closes tickets', async (t) => {
  const serviceNow = await startServiceNowEmulator()
  t.teardown(() => serviceNow.close())
  const hub = await buildTestApp(t)
  const idn = hub.hub.identitynow
  const schedules = await hub.hub.queue.schedules(POLL_QUEUE)
  t.match(schedules, [{ queue: POLL_QUEUE, cron: '* * * * *' }], 'one coarse poll job a minute')

  const source = { id: '2c9180835d191a86015d28455b4a9999', name: 'Desk source' }
  await idn.integrations.create({
    name: 'incidents',
    description: 'poll job',
    type: 'Generic SDIM',
    managedSources: [source.id],
    attributes: { ...emulatorConnection(serviceNow.url), ticketType: 'incident' },
  })
  const [outcome] = await idn.provisioning.intake({
    requestId: 'IR-JOB',
    identity: { id: 'i1', name: 'Job Tester' },
    accountRequests: [{ source, nativeIdentity: 'jt', operation: 'Create' }],
  })
  const data = serviceNow.instance.data
  const store = data.storeOf(data.table('incident'))
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    if (store.value(row, 'number') === outcome?.ticketId)
      data.update('incident', store.value(row, 'sys_id'), { state: '7' }, 'admin')
  }
  // due now rather than in 30 minutes, so the job's pass checks it
  await hub.db.query(
    "update idn_provisioning set next_check_at = now() - interval '1 minute' where correlation_id = $1",
    [outcome?.correlationId],
  )
  // null when the minute's scheduled pass already waits (stately queue): that pass does the work
  await hub.hub.queue.send(POLL_QUEUE, {})
  await until(
    async () => (await idn.records.get(outcome?.correlationId ?? ''))?.state === 'committed',
    'the job to close the ticket',
    {
      timeoutMs: 60_000,
      everyMs: 250,
    },
  )
  t.equal((await idn.records.get(outcome?.correlationId ?? ''))?.closedBy, 'poller')
})

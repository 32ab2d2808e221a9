// The work-item intake in the hub as production builds it, configured only through the config
// (identitynow.workItems), with the job queue: its pass is scheduled every pollMinutes, the
// ticket-poll job is not scheduled when switched off (and its old schedule dropped), and a hub restarted on the same store after
// making a ticket makes no second one for the same work item, then completes it when the ticket
// closes.
import { test } from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { until } from '../../helpers/until.ts'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { startIdentityNowEmulator } from '../../../connectors/identitynow/emulator/index.ts'
import { POLL_QUEUE, WORK_ITEMS_QUEUE, WORK_ITEMS_SECRET } from '../../../connectors/identitynow/plugin.ts'
import { testStore } from '../../helpers/store.ts'

test('configured from the config, scheduled on the queue, exactly one ticket across a restart', async (t) => {
  const serviceNow = await startServiceNowEmulator()
  t.teardown(() => serviceNow.close())
  const tenant = await startIdentityNowEmulator({ hub: { url: 'http://127.0.0.1:1', token: 'unused' } })
  t.teardown(() => tenant.close())
  const isc = tenant.tenant
  const crm = isc.addSource('CRM', { manual: true })
  const bob = isc.addIdentity('Bob Stone', 'active')

  const db = await testStore(t)
  const workItems = { tenantUrl: tenant.url, clientId: tenant.client.clientId, pollMinutes: 5 }
  const first = await buildTestApp(t, {
    db,
    config: {
      identitynow: { ticketPollCron: 'off', workItems: { ...workItems, clientSecret: tenant.client.clientSecret } },
    },
  })
  const idn = first.hub.identitynow
  t.ok(idn.workItems, 'the intake is on')
  t.match(await first.hub.queue.schedules(WORK_ITEMS_QUEUE), [{ queue: WORK_ITEMS_QUEUE, cron: '*/5 * * * *' }])
  t.same(await first.hub.queue.schedules(POLL_QUEUE), [], 'ticket polling switched off in the config')
  t.ok(await first.hub.vault.get('identitynow', WORK_ITEMS_SECRET), 'the client secret is sealed in the vault')

  await idn.integrations.create({
    name: 'CRM desk',
    description: 'CRM accounts by incident',
    type: 'Generic SDIM',
    managedSources: [crm.id],
    attributes: {
      url: serviceNow.url,
      authType: 'Basic',
      username: 'admin',
      password: 'admin',
      ticketType: 'incident',
    },
  })
  const activity = await tenant.provision(isc.accessRequest(bob.id, crm.id, 'profile', 'Sales'), 'appRequest')
  const item = [...isc.workItems.values()].find((w) => w.sourceId === crm.id)!
  t.match(await idn.workItems!.pass(), { ours: 1, ticketed: 1 })
  const incidents = () => serviceNow.instance.data.storeOf(serviceNow.instance.data.table('incident')).size
  t.equal(incidents(), 1)
  await first.app.close()

  // the same store, no secret in the config this time: it comes from the vault
  const second = await buildTestApp(t, {
    db,
    config: { masterKey: first.masterKey, adminToken: first.adminToken, identitynow: { workItems } },
  })
  const again = second.hub.identitynow
  t.match(await again.workItems!.pass(), { ours: 1, ticketed: 0 }, 'no second ticket after the restart')
  t.equal(incidents(), 1)
  t.match(await second.hub.queue.schedules(POLL_QUEUE), [{ cron: '* * * * *' }], 'default ticket polling is back')

  const data = serviceNow.instance.data
  const store = data.storeOf(data.table('incident'))
  data.update('incident', store.value(store.at(0) as string[], 'sys_id'), { state: '7' }, 'admin')
  await second.db.query("update idn_provisioning set next_check_at = now() where plan->>'requestId' = $1", [
    `work-item:${item.id}`,
  ])
  await again.provisioning.poll()
  await until(() => item.state === 'Finished', 'the work item to be completed')
  t.equal(activity.items[0]?.provisioningStatus, 'COMMITED')
  t.equal(isc.workItemCompletions.length, 1)
  await second.app.close()

  const third = await buildTestApp(t, {
    db,
    config: { masterKey: first.masterKey, adminToken: first.adminToken, identitynow: { ticketPollCron: 'off' } },
  })
  t.same(await third.hub.queue.schedules(POLL_QUEUE), [], 'switching polling off drops the schedule left before')
  t.equal(third.hub.identitynow.workItems, undefined, 'the intake is off without a tenant in the config')
  t.same(await third.hub.queue.schedules(WORK_ITEMS_QUEUE), [], 'and the schedule an earlier start left is dropped')
})

test('off unless configured: no intake, no work-item schedule', async (t) => {
  const hub = await buildTestApp(t)
  t.equal(hub.hub.identitynow.workItems, undefined)
  t.match(await hub.hub.queue.schedules(POLL_QUEUE), [{ cron: '* * * * *' }], 'ticket polling as before')
  await t.rejects(hub.hub.queue.schedules(WORK_ITEMS_QUEUE), 'the work-item queue is not even defined')
})

test('a configured tenant without a secret anywhere is refused at start', async (t) => {
  await t.rejects(
    buildTestApp(t, {
      config: { identitynow: { workItems: { tenantUrl: 'https://acme.api.identitynow.com', clientId: 'abc' } } },
    }),
    { code: 'CW_IDN_WORK_ITEMS_CONFIG_INVALID' },
  )
})

// The work-item intake in the hub as production builds it, configured only through the config
// (identitynow.tenant, identitynow.workItems), with the job queue: its pass is scheduled every pollMinutes, the
// ticket-poll job is not scheduled when switched off (and its old schedule dropped), and a hub restarted on the same store after
// making a ticket makes no second one for the same work item, then completes it when the ticket
// closes.
import { test } from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { until } from '../../helpers/until.ts'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { startIdentityNowEmulator } from '../../../connectors/identitynow/emulator/index.ts'
import { POLL_QUEUE, TENANT_SECRET, WORK_ITEMS_QUEUE } from '../../../connectors/identitynow/plugin.ts'
import { testStore } from '../../helpers/store.ts'
import { emulatorConnection } from './harness.ts'

test('configured from the config, scheduled on the queue, exactly one ticket across a restart', async (t) => {
  const serviceNow = await startServiceNowEmulator()
  t.teardown(() => serviceNow.close())
  const tenant = await startIdentityNowEmulator({ hub: { url: 'http://127.0.0.1:1', token: 'unused' } })
  t.teardown(() => tenant.close())
  const isc = tenant.tenant
  const crm = isc.addSource('CRM', { manual: true })
  const bob = isc.addIdentity('Bob Stone', 'active')

  const db = await testStore(t)
  const tenantConfig = { url: tenant.url, clientId: tenant.client.clientId }
  const workItems = { pollMinutes: 5 }
  const first = await buildTestApp(t, {
    db,
    config: {
      identitynow: {
        ticketPollCron: 'off',
        tenant: { ...tenantConfig, clientSecret: tenant.client.clientSecret },
        workItems,
      },
    },
  })
  const idn = first.hub.identitynow
  t.ok(idn.workItems, 'the intake is on')
  t.match(await first.hub.queue.schedules(WORK_ITEMS_QUEUE), [{ queue: WORK_ITEMS_QUEUE, cron: '*/5 * * * *' }])
  t.same(await first.hub.queue.schedules(POLL_QUEUE), [], 'ticket polling switched off in the config')
  t.ok(await first.hub.vault.get('identitynow', TENANT_SECRET), 'the client secret is sealed in the vault')

  await idn.integrations.create({
    name: 'CRM desk',
    description: 'CRM accounts by incident',
    type: 'Generic SDIM',
    managedSources: [crm.id],
    attributes: { ...emulatorConnection(serviceNow.url), ticketType: 'incident' },
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
    config: {
      masterKey: first.masterKey,
      adminToken: first.adminToken,
      identitynow: { tenant: tenantConfig, workItems },
    },
  })
  const again = second.hub.identitynow
  t.match(await again.workItems!.pass(), { ours: 1, ticketed: 0 }, 'no second ticket after the restart')
  t.equal(incidents(), 1)
  t.match(await second.hub.queue.schedules(POLL_QUEUE), [{ cron: '* * * * *' }], 'default ticket polling is back')

  const data = serviceNow.instance.data
  const store = data.storeOf(data.table('incident'))
  data.update('incident', store.value(store.at(0) as string[], 'sys_id'), { state: '7' }, 'admin')
  await second.db.query(
    "update idn_provisioning set next_check_at = now() - interval '1 minute' where plan->>'requestId' = $1",
    [`work-item:${item.id}`],
  )
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
      config: { identitynow: { tenant: { url: 'https://acme.api.identitynow.com', clientId: 'abc' } } },
    }),
    { code: 'CW_IDN_TENANT_CONFIG_INVALID', message: /identitynow\.tenant\.clientSecret/ },
  )
})

test('a tenant in the config alone: completions of pushed plans close their access request there', async (t) => {
  const serviceNow = await startServiceNowEmulator()
  t.teardown(() => serviceNow.close())
  const tenant = await startIdentityNowEmulator({ hub: { url: 'http://127.0.0.1:1', token: 'unused' } })
  t.teardown(() => tenant.close())
  const hub = await buildTestApp(t, {
    logLevel: 'warn',
    config: {
      identitynow: {
        ticketPollCron: 'off',
        tenant: { url: tenant.url, clientId: tenant.client.clientId, clientSecret: tenant.client.clientSecret },
        workItems: { enabled: false },
      },
    },
  })
  const idn = hub.hub.identitynow
  t.equal(idn.workItems, undefined, 'work items switched off; the tenant still serves completions')
  const source = { id: '2c9180835d191a86015d28455b4a7777', name: 'Desk source' }
  await idn.integrations.create({
    name: 'desk',
    description: 'incidents',
    type: 'Generic SDIM',
    managedSources: [source.id],
    attributes: { ...emulatorConnection(serviceNow.url), ticketType: 'incident' },
  })
  const [outcome] = await idn.provisioning.intake({
    requestId: 'ar-4711',
    identity: { id: 'identity-1', name: 'Ada Lovelace' },
    accountRequests: [{ source, nativeIdentity: 'ada', operation: 'Create', attributeRequests: [] }],
  })
  t.match(outcome, { routing: 'ticket', ticketId: /^INC/ })
  const data = serviceNow.instance.data
  const store = data.storeOf(data.table('incident'))
  data.update('incident', store.value(store.at(0) as string[], 'sys_id'), { state: '7' }, 'admin')
  // due now by the store's clock and the poller's alike (the two may differ by a few ms)
  await hub.db.query(
    "update idn_provisioning set next_check_at = now() - interval '1 minute' where plan->>'requestId' = 'ar-4711'",
  )
  t.match(await idn.provisioning.poll(), { checked: 1, completed: 1 }, 'the ticket closed', { logs: hub.logLines })
  t.match(
    tenant.tenant.closeRequests,
    [{ accessRequestIds: ['ar-4711'], executionStatus: 'Completed', completionStatus: 'Success' }],
    'the tenant was told',
    { logs: hub.logLines },
  )
})

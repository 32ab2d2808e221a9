// End to end on the emulators, the pull-based intake: an ISC tenant with a disconnected (manual)
// source that a hub integration manages. A lifecycle change opens a Pending manual work item in
// the tenant instead of provisioning; a pass of the hub's work-item intake turns it into one
// ServiceNow incident; when the incident closes the hub completes the work item in the tenant
// (rejecting its items first when the ticket failed). Re-polling and a fresh intake (a restart)
// make no second ticket; a completion the hub missed is made at the next pass; the tenant's 429
// and 5xx answers are retried.
import t, { type Test } from 'tap'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { startIdentityNowEmulator, type HubLink } from '../../../connectors/identitynow/emulator/index.ts'
import { TenantClient } from '../../../connectors/identitynow/tenant/client.ts'
import { WorkItemIntake } from '../../../connectors/identitynow/intake/work-item-intake.ts'
import { until } from '../../helpers/until.ts'
import { startHub } from './harness.ts'

let clock = new Date('2026-12-01T08:00:00Z')
const serviceNow = await startServiceNowEmulator({ now: () => clock })
t.teardown(() => serviceNow.close())
const data = serviceNow.instance.data

const hubLink: HubLink = { url: '', token: '' }
const tenant = await startIdentityNowEmulator({ hub: hubLink })
t.teardown(() => tenant.close())
const isc = tenant.tenant
const fastRetries = { maxAttempts: 5, baseMs: 20, capMs: 5_000 }
const hub = await startHub(t, {
  listen: true,
  pollCron: false,
  now: () => clock,
  workItems: {
    url: tenant.url,
    clientId: tenant.client.clientId,
    clientSecret: tenant.client.clientSecret,
    pollMinutes: false,
    backoff: fastRetries,
  },
})
hubLink.url = hub.url
hubLink.token = hub.hubToken
const idn = hub.app.identitynow
const intake = idn.workItems!

const directory = isc.addSource('Directory') // connected, provisions itself
const hrPortal = isc.addSource('HR Portal', { manual: true }) // manual, managed by the hub
const badges = isc.addSource('Badges', { manual: true }) // manual, left to people
const jane = isc.addIdentity('Jane Doe', 'prehire')
await idn.integrations.create({
  name: 'HR Portal tickets',
  description: 'manual work items of the HR Portal become incidents',
  type: 'Generic SDIM',
  managedSources: [hrPortal.id],
  attributes: { url: serviceNow.url, authType: 'Basic', username: 'admin', password: 'admin', ticketType: 'incident' },
})

const incidents = () => {
  const store = data.storeOf(data.table('incident'))
  const out: Array<{ number: string; sysId: string; correlation: string }> = []
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    out.push({
      number: store.value(row, 'number'),
      sysId: store.value(row, 'sys_id'),
      correlation: store.value(row, 'correlation_id'),
    })
  }
  return out
}
const setIncidentState = (number: string, state: string) => {
  const incident = incidents().find((i) => i.number === number)
  if (!incident) throw new Error(`no incident ${number}`)
  data.update('incident', incident.sysId, { state }, 'admin')
}
const recordOf = async (t: Test, workItemId: string) => {
  const rows = await hub.app.db.query<{ correlation_id: string }>(
    "select correlation_id from idn_provisioning where plan->>'requestId' = $1",
    [`work-item:${workItemId}`],
  )
  t.equal(rows.rows.length, 1, 'one provisioning record per work item')
  return idn.records.get(rows.rows[0]!.correlation_id)
}
const pollTickets = async () => {
  clock = new Date(clock.getTime() + 31 * 60_000)
  return idn.provisioning.poll()
}

t.test('Pre-Hire -> Active: a manual work item becomes one incident and is completed when it closes', async (t) => {
  const activity = await tenant.provision(isc.lifecycleChange(jane.id, 'active'))
  const bySource = new Map(activity.items.map((i) => [i.sourceId, i]))
  t.equal(bySource.get(directory.id)?.provisioningStatus, 'COMMITED', 'the connected source provisions itself')
  t.equal(bySource.get(hrPortal.id)?.provisioningStatus, 'PENDING')
  const pending = [...isc.workItems.values()].filter((w) => w.state === 'Pending')
  t.equal(pending.length, 2, 'ISC opened a work item for each manual source')
  const hrItem = pending.find((w) => w.sourceId === hrPortal.id)!
  const badgeItem = pending.find((w) => w.sourceId === badges.id)!

  const first = await intake.pass()
  t.match(first, { listed: 2, ours: 1, ticketed: 1, completed: 0, skipped: 0 })
  t.equal(incidents().length, 1, 'one incident')
  const record = await recordOf(t, hrItem.id)
  t.match(record, { state: 'queued', ticketNumber: /^INC/, sourceId: hrPortal.id })
  t.match(record?.plan.accountRequests, [
    {
      source: { id: hrPortal.id, name: 'HR Portal' },
      nativeIdentity: 'jane.doe',
      operation: 'Create',
      attributeRequests: [
        // in an order fixed by content, whatever order the tenant lists the items in
        { name: 'department', value: 'Engineering', operation: 'Set' },
        { name: 'displayName', value: 'Jane Doe', operation: 'Set' },
      ],
    },
  ])
  t.equal(incidents()[0]?.correlation, record?.correlationId, 'the incident carries the correlation id')

  t.match(await intake.pass(), { ours: 1, ticketed: 0, completed: 0 }, 're-polling makes no second ticket')
  const restarted = new TenantClient({
    url: tenant.url,
    clientId: tenant.client.clientId,
    clientSecret: tenant.client.clientSecret,
    backoff: fastRetries,
  })
  t.teardown(() => restarted.close())
  const fresh = new WorkItemIntake({
    client: restarted,
    provisioning: idn.provisioning,
    records: idn.records,
    integrations: idn.integrations,
    bus: hub.app.bus,
    logger: hub.app.log,
  })
  t.match(await fresh.pass(), { ours: 1, ticketed: 0 }, 'nor does a restarted intake (nothing in memory)')
  t.equal(incidents().length, 1)

  setIncidentState(record!.ticketNumber!, '7')
  t.match(await pollTickets(), { completed: 1 })
  await until(() => hrItem.state === 'Finished', 'the work item to be completed on provisioning.completed')
  t.equal(isc.workItemCompletions.filter((c) => c.id === hrItem.id).length, 1, 'completed once')
  t.match(String(isc.workItemCompletions[0]?.comment), /INC\d+ closed as Committed/)
  t.ok(
    hrItem.approvalItems.every((a) => a.state === 'Finished'),
    'every item done',
  )
  t.equal(bySource.get(hrPortal.id)?.provisioningStatus, 'COMMITED', "the tenant's account activity item completed")
  t.equal(badgeItem.state, 'Pending', 'a work item on a source the hub does not manage is left alone')
  t.match(await intake.pass(), { listed: 1, ours: 0, ticketed: 0 }, 'the completed item is gone from the list')
  t.equal(incidents().length, 1)
})

t.test('a failed ticket rejects the items of the work item, then completes it', async (t) => {
  const plan = isc.accessRequest(jane.id, hrPortal.id, 'groups', 'Payroll')
  const activity = await tenant.provision(plan, 'appRequest')
  const item = [...isc.workItems.values()].find((w) => w.state === 'Pending' && w.sourceId === hrPortal.id)!
  t.match(item.approvalItems, [{ name: 'groups', operation: 'Add', value: 'Payroll', state: 'Pending' }])
  t.match(await intake.pass(), { ours: 1, ticketed: 1 })
  const record = await recordOf(t, item.id)
  t.match(record?.plan.accountRequests, [
    { operation: 'Modify', attributeRequests: [{ name: 'groups', value: 'Payroll', operation: 'Add' }] },
  ])
  setIncidentState(record!.ticketNumber!, '8')
  await pollTickets()
  await until(() => item.state === 'Finished', 'the failed work item to be completed')
  t.ok(
    item.approvalItems.every((a) => a.state === 'Rejected'),
    'rejected items',
  )
  t.equal((await idn.records.get(record!.correlationId))?.state, 'failed')
  t.equal(activity.items[0]?.provisioningStatus, 'FAILED')
  t.equal(activity.completionStatus, 'FAILURE')
})

t.test('a completion the hub missed (not listening at ticket close) is made at the next pass', async (t) => {
  await tenant.provision(isc.accessRequest(jane.id, hrPortal.id, 'groups', 'Benefits'), 'appRequest')
  const item = [...isc.workItems.values()].find((w) => w.state === 'Pending' && w.sourceId === hrPortal.id)!
  t.match(await intake.pass(), { ticketed: 1 })
  const record = await recordOf(t, item.id)
  await intake.close() // as if the hub died right after the ticket closed
  setIncidentState(record!.ticketNumber!, '6')
  await pollTickets()
  t.equal(item.state, 'Pending', 'nobody told the tenant')
  intake.listen()
  t.match(await intake.pass(), { ours: 1, ticketed: 0, completed: 1 })
  t.equal(item.state, 'Finished')
  t.equal(isc.workItemCompletions.filter((c) => c.id === item.id).length, 1)
})

t.test("the tenant's 429 and 5xx answers are retried; pages of 250 are all read", async (t) => {
  // more than one page of work items on the unmanaged manual source
  for (let i = 0; i < 260; i++) {
    const other = isc.addIdentity(`Person ${i}`, 'active')
    isc.openWorkItems(isc.accessRequest(other.id, badges.id, 'badge', `B${i}`), `bulk-${i}`)
  }
  await tenant.provision(isc.accessRequest(jane.id, hrPortal.id, 'groups', 'Travel'), 'appRequest')
  const item = [...isc.workItems.values()].find((w) => w.state === 'Pending' && w.sourceId === hrPortal.id)!
  const before = incidents().length
  isc.faults.push(429, 503, 500)
  const summary = await intake.pass()
  t.equal(isc.faults.length, 0, 'the faults were answered')
  t.match(summary, { ours: 1, ticketed: 1, skipped: 0 })
  t.ok(summary.listed >= 262, `every page read (${summary.listed} pending)`)
  t.equal(incidents().length, before + 1)
  t.ok(await recordOf(t, item.id))

  // more failures than the bound: the pass fails, nothing is half done, the next pass goes on
  isc.faults.push(503, 503, 503, 503, 503)
  await t.rejects(intake.pass(), { code: 'CW_IDN_TENANT_REQUEST_FAILED' })
  t.match(await intake.pass(), { ours: 1, ticketed: 0 })
  t.equal(incidents().length, before + 1)
})

// End to end on the emulators, the seed's picture: an IdentityNow tenant with Source 1, 2 and 3;
// a SIM integration manages 2 and 3. A lifecycle change (Pre-Hire -> Active) provisions Source 1
// as before and turns 2 and 3 into ServiceNow tickets; when ServiceNow closes them the hub
// reports back and the tenant's account activity completes. A role grant follows the same path.
import t from 'tap'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { defineCatalogItem } from '../../../connectors/servicenow/emulator/seed/catalog-items.ts'
import { startIdentityNowEmulator, type HubLink } from '../../../connectors/identitynow/emulator/index.ts'
import { startHub } from './harness.ts'

let clock = new Date('2026-11-24T08:00:00Z')
const serviceNow = await startServiceNowEmulator({ now: () => clock })
t.teardown(() => serviceNow.close())
const data = serviceNow.instance.data
// catalog items as the SIM orders them: they define correlation_id and the rendered fields
const catalogItem = (name: string) =>
  defineCatalogItem(data, name, { extraVariables: ['short_description', 'description'] })

const hubLink: HubLink = { url: '', token: '' }
const tenant = await startIdentityNowEmulator({ hub: hubLink })
t.teardown(() => tenant.close())
const hub = await startHub(t, {
  listen: true,
  pollCron: false,
  now: () => clock,
  tenant: { url: tenant.url, clientId: tenant.client.clientId, clientSecret: tenant.client.clientSecret },
})
hubLink.url = hub.url
hubLink.token = hub.hubToken

const source1 = tenant.tenant.addSource('Source 1')
const source2 = tenant.tenant.addSource('Source 2')
const source3 = tenant.tenant.addSource('Source 3')
const jane = tenant.tenant.addIdentity('Jane Doe', 'prehire')
const mainframeOps = tenant.tenant.addRole('Mainframe operator', [
  { sourceId: source3.id, attribute: 'groups', value: 'OPS' },
])

// the integration, configured the way SailPoint tooling does it (the SIM endpoint)
const created = await hub.app.inject({
  method: 'POST',
  url: '/beta/sim-integrations',
  headers: { authorization: `Bearer ${hub.adminToken}` },
  payload: {
    name: 'ServiceNow SIM',
    description: 'Sources 2 and 3 provision through ServiceNow tickets',
    type: 'ServiceNow Service Desk',
    sources: [source2.id, source3.id],
    cluster: 'xyzzy999',
    statusMap: { requested: 'Queued', in_process: 'Queued', closed_complete: 'Committed', closed_incomplete: 'Failed' },
    request: { short_description: 'SailPoint Access Request $!plan.arguments.identityRequestId' },
    attributes: {
      url: serviceNow.url,
      authType: 'Basic',
      username: 'admin',
      password: 'admin',
      catalogItem: { [source2.id]: catalogItem('Badge'), [source3.id]: catalogItem('Mainframe') },
    },
  },
})
t.equal(created.statusCode, 200)

const closeTicket = (number: string, state: string) => {
  const store = data.storeOf(data.table('sc_request'))
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    if (store.value(row, 'number') === number)
      data.update('sc_request', store.value(row, 'sys_id'), { request_state: state }, 'admin')
  }
}

t.test(
  'Pre-Hire -> Active: source 1 as before, sources 2 and 3 by ticket, completed when ServiceNow closes them',
  async (t) => {
    const activity = await tenant.provision(tenant.tenant.lifecycleChange(jane.id, 'active'))
    const bySource = new Map(activity.items.map((i) => [i.sourceId, i]))
    t.match(
      bySource.get(source1.id),
      { provisioningStatus: 'COMMITED', ticketId: null, operation: 'Create' },
      'source 1: its own connector',
    )
    t.match(bySource.get(source2.id), { provisioningStatus: 'PENDING', ticketId: /^REQ/, operation: 'Create' })
    t.match(bySource.get(source3.id), { provisioningStatus: 'PENDING', ticketId: /^REQ/, operation: 'Create' })
    t.equal(activity.completionStatus, 'PENDING')

    closeTicket(bySource.get(source2.id)!.ticketId!, 'closed_complete')
    clock = new Date(clock.getTime() + 31 * 60_000)
    await hub.app.identitynow.provisioning.poll()
    t.equal(activity.completionStatus, 'PENDING', 'one ticket still open')
    t.equal(bySource.get(source2.id)?.provisioningStatus, 'COMMITED')

    closeTicket(bySource.get(source3.id)!.ticketId!, 'closed_complete')
    clock = new Date(clock.getTime() + 31 * 60_000)
    await hub.app.identitynow.provisioning.poll()
    t.equal(activity.completionStatus, 'SUCCESS', 'the tenant saw both tickets close')
    t.equal(tenant.tenant.closeRequests.length, 2)
    t.match(tenant.tenant.closeRequests[0], {
      accessRequestIds: [activity.id],
      completionStatus: 'Success',
      executionStatus: 'Completed',
    })
  },
)

t.test('role grant: a Modify ticket on source 3, failed when ServiceNow closes it incomplete', async (t) => {
  const activity = await tenant.provision(tenant.tenant.grantRole(jane.id, mainframeOps.id), 'appRequest')
  t.equal(activity.items.length, 1)
  const item = activity.items[0]!
  t.match(item, { sourceId: source3.id, operation: 'Modify', provisioningStatus: 'PENDING', ticketId: /^REQ/ })
  closeTicket(item.ticketId!, 'closed_incomplete')
  clock = new Date(clock.getTime() + 31 * 60_000)
  await hub.app.identitynow.provisioning.poll()
  t.equal(item.provisioningStatus, 'FAILED')
  t.equal(activity.completionStatus, 'FAILURE')
  const access = await tenant.provision(tenant.tenant.accessRequest(jane.id, source1.id, 'groups', 'VPN'), 'appRequest')
  t.equal(access.completionStatus, 'SUCCESS', 'an access request on an unmanaged source needs no ticket')
})

// Provisioning to tickets on the ServiceNow emulator: the seed's three sources (2 and 3 managed
// by a catalog-request integration, 1 not), every account operation, every ticket type (order_now,
// two-step cart, incident, generic table), status mapping, unknown states, max-days outcome,
// manual close, retried intake and a crash between create and record giving one ticket.
import t from 'tap'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { defineCatalogItem } from '../../../connectors/servicenow/emulator/seed/catalog-items.ts'
import type { ProvisioningPlan } from '../../../connectors/identitynow/provisioning/plan.ts'
import { postPlan, startHub } from './harness.ts'

const SOURCE_1 = { id: '2c9180835d191a86015d28455b4a0001', name: 'Source 1 (Active Directory)' }
const SOURCE_2 = { id: '2c9180835d191a86015d28455b4a0002', name: 'Source 2 (Badge system)' }
const SOURCE_3 = { id: '2c9180835d191a86015d28455b4a0003', name: 'Source 3 (Mainframe)' }
const SOURCE_4 = { id: '2c9180835d191a86015d28455b4a0004', name: 'Source 4 (Incident desk)' }
const SOURCE_5 = { id: '2c9180835d191a86015d28455b4a0005', name: 'Source 5 (Task desk)' }
const SOURCE_6 = { id: '2c9180835d191a86015d28455b4a0006', name: 'Source 6 (Cart desk)' }

let clock = new Date('2026-11-24T08:00:00Z')
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms))

const emulator = await startServiceNowEmulator({ now: () => clock })
t.teardown(() => emulator.close())
const data = emulator.instance.data
// the items define correlation_id and the variables the integrations' templates fill
const item = (name: string) =>
  defineCatalogItem(data, name, { extraVariables: ['short_description', 'description', 'employee_name'] })
const badgeItem = item('Badge access')
const mainframeItem = item('Mainframe account')
const cartItem = item('Cart desk access')

const hub = await startHub(t, { pollCron: false, now: () => clock, createLeaseMs: 60_000 })
const idn = hub.app.identitynow
const events: unknown[] = []
hub.app.bus.subscribe('provisioning.completed', (e) => events.push(e))

const common = { url: emulator.url, authType: 'Basic', username: 'admin', password: 'admin' }
const catalogSdim = await idn.integrations.create({
  name: 'ServiceNow catalog',
  description: 'sources 2 and 3',
  type: 'ServiceNowSDIM',
  managedSources: [SOURCE_2.id],
  provisioningConfig: { managedResourceRefs: [{ type: 'SOURCE', id: SOURCE_3.id, name: SOURCE_3.name }] },
  attributes: {
    ...common,
    ticketType: 'serviceRequest',
    catalogItem: { [SOURCE_2.id]: badgeItem, [SOURCE_3.id]: mainframeItem },
    request: {
      short_description: 'SailPoint Access Request $!plan.arguments.identityRequestId',
      employee_name: '$!plan.arguments.displayName',
    },
    statusMap: { requested: 'Queued', in_process: 'Queued', closed_complete: 'Committed', closed_incomplete: 'Failed' },
    maxDaysOutcome: 'Failed',
  },
})
const incidentSdim = await idn.integrations.create({
  name: 'ServiceNow incidents',
  description: 'source 4',
  type: 'Generic SDIM',
  managedSources: [SOURCE_4.id],
  attributes: { ...common, ticketType: 'incident', descriptionLimit: 200, maxDaysOutcome: 'Pending' },
})
await idn.integrations.create({
  name: 'ServiceNow tasks',
  description: 'source 5',
  type: 'Generic SDIM',
  managedSources: [SOURCE_5.id],
  attributes: {
    ...common,
    ticketType: 'generic',
    table: 'sc_task',
    statusMap: { '1': 'Queued', '3': 'Committed', '4': 'Failed' },
  },
})
await idn.integrations.create({
  name: 'ServiceNow cart',
  description: 'source 6, two-step checkout',
  type: 'ServiceNowSDIM',
  managedSources: [SOURCE_6.id],
  attributes: {
    ...common,
    ticketType: 'serviceRequest',
    checkout: 'cart',
    trackTable: 'sc_req_item',
    catalogItem: { [SOURCE_6.id]: cartItem },
  },
})

const plan = (requestId: string, requests: ProvisioningPlan['accountRequests']): ProvisioningPlan => ({
  requestId,
  identity: { id: 'e0c2bb0ad3a4445d9c5d4f2b7b8d3f11', name: 'Jane Doe' },
  arguments: { displayName: 'Jane Doe', uid: 'jdoe' },
  accountRequests: requests,
})

async function intake(p: ProvisioningPlan) {
  const { status, sources } = await postPlan(hub, p)
  t.equal(status, 200, `intake of ${p.requestId}`)
  return sources
}

const setState = (table: string, number: string, values: Record<string, string>) => {
  data.update(table, findByNumber(table, number), values, 'admin')
}
function findByNumber(table: string, number: string): string {
  const store = data.storeOf(data.table(table))
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    if (store.value(row, 'number') === number) return store.value(row, 'sys_id')
  }
  throw new Error(`no ${table} ${number}`)
}
const countWhere = (table: string, field: string, value: string) => {
  const store = data.storeOf(data.table(table))
  let n = 0
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    // tables of one hierarchy (task) share a store: count only rows of this class
    if (store.value(row, field) === value && data.classOf(store, row) === table) n++
  }
  return n
}

t.test('the seed picture: sources 2 and 3 become tickets, source 1 provisions normally', async (t) => {
  const sources = await intake(
    plan('IR-LCS-1', [
      {
        source: SOURCE_1,
        nativeIdentity: 'jdoe',
        operation: 'Create',
        attributeRequests: [{ name: 'memberOf', value: 'CN=Staff', operation: 'Add' }],
      },
      {
        source: SOURCE_2,
        nativeIdentity: 'jdoe',
        operation: 'Create',
        attributeRequests: [{ name: 'badge', value: 'HQ', operation: 'Set' }],
      },
      { source: SOURCE_3, nativeIdentity: 'JDOE01', operation: 'Enable' },
    ]),
  )
  t.match(sources, [
    { sourceId: SOURCE_1.id, routing: 'not-ours' },
    { sourceId: SOURCE_2.id, routing: 'ticket', state: 'queued', ticketId: /^REQ/, integrationId: catalogSdim.id },
    { sourceId: SOURCE_3.id, routing: 'ticket', state: 'queued', ticketId: /^REQ/ },
  ])
  const [, two, three] = sources as Array<{ ticketId: string; correlationId: string }>
  const req = findByNumber('sc_request', two!.ticketId)
  t.equal(
    data.value(data.get('sc_request', req)!, 'correlation_id'),
    two!.correlationId,
    'the correlation id is on the ticket',
  )
  const variables = [...emulator.instance.itemVariables.values()].find((v) => v.correlation_id === two!.correlationId)
  t.match(
    variables,
    { short_description: 'SailPoint Access Request IR-LCS-1', employee_name: 'Jane Doe' },
    'templates rendered into catalog variables',
  )

  // ServiceNow works the tickets: 2 completes, 3 is rejected as incomplete
  setState('sc_request', two!.ticketId, { request_state: 'closed_complete' })
  setState('sc_request', three!.ticketId, { request_state: 'closed_incomplete' })
  const early = await idn.provisioning.poll()
  t.equal(early.checked, 0, 'nothing is checked before the interval')
  advance(30 * 60_000)
  const summary = await idn.provisioning.poll()
  t.equal(summary.completed, 2)
  const rec2 = await idn.records.get(two!.correlationId)
  const rec3 = await idn.records.get(three!.correlationId)
  t.equal(rec2?.state, 'committed')
  t.equal(rec3?.state, 'failed')
  t.match(events, [
    { ticketId: two!.ticketId, provisioningTarget: 'ServiceNow catalog', result: 'SUCCESS' },
    { ticketId: three!.ticketId, provisioningTarget: 'ServiceNow catalog', result: 'FAILED' },
  ])
  const rest = await hub.app.inject({
    url: `/api/v1/identitynow/provisioning/${two!.ticketId}`,
    headers: { authorization: `Bearer ${hub.hubToken}` },
  })
  t.match(rest.json(), {
    state: 'committed',
    completion: {
      accountRequests: [
        {
          ticketId: two!.ticketId,
          provisioningTarget: 'ServiceNow catalog',
          provisioningResult: 'SUCCESS',
          accountOperation: 'Create',
        },
      ],
    },
  })
})

t.test('every account operation, incident tickets, long descriptions cut with the plan kept', async (t) => {
  const ops = ['Create', 'Modify', 'Enable', 'Disable', 'Unlock', 'Delete'] as const
  for (const operation of ops) {
    const sources = await intake(
      plan(`IR-OP-${operation}`, [
        {
          source: SOURCE_4,
          nativeIdentity: 'jdoe',
          operation,
          attributeRequests: [
            { name: 'groups', value: ['g1', 'g2'], operation: 'Add' },
            { name: 'title', value: 'Engineer '.repeat(30), operation: 'Set' },
            { name: 'legacy', value: 'x', operation: 'Remove' },
          ],
        },
      ]),
    )
    const ticket = (sources[0] as { ticketId: string }).ticketId
    t.match(ticket, /^INC/, `${operation}: an incident`)
    const sysId = findByNumber('incident', ticket)
    const description = data.value(data.get('incident', sysId)!, 'description')
    t.ok(
      description.startsWith(`${operation} account jdoe on ${SOURCE_4.name}`),
      `${operation}: rendered from the plan`,
    )
    t.ok(description.length <= 200, 'capped at descriptionLimit')
    t.match(description, /cut; the full provisioning plan is in the work notes/)
  }
})

t.test('generic table, two-step cart, unknown state, max days, manual close', async (t) => {
  const [task] = (await intake(
    plan('IR-TASK', [{ source: SOURCE_5, nativeIdentity: 'jdoe', operation: 'Modify' }]),
  )) as Array<{ ticketId: string; correlationId: string }>
  t.match(task!.ticketId, /^SCTASK/, 'a generic record in sc_task')
  const [cart] = (await intake(
    plan('IR-CART', [{ source: SOURCE_6, nativeIdentity: 'jdoe', operation: 'Create' }]),
  )) as Array<{ ticketId: string; correlationId: string }>
  t.match(cart!.ticketId, /^RITM/, 'the two-step cart, tracked on the requested item')
  const [stuck] = (await intake(
    plan('IR-STUCK', [{ source: SOURCE_4, nativeIdentity: 'jdoe', operation: 'Disable' }]),
  )) as Array<{ ticketId: string; correlationId: string }>
  const [never] = (await intake(
    plan('IR-NEVER', [{ source: SOURCE_2, nativeIdentity: 'jdoe', operation: 'Unlock' }]),
  )) as Array<{ ticketId: string; correlationId: string }>

  setState('sc_task', task!.ticketId, { state: '-5' })
  setState('sc_req_item', cart!.ticketId, { state: '3' })
  advance(31 * 60_000)
  const first = await idn.provisioning.poll()
  t.ok(first.warnings >= 1, 'an unmapped state warns')
  t.equal((await idn.records.get(task!.correlationId))?.state, 'queued', 'and stays queued')
  t.match((await idn.records.get(task!.correlationId))?.message, /not in the status map/)
  t.equal((await idn.records.get(cart!.correlationId))?.state, 'committed', 'RITM state 3 is Committed by default')

  const manual = await hub.app.inject({
    method: 'POST',
    url: `/api/v1/identitynow/provisioning/${task!.ticketId}/close`,
    headers: { authorization: `Bearer ${hub.hubToken}` },
    payload: { result: 'Committed', message: 'done outside ServiceNow' },
  })
  t.equal(manual.statusCode, 200)
  t.match(manual.json(), { state: 'committed', closedBy: 'manual:admin (CROSSWALK_ADMIN_TOKEN)' })
  const again = await hub.app.inject({
    method: 'POST',
    url: `/api/v1/identitynow/provisioning/${task!.ticketId}/close`,
    headers: { authorization: `Bearer ${hub.hubToken}` },
    payload: { result: 'Failed' },
  })
  t.equal(again.statusCode, 409, 'a closed record stays closed')

  // two days pass (the default provisioningMaxStatusCheckDays): outcomes as configured
  advance(2 * 86_400_000)
  const late = await idn.provisioning.poll()
  t.ok(late.expired >= 2)
  t.equal((await idn.records.get(never!.correlationId))?.state, 'failed', 'catalog integration: maxDaysOutcome Failed')
  t.equal(
    (await idn.records.get(stuck!.correlationId))?.state,
    'expired',
    'incident integration: maxDaysOutcome Pending',
  )
  t.equal((await idn.records.get(stuck!.correlationId))?.result, 'PENDING')
})

t.test('exactly one ticket: retried intake, and a crash between create and record', async (t) => {
  const p = plan('IR-RETRY', [{ source: SOURCE_4, nativeIdentity: 'jdoe', operation: 'Create' }])
  const first = (await intake(p))[0] as { ticketId: string; correlationId: string }
  const second = (await intake(p))[0] as { ticketId: string; duplicate: boolean }
  t.equal(second.ticketId, first.ticketId, 'the retry answers the same ticket')
  t.equal(second.duplicate, true)
  t.equal(countWhere('incident', 'correlation_id', first.correlationId), 1, 'one incident')

  // crash: the ticket was created in ServiceNow but the hub died before recording it
  for (const [source, table, requestId] of [
    [SOURCE_4, 'incident', 'IR-CRASH-INC'],
    [SOURCE_3, 'sc_req_item', 'IR-CRASH-CAT'],
  ] as const) {
    const crashPlan = plan(requestId, [{ source, nativeIdentity: 'jdoe', operation: 'Modify' }])
    const recordTicket = idn.records.recordTicket.bind(idn.records)
    idn.records.recordTicket = async () => {
      throw new Error('hub died')
    }
    const crashed = (await intake(crashPlan))[0] as { correlationId: string; state: string }
    idn.records.recordTicket = recordTicket
    t.equal(crashed.state, 'creating', `${table}: the record never saw its ticket`)
    t.equal(countWhere(table, 'correlation_id', crashed.correlationId), 1, `${table}: but the ticket exists`)
    const retried = (await intake(crashPlan))[0] as { duplicate: boolean }
    t.equal(retried.duplicate, true, 'a retried intake does not create again')
    advance(2 * 60_000)
    const repair = await idn.provisioning.poll()
    t.ok(repair.repaired >= 1, 'the poller repairs the interrupted create')
    const fixed = await idn.records.get(crashed.correlationId)
    t.equal(fixed?.state, 'queued')
    t.equal(countWhere(table, 'correlation_id', crashed.correlationId), 1, `${table}: still one ticket`)
  }
  void incidentSdim
})

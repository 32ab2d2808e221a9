// A crash between ordering a catalog item and marking the order: recovery adopts the order whose
// correlation_id variable answer is the plan's own id. Two plans for the same catalog item, both
// interrupted, recovered in the "wrong" order (the later claim first) each get their own order;
// taking "the oldest unmarked order of the item since the claim" swapped them. An item without
// the variable is left for a decision by hand, and the release check says so. An item that gets
// the variable from a variable set (io_set_item) is recovered like one that defines it itself.
import t from 'tap'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import {
  attachVariableSet,
  defineCatalogItem,
  defineVariableSet,
} from '../../../connectors/servicenow/emulator/seed/catalog-items.ts'
import { ServiceNowDesk } from '../../../connectors/identitynow/tickets/servicenow-desk.ts'
import type { ProvisioningPlan } from '../../../connectors/identitynow/provisioning/plan.ts'
import { emulatorConnection, manualClock, postPlan, startHub } from './harness.ts'

const SOURCE = { id: '2c9180835d191a86015d28455b4a0102', name: 'Badge system' }
const BARE_SOURCE = { id: '2c9180835d191a86015d28455b4a0103', name: 'Door system' }
const SET_SOURCE = { id: '2c9180835d191a86015d28455b4a0104', name: 'Locker system' }

const { now, advance } = manualClock()
const emulator = await startServiceNowEmulator({ now })
t.teardown(() => emulator.close())
const { data } = emulator.instance
const badgeItem = defineCatalogItem(data, 'Badge access', { extraVariables: ['short_description', 'description'] })
// an item as many instances have them: no correlation_id variable
const doorItem = defineCatalogItem(data, 'Door access', {
  variables: [{ name: 'short_description', question: 'Summary', type: '6' }],
})
// an item whose correlation_id comes only from a variable set shared with other items
const lockerItem = defineCatalogItem(data, 'Locker access', {
  variables: [],
  extraVariables: ['short_description', 'description'],
})
defineVariableSet(
  data,
  'IdentityNow tracking',
  [{ name: 'correlation_id', question: 'Correlation id', type: '6' }],
  [lockerItem],
)

const hub = await startHub(t, { pollCron: false, now, createLeaseMs: 60_000 })
const idn = hub.app.identitynow
const integration = await idn.integrations.create({
  name: 'ServiceNow catalog',
  description: 'badge and door sources',
  type: 'ServiceNowSDIM',
  managedSources: [SOURCE.id, BARE_SOURCE.id, SET_SOURCE.id],
  attributes: {
    ...emulatorConnection(emulator.url),
    ticketType: 'serviceRequest',
    trackTable: 'sc_req_item',
    catalogItem: { [SOURCE.id]: badgeItem, [BARE_SOURCE.id]: doorItem, [SET_SOURCE.id]: lockerItem },
  },
})
const client = await idn.serviceNowClients.clientFor(integration)

const plan = (requestId: string, source = SOURCE): ProvisioningPlan => ({
  requestId,
  identity: { id: 'e0c2bb0ad3a4445d9c5d4f2b7b8d3f11', name: 'Jane Doe' },
  arguments: { identityRequestId: requestId },
  accountRequests: [{ source, nativeIdentity: `jdoe-${requestId}`, operation: 'Create' }],
})

interface SourceAnswer {
  correlationId: string
  state: string
  ticketId: string | null
}
async function intake(p: ProvisioningPlan): Promise<SourceAnswer> {
  const { status, sources } = await postPlan(hub, p)
  t.equal(status, 200, `intake of ${p.requestId}`)
  return sources[0] as unknown as SourceAnswer
}

/** The hub dies at a step of a catalog create (the order, or the marking after it); the store records nothing more. */
async function dieAt<T>(step: 'order' | 'marking', run: () => Promise<T>): Promise<T> {
  const { orderCatalogItem, updateRecord } = client
  const failCreate = idn.records.failCreate
  const died = async (): Promise<never> => {
    throw new Error('hub died')
  }
  if (step === 'order') client.orderCatalogItem = died
  else client.updateRecord = died
  idn.records.failCreate = async () => undefined
  try {
    return await run()
  } finally {
    client.orderCatalogItem = orderCatalogItem
    client.updateRecord = updateRecord
    idn.records.failCreate = failCreate
  }
}
const dieAfterOrdering = <T>(run: () => Promise<T>) => dieAt('marking', run)
const dieBeforeOrdering = <T>(run: () => Promise<T>) => dieAt('order', run)

/** RITMs of a catalog item, with the correlation variable answer each order carried. */
function ordersOf(catalogItem: string): Array<{ sysId: string; number: string; marked: string; carried: string }> {
  const store = data.storeOf(data.table('sc_req_item'))
  const out = []
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    if (store.value(row, 'cat_item') !== catalogItem || data.classOf(store, row) !== 'sc_req_item') continue
    const sysId = store.value(row, 'sys_id')
    out.push({
      sysId,
      number: store.value(row, 'number'),
      marked: store.value(row, 'correlation_id'),
      carried: emulator.instance.itemVariables.get(sysId)?.correlation_id ?? '',
    })
  }
  return out
}

t.test('two interrupted orders of one item, recovered later claim first: each plan gets its own order', async (t) => {
  const a = await dieAfterOrdering(() => intake(plan('IR-SWAP-A')))
  advance(1_000)
  const b = await dieAfterOrdering(() => intake(plan('IR-SWAP-B')))
  t.equal(a.state, 'creating')
  t.equal(b.state, 'creating')
  const orders = ordersOf(badgeItem)
  t.equal(orders.length, 2, 'both orders reached ServiceNow')
  t.same(
    orders.map((o) => o.marked),
    ['', ''],
    'neither was marked',
  )
  t.same(orders.map((o) => o.carried).sort(), [a.correlationId, b.correlationId].sort(), 'each carries its plan id')

  // the first repair pass cannot reach ServiceNow for A (a transient failure), so B is recovered first
  const find = client.findRecord
  let refusedA = false
  client.findRecord = async (table, field, value, signal) => {
    if (!refusedA && value === a.correlationId) {
      refusedA = true
      throw new Error('ServiceNow answered 503')
    }
    return find.call(client, table, field, value, signal)
  }
  advance(2 * 60_000)
  try {
    const first = await idn.provisioning.poll()
    t.equal(first.repaired, 1, 'B is repaired, A waits for its retry')
  } finally {
    client.findRecord = find
  }
  t.equal((await idn.records.get(a.correlationId))?.state, 'creating')
  advance(2 * 60_000)
  const second = await idn.provisioning.poll()
  t.equal(second.repaired, 1, 'then A')

  const after = ordersOf(badgeItem)
  t.equal(after.length, 2, 'no order was placed again')
  for (const [name, id] of [
    ['A', a.correlationId],
    ['B', b.correlationId],
  ] as const) {
    const record = await idn.records.get(id)
    t.equal(record?.state, 'queued', `${name} is recorded`)
    const own = after.find((o) => o.carried === id)
    t.equal(record?.ticketNumber, own?.number, `${name} holds the order that carried its id`)
    t.equal(own?.marked, id, `${name}'s order is marked with its id`)
    const request = data.get('sc_req_item', own!.sysId)!
    const req = data.get('sc_request', data.value(request, 'request'))!
    t.equal(data.value(req, 'correlation_id'), id, `${name}'s request is marked too`)
    t.equal(
      emulator.instance.itemVariables.get(own!.sysId)?.short_description,
      `SailPoint Access Request IR-SWAP-${name}`,
      `${name}'s ticket shows its own plan`,
    )
  }
})

t.test('an interruption before the order: the repair orders once', async (t) => {
  const c = await dieBeforeOrdering(() => intake(plan('IR-NEVER-ORDERED')))
  const before = ordersOf(badgeItem).length
  advance(2 * 60_000)
  t.equal((await idn.provisioning.poll()).repaired, 1)
  const record = await idn.records.get(c.correlationId)
  t.equal(record?.state, 'queued')
  t.equal(ordersOf(badgeItem).length, before + 1, 'one new order, carrying the plan id')
  t.equal(ordersOf(badgeItem).find((o) => o.carried === c.correlationId)?.number, record?.ticketNumber)
})

t.test('an item without the correlation_id variable: no guess, a decision by hand', async (t) => {
  const d = await dieAfterOrdering(() => intake(plan('IR-DOOR', BARE_SOURCE)))
  t.equal(ordersOf(doorItem).length, 1)
  advance(2 * 60_000)
  const pass = await idn.provisioning.poll()
  t.equal(pass.repaired, 0)
  t.ok(pass.warnings >= 1, 'counted as a warning')
  const record = await idn.records.get(d.correlationId)
  t.equal(record?.state, 'creating', 'left open')
  t.match(
    record?.message,
    /^CW_IDN_CATALOG_ORPHAN_UNRESOLVED: .*has no "correlation_id" variable \(on the item or in a variable set/,
  )
  t.equal(ordersOf(doorItem).length, 1, 'and nothing ordered again')

  const check = await hub.app.inject({
    url: `/api/v1/identitynow/integrations/${integration.id}/servicenow-release`,
    headers: { authorization: `Bearer ${hub.hubToken}` },
  })
  t.equal(check.statusCode, 200)
  t.match(check.json(), {
    level: 'warning',
    catalogWarnings: [{ code: 'CW_IDN_CATALOG_VARIABLE_MISSING', sourceId: BARE_SOURCE.id, catalogItem: doorItem }],
  })
  t.equal(check.json().catalogWarnings.length, 1, 'the badge item defines it, the locker item has it from its set')

  // a person marks the right requested item: the next check adopts it
  const [orphan] = ordersOf(doorItem)
  data.update('sc_req_item', orphan!.sysId, { correlation_id: d.correlationId }, 'admin')
  advance(31 * 60_000)
  t.equal((await idn.provisioning.poll()).repaired, 1)
  t.equal((await idn.records.get(d.correlationId))?.ticketNumber, orphan!.number)
})

t.test('correlation_id from a variable set: adopted by its answer, ordered once, not reported missing', async (t) => {
  const e = await dieAfterOrdering(() => intake(plan('IR-LOCKER-ORDERED', SET_SOURCE)))
  t.equal(e.state, 'creating')
  const [interrupted] = ordersOf(lockerItem)
  t.equal(interrupted?.carried, e.correlationId, 'the set variable carried the plan id')
  t.equal(interrupted?.marked, '', 'not marked')
  const f = await dieBeforeOrdering(() => intake(plan('IR-LOCKER-NEVER', SET_SOURCE)))
  t.equal(f.state, 'creating')
  t.equal(ordersOf(lockerItem).length, 1, 'only the first reached ServiceNow')

  advance(2 * 60_000)
  const pass = await idn.provisioning.poll()
  t.equal(pass.repaired, 2, 'both repaired, no decision by hand')
  const adopted = await idn.records.get(e.correlationId)
  t.equal(adopted?.state, 'queued')
  t.equal(adopted?.ticketNumber, interrupted?.number, 'the interrupted order is adopted')
  const ordered = await idn.records.get(f.correlationId)
  t.equal(ordered?.state, 'queued', `ordered, not ${ordered?.message ?? ''}`)
  const after = ordersOf(lockerItem)
  t.equal(after.length, 2, 'the plan that never reached ServiceNow is ordered exactly once')
  const own = after.find((o) => o.carried === f.correlationId)
  t.equal(own?.number, ordered?.ticketNumber)
  t.equal(own?.marked, f.correlationId)

  const check = await hub.app.inject({
    url: `/api/v1/identitynow/integrations/${integration.id}/servicenow-release`,
    headers: { authorization: `Bearer ${hub.hubToken}` },
  })
  t.equal(check.statusCode, 200)
  const listed = (check.json().catalogWarnings ?? []).map((w: { catalogItem: string }) => w.catalogItem)
  t.same(listed, [doorItem], 'the locker item is not listed; the door item still is')
})

t.test('the variable set lookup: two reads for an item, set ids sent in chunks when an item has many', async (t) => {
  const desk = new ServiceNowDesk()
  // Table API queries, not pages: a query's next pages carry the reader's ^sys_id> keyset
  const reads = () =>
    emulator.instance.requestLog.filter(
      (r) => r.url.startsWith('/api/now/table/') && !decodeURIComponent(r.url).includes('^sys_id>'),
    ).length
  let before = reads()
  t.equal(await desk.definesCorrelationVariable(client, lockerItem), true, 'from its set')
  t.equal(reads() - before, 2, 'io_set_item, then item_option_new')

  const crowded = defineCatalogItem(data, 'Crowded item', { variables: [] })
  for (let i = 0; i < 150; i++) {
    defineVariableSet(data, `Set ${i}`, [{ name: `question_${i}`, question: `Question ${i}`, type: '6' }], [crowded])
  }
  before = reads()
  t.equal(await desk.definesCorrelationVariable(client, crowded), false, '150 sets, none with correlation_id')
  t.equal(reads() - before, 3, 'the sets, then two chunks of set ids')
  const late = defineVariableSet(data, 'Late tracking', [
    { name: 'correlation_id', question: 'Correlation id', type: '6' },
  ])
  attachVariableSet(data, crowded, late)
  t.equal(await desk.definesCorrelationVariable(client, crowded), true, 'found among 151 sets')
  t.equal(await desk.definesCorrelationVariable(client, doorItem), false, 'no set, no own variable')
})

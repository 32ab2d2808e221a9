// Benchmark: provisioning plans to ServiceNow tickets and to closure, against the ServiceNow
// emulator, through the hub's provisioning service (intake, correlation, poll, completion).
// Half the plans go to a catalog-request integration (order_now), half to an incident one.
// Reports plans/s for intake and for closure, ServiceNow requests per plan, and duplicates
// (tickets sharing a correlation id; must be 0), also after re-sending a tenth of the plans.
//
//   npx node test/bench/identitynow-tickets.ts [plans=10000] [concurrency=8]
import { performance } from 'node:perf_hooks'
import { startServiceNowEmulator } from '../../connectors/servicenow/emulator/index.ts'
import { defineCatalogItem } from '../../connectors/servicenow/emulator/seed/catalog-items.ts'
import type { ProvisioningPlan } from '../../connectors/identitynow/provisioning/plan.ts'
import { startHub } from '../integration/identitynow/harness.ts'

const total = Number(process.argv[2] ?? 10_000)
const concurrency = Number(process.argv[3] ?? 8)
const cleanups: Array<() => unknown> = []
const lifecycle = { teardown: (fn: () => unknown) => void cleanups.push(fn) }

let clock = new Date('2026-11-24T08:00:00Z')
const serviceNow = await startServiceNowEmulator({
  now: () => clock,
  concurrency: { maxConcurrent: 64, queueDepth: 1000 },
})
cleanups.push(() => serviceNow.close())
const data = serviceNow.instance.data
// the item defines correlation_id (so an interrupted order can be recovered) and the fields the
// default templates fill
const item = defineCatalogItem(data, 'Bench access', { extraVariables: ['short_description', 'description'] })

const hub = await startHub(lifecycle, { pollCron: false, now: () => clock })
const idn = hub.app.identitynow
const common = {
  url: serviceNow.url,
  authType: 'Basic',
  username: 'admin',
  password: 'admin',
  concurrency: concurrency,
}
const CATALOG_SOURCE = 'bench0000000000000000000000000001'
const INCIDENT_SOURCE = 'bench0000000000000000000000000002'
await idn.integrations.create({
  name: 'bench catalog',
  description: 'bench',
  type: 'ServiceNowSDIM',
  managedSources: [CATALOG_SOURCE],
  attributes: { ...common, ticketType: 'serviceRequest', catalogItem: { [CATALOG_SOURCE]: item } },
})
await idn.integrations.create({
  name: 'bench incidents',
  description: 'bench',
  type: 'Generic SDIM',
  managedSources: [INCIDENT_SOURCE],
  attributes: { ...common, ticketType: 'incident' },
})

const plan = (i: number): ProvisioningPlan => ({
  requestId: `BENCH-${i}`,
  identity: { id: `identity-${i}`, name: `User ${i}` },
  accountRequests: [
    {
      source: {
        id: i % 2 === 0 ? CATALOG_SOURCE : INCIDENT_SOURCE,
        name: i % 2 === 0 ? 'Catalog source' : 'Incident source',
      },
      nativeIdentity: `user${i}`,
      operation: 'Create',
      attributeRequests: [{ name: 'groups', value: 'staff', operation: 'Add' }],
    },
  ],
})

async function inParallel(count: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++)
    }),
  )
}

function duplicates(): number {
  const seen = new Map<string, number>()
  for (const table of ['incident', 'sc_request']) {
    const store = data.storeOf(data.table(table))
    for (let i = 0; i < store.size; i++) {
      const row = store.at(i) as string[]
      if (data.classOf(store, row) !== table) continue
      const key = store.value(row, 'correlation_id')
      if (key) seen.set(`${table}:${key}`, (seen.get(`${table}:${key}`) ?? 0) + 1)
    }
  }
  return [...seen.values()].filter((n) => n > 1).length
}

const requestsBefore = idn.serviceNowClients.requestsSent
let t0 = performance.now()
await inParallel(total, async (i) => {
  await idn.provisioning.intake(plan(i))
})
const intakeSeconds = (performance.now() - t0) / 1000
const intakeRequests = idn.serviceNowClients.requestsSent - requestsBefore

// retried intake of a tenth of the plans must create nothing
await inParallel(Math.ceil(total / 10), async (i) => {
  await idn.provisioning.intake(plan(i * 10))
})

// ServiceNow closes every ticket; the hub polls them to closure
for (const table of ['incident', 'sc_request']) {
  const store = data.storeOf(data.table(table))
  const ids: string[] = []
  for (let i = 0; i < store.size; i++) {
    const row = store.at(i) as string[]
    if (data.classOf(store, row) === table) ids.push(store.value(row, 'sys_id'))
  }
  for (const id of ids)
    data.update(table, id, table === 'incident' ? { state: '6' } : { request_state: 'closed_complete' }, 'admin')
}
clock = new Date(clock.getTime() + 31 * 60_000)
const pollBefore = idn.serviceNowClients.requestsSent
t0 = performance.now()
let completed = 0
for (;;) {
  const summary = await idn.provisioning.poll(500)
  completed += summary.completed
  if (summary.checked === 0) break
}
const closeSeconds = (performance.now() - t0) / 1000
const pollRequests = idn.serviceNowClients.requestsSent - pollBefore
const counts = await idn.records.counts()

const report = {
  plans: total,
  concurrency,
  store: hub.app.db.kind,
  intake: { seconds: Number(intakeSeconds.toFixed(1)), plansPerSecond: Number((total / intakeSeconds).toFixed(1)) },
  closure: {
    seconds: Number(closeSeconds.toFixed(1)),
    plansPerSecond: Number((completed / closeSeconds).toFixed(1)),
    completed,
  },
  serviceNowRequestsPerPlan: {
    create: Number((intakeRequests / total).toFixed(2)),
    poll: Number((pollRequests / total).toFixed(2)),
    total: Number(((intakeRequests + pollRequests) / total).toFixed(2)),
  },
  duplicates: duplicates(),
  records: counts,
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
for (const cleanup of cleanups.reverse()) await cleanup()
if (report.duplicates !== 0 || completed !== total) process.exitCode = 1

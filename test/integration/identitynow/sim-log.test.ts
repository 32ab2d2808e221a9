// The SIM's background work shows in the log at info, each line with the ids a person follows it
// by (issue 12): a ticket created for a plan, its status changed in ServiceNow, the ticket closed.
import { test } from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { emulatorConnection } from './harness.ts'

test('a ticket created, its status changed, closed: one info line each, with its ids', async (t) => {
  const serviceNow = await startServiceNowEmulator()
  t.teardown(() => serviceNow.close())
  const hub = await buildTestApp(t, { logLevel: 'info', config: { identitynow: { ticketPollCron: 'off' } } })
  const idn = hub.hub.identitynow
  const source = { id: '2c9180835d191a86015d28455b4a8888', name: 'Desk source' }
  const integration = await idn.integrations.create({
    name: 'desk',
    description: 'incidents',
    type: 'Generic SDIM',
    managedSources: [source.id],
    attributes: { ...emulatorConnection(serviceNow.url), ticketType: 'incident' },
  })
  const [outcome] = await idn.provisioning.intake({
    requestId: 'ar-logs-1',
    identity: { id: 'identity-1', name: 'Ada Lovelace' },
    accountRequests: [{ source, nativeIdentity: 'ada', operation: 'Create', attributeRequests: [] }],
  })
  const correlationId = String(outcome?.correlationId)
  const ticket = String(outcome?.ticketId)
  t.match(ticket, /^INC/)

  const lines = () =>
    hub.logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l.correlationId === correlationId)
  const data = serviceNow.instance.data
  const store = data.storeOf(data.table('incident'))
  const sysId = store.value(store.at(0) as string[], 'sys_id')
  const pollNow = async () => {
    // due now by the store's clock and the poller's alike (the two may differ by a few ms)
    await hub.db.query(
      "update idn_provisioning set next_check_at = now() - interval '1 minute' where correlation_id = $1",
      [correlationId],
    )
    return idn.provisioning.poll()
  }

  t.match(
    lines().filter((l) => l.msg === 'SIM ticket created'),
    [
      {
        level: 30,
        correlationId,
        integrationId: integration.id,
        sourceId: source.id,
        ticket,
        ticketSysId: sysId,
        table: 'incident',
      },
    ],
    'the ticket made for the plan',
  )

  data.update('incident', sysId, { state: '2' }, 'admin')
  t.match(await pollNow(), { checked: 1, completed: 0 })
  await pollNow() // unchanged: no second line
  t.match(
    lines().filter((l) => l.msg === 'SIM ticket status changed'),
    [{ level: 30, correlationId, integrationId: integration.id, ticket, ticketSysId: sysId, from: null, to: '2' }],
    'the status seen in ServiceNow, once',
  )

  data.update('incident', sysId, { state: '7' }, 'admin')
  t.match(await pollNow(), { checked: 1, completed: 1 })
  const changes = lines().filter((l) => l.msg === 'SIM ticket status changed')
  t.match(changes.at(-1), { from: '2', to: '7', status: 'Committed' })
  t.equal(changes.length, 2)
  t.match(
    lines().filter((l) => l.msg === 'SIM ticket closed'),
    [
      {
        level: 30,
        correlationId,
        integrationId: integration.id,
        ticket,
        ticketSysId: sysId,
        state: 'committed',
        closedBy: 'poller',
      },
    ],
    'the ticket closed, by the poller',
  )
})

// The admin API's lists of the SIM (what the console's IdentityNow screen reads): the
// provisioning records page by page, newest first, of one state or integration; and the service
// desk integrations in brief, without their attributes (instance URL and ticket type aside).
import t, { type Test } from 'tap'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import type { ProvisioningPlan } from '../../../connectors/identitynow/provisioning/plan.ts'
import { emulatorConnection, manualClock, postPlan, startHub } from './harness.ts'

const clock = manualClock()
const emulator = await startServiceNowEmulator({ now: clock.now })
t.teardown(() => emulator.close())
const hub = await startHub(t, { pollCron: false, now: clock.now })
const SOURCE_A = { id: '2c9180835d191a86015d28455b4a00a1', name: 'Source A' }
const SOURCE_B = { id: '2c9180835d191a86015d28455b4a00b1', name: 'Source B' }
/** an integration ticketing one source's provisioning as incidents on the emulator */
const incidentsOf = (name: string, source: { id: string; name: string }) =>
  hub.app.identitynow.integrations.create({
    name,
    description: source.name,
    type: 'Generic SDIM',
    managedSources: [source.id],
    attributes: { ...emulatorConnection(emulator.url), ticketType: 'incident' },
  })
const incidents = await incidentsOf('Incidents', SOURCE_A)
const others = await incidentsOf('Other incidents', SOURCE_B)

const plan = (requestId: string, source: { id: string; name: string }): ProvisioningPlan => ({
  requestId,
  identity: { id: 'e0c2bb0ad3a4445d9c5d4f2b7b8d3f11', name: 'Jane Doe' },
  accountRequests: [{ source, nativeIdentity: 'jdoe', operation: 'Create' }],
})
for (const [index, source] of [SOURCE_A, SOURCE_A, SOURCE_B].entries()) {
  clock.advance(60_000)
  const { status } = await postPlan(hub, plan(`IR-LIST-${index}`, source))
  if (status !== 200) throw new Error(`intake ${index} answered ${status}`)
}

const get = async (t: Test, url: string) => {
  const answer = await hub.app.inject({ url, headers: { authorization: `Bearer ${hub.hubToken}` } })
  t.equal(answer.statusCode, 200, url)
  return answer.json()
}

t.test('the records, newest first, paged and filtered', async (t) => {
  const all = await get(t, '/api/v1/identitynow/provisioning-records')
  t.equal(all.total, 3)
  t.match(
    all.items.map((r: { plan: { requestId: string } }) => r.plan.requestId),
    ['IR-LIST-2', 'IR-LIST-1', 'IR-LIST-0'],
  )
  t.match(all.items[0], { state: 'queued', ticketNumber: /^INC/, integrationId: others.id })

  const second = await get(t, '/api/v1/identitynow/provisioning-records?limit=1&offset=1')
  t.equal(second.total, 3, 'the total of every page')
  t.equal(second.items.length, 1)
  t.equal(second.items[0].correlationId, all.items[1].correlationId, 'the second record')

  const ofIncidents = await get(t, `/api/v1/identitynow/provisioning-records?integrationId=${incidents.id}`)
  t.equal(ofIncidents.total, 2, 'of one integration')

  const closed = await hub.app.inject({
    method: 'POST',
    url: `/api/v1/identitynow/provisioning/${all.items[0].ticketNumber}/close`,
    headers: { authorization: `Bearer ${hub.hubToken}` },
    payload: { result: 'Failed' },
  })
  t.equal(closed.statusCode, 200)
  const failed = await get(t, '/api/v1/identitynow/provisioning-records?state=failed')
  t.match(failed, { total: 1, items: [{ correlationId: all.items[0].correlationId, state: 'failed' }] })
  t.equal((await get(t, '/api/v1/identitynow/provisioning-records?state=queued')).total, 2, 'the others still queued')
})

t.test('the integrations in brief', async (t) => {
  const list = await get(t, '/api/v1/identitynow/integrations')
  t.same(
    list.items.map((i: { name: string }) => i.name),
    ['Incidents', 'Other incidents'],
  )
  t.match(list.items[0], {
    id: incidents.id,
    type: 'Generic SDIM',
    ticketType: 'incident',
    instance: emulator.url,
    managedSources: [SOURCE_A.id],
  })
  t.notMatch(JSON.stringify(list), /password|username/, 'no attribute besides the ticket type and instance')
})

// The release check against the ServiceNow emulator, which reports its release in sys_properties
// as an instance does (glide.war, glide.buildtag.last, glide.buildname): New York (the default)
// passes, a later release is supported, an old one such as Madrid warns, and so does an
// instance whose release properties cannot be read.
import t from 'tap'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { installRelease } from '../../../connectors/servicenow/emulator/seed/release.ts'
import { defineCatalogItem } from '../../../connectors/servicenow/emulator/seed/catalog-items.ts'
import { emulatorConnection, startHub } from './harness.ts'

const hub = await startHub(t, { pollCron: false })

async function checkOn(release: string | undefined) {
  const emulator = await startServiceNowEmulator(release ? { release } : {})
  t.teardown(() => emulator.close())
  const item = defineCatalogItem(emulator.instance.data, 'Badge access')
  const dto = await hub.app.identitynow.integrations.create({
    name: `ServiceNow ${release ?? 'default'} ${Math.random()}`,
    description: 'release check',
    type: 'ServiceNowSDIM',
    managedSources: [],
    attributes: {
      ...emulatorConnection(emulator.url),
      ticketType: 'serviceRequest',
      catalogItem: { '2c9180835d191a86015d28455b4a0002': item },
    },
  })
  const check = async () => {
    const res = await hub.app.inject({
      url: `/api/v1/identitynow/integrations/${dto.id}/servicenow-release`,
      headers: { authorization: `Bearer ${hub.hubToken}` },
    })
    t.equal(res.statusCode, 200)
    return res.json() as Record<string, unknown>
  }
  return { emulator, check }
}

t.test('the default emulator reports New York and passes without a warning', async (t) => {
  const { check } = await checkOn(undefined)
  const answer = await check()
  t.match(answer, { family: 'newyork', supported: true, level: 'ok', build: /^glide-newyork-06-26-2019__patch0-/ })
  t.notOk(answer.catalogWarnings, 'the item defines correlation_id')
})

t.test('an emulator on Madrid warns; one switched to Tokyo is supported', async (t) => {
  const { emulator, check } = await checkOn('madrid')
  t.match(await check(), { family: 'madrid', supported: false, level: 'warning', message: /older than New York/ })
  installRelease(emulator.instance.data, 'Tokyo')
  t.match(await check(), { family: 'tokyo', supported: true, level: 'info' })
})

t.test('the release name alone is enough; no release properties at all warns', async (t) => {
  const { emulator, check } = await checkOn('washingtondc')
  const data = emulator.instance.data
  const ids = (name: string) => {
    const store = data.storeOf(data.table('sys_properties'))
    const out: string[] = []
    for (let i = 0; i < store.size; i++) {
      const row = store.at(i) as string[]
      if (store.value(row, 'name') === name) out.push(store.value(row, 'sys_id'))
    }
    return out
  }
  for (const name of ['glide.war', 'glide.buildtag.last']) for (const id of ids(name)) data.delete('sys_properties', id)
  t.match(await check(), { family: 'washingtondc', supported: true, build: 'Washington DC' })
  for (const id of ids('glide.buildname')) data.delete('sys_properties', id)
  t.match(await check(), { supported: false, level: 'warning', message: /could not be read/ })
})

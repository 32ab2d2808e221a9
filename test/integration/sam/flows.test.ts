// IT component flows (issue 14) end to end on the emulators: the advisor's flow applied in one
// call creates its default mappings, which sync ServiceNow's model categories and product models
// to LeanIX tech categories and IT components; switching flows disables one software mapping and
// creates or enables another, deleting nothing; bad input is refused and leaves nothing behind.
import t from 'tap'
import { syncHarness } from '../../helpers/sync-harness.ts'
import { SAM_PRO_DISCOVERY_MODEL_FILTER } from '../../../connectors/servicenow-sam/advisor/guidance.ts'

t.setTimeout(300_000)

interface Applied {
  flow: string
  hardware: boolean
  recommended: boolean
  created: Array<{ id: string; name: string }>
  enabled: Array<{ id: string; name: string }>
  disabled: Array<{ id: string; name: string }>
  unchanged: Array<{ id: string; name: string }>
}

const h = await syncHarness(t)
const flowUrl = `/api/v1/connections/${h.snConnectionId}/it-component-flow`
const apply = (payload: Record<string, unknown>, token?: string) =>
  h.hub.inject({ method: 'POST', url: flowUrl, payload: { leanixConnectionId: h.lxConnectionId, ...payload } }, token)
const names = (refs: Array<{ name: string }>) => refs.map((r) => r.name).sort()
const mappingId = async (name: string) => (await h.hub.app.mappings.find(name))?.id ?? ''
const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase()

t.test("the advisor's flow in one call: its mappings created, then synced to LeanIX", async (t) => {
  const res = await apply({})
  t.equal(res.statusCode, 200, res.body)
  const applied = res.json<Applied>()
  t.equal(applied.recommended, true)
  t.equal(applied.flow, 'sam', 'this seed has software installations and product models under 1,000,000 rows')
  t.equal(applied.hardware, true)
  t.same(names(applied.created), [
    'CSDM: IT components (hardware)',
    'CSDM: IT components (software, SAM)',
    'CSDM: Tech categories',
  ])

  for (const name of [
    'CSDM: Tech categories',
    'CSDM: IT components (software, SAM)',
    'CSDM: IT components (hardware)',
  ]) {
    const run = await h.run(await mappingId(name))
    t.equal(run.status, 'OK', `${name}: ${run.message}`)
  }
  const categories = await h.snRows('cmdb_model_category', '', ['name'])
  const stacks = new Set((await h.lxFactSheets('TechnicalStack')).map((f) => norm(f.name)))
  t.ok(
    categories.every((c) => stacks.has(norm(c.name ?? ''))),
    'every model category is a tech category',
  )
  const products = await h.snRows('cmdb_software_product_model', '', ['name', 'cmdb_model_category'])
  const itcs = await h.lxFactSheets(
    'ITComponent',
    '... on ITComponent { category relITComponentToTechnologyStack { edges { node { factSheet { name } } } } }',
  )
  const byName = new Map(itcs.map((f) => [norm(f.name), f]))
  for (const product of products) {
    const itc = byName.get(norm(product.name ?? ''))
    t.ok(itc, `product model ${product.name} is an IT component`)
    t.equal(itc?.category, 'software')
  }
  const hardware = await h.snRows('cmdb_hardware_product_model', '', ['name'])
  t.ok(
    hardware.every((m) => byName.get(norm(m.name ?? ''))?.category === 'hardware'),
    'every hardware model is a hardware IT component',
  )
  const related = products.filter((p) => p.cmdb_model_category)
  t.ok(related.length > 0, 'the seed gives product models a category')
  for (const product of related.slice(0, 5)) {
    const edges = (
      byName.get(norm(product.name ?? '')) as {
        relITComponentToTechnologyStack?: { edges: Array<{ node: { factSheet: { name: string } } }> }
      }
    ).relITComponentToTechnologyStack?.edges
    t.equal(edges?.length, 1, `${product.name} has its tech category`)
  }
})

t.test('switching flows disables one software mapping and creates or enables another', async (t) => {
  const samProAnswer = await apply({ flow: 'samPro', hardware: true })
  t.equal(samProAnswer.statusCode, 200, samProAnswer.body)
  const toSamPro = samProAnswer.json<Applied>()
  t.equal(toSamPro.recommended, false)
  t.same(names(toSamPro.created), ['CSDM: IT components (software, SAM Pro)'])
  t.same(names(toSamPro.disabled), ['CSDM: IT components (software, SAM)'])
  t.same(names(toSamPro.unchanged), ['CSDM: IT components (hardware)', 'CSDM: Tech categories'])
  const samPro = await h.hub.app.mappings.find('CSDM: IT components (software, SAM Pro)')
  t.equal(samPro?.definition.source.filter, SAM_PRO_DISCOVERY_MODEL_FILTER)
  const run = await h.run(samPro?.id ?? '')
  t.equal(run.status, 'OK', run.message ?? '')
  const filtered = await h.snRows('cmdb_sam_sw_discovery_model', SAM_PRO_DISCOVERY_MODEL_FILTER, ['display_name'])
  const itcs = new Set((await h.lxFactSheets('ITComponent')).map((f) => norm(f.name)))
  t.ok(filtered.length > 0)
  t.ok(
    filtered.every((m) => itcs.has(norm(m.display_name ?? ''))),
    'every discovery model the filter leaves is an IT component',
  )

  const back = (await apply({ flow: 'sam', hardware: false })).json<Applied>()
  t.same(
    names(back.enabled),
    ['CSDM: IT components (software, SAM)'],
    'the SAM mapping is enabled again, not made anew',
  )
  t.same(names(back.disabled), ['CSDM: IT components (hardware)', 'CSDM: IT components (software, SAM Pro)'])
  t.same(names(back.unchanged), ['CSDM: Tech categories'])
  t.equal(back.created.length, 0)
  const sam = await h.hub.app.mappings.find('CSDM: IT components (software, SAM)')
  t.equal(sam?.enabled, true)
  t.ok((sam?.version ?? 0) > 1, 'with its version history')

  const none = (await apply({ flow: 'none', hardware: false })).json<Applied>()
  t.same(names(none.disabled), ['CSDM: IT components (software, SAM)'])
  t.same(names(none.unchanged), [], 'no flow, no tech categories needed; they are left as they are')
})

t.test('bad input is refused and leaves nothing behind', async (t) => {
  const before = (await h.hub.app.mappings.list({ limit: 500 })).total
  const notLeanix = await apply({ leanixConnectionId: h.snConnectionId })
  t.equal(notLeanix.statusCode, 400)
  t.equal(notLeanix.json().code, 'CW_SAM_NOT_LEANIX')

  const other = await h.hub.app.connections.create({
    name: 'servicenow-2',
    connector: 'servicenow',
    settings: { instanceUrl: h.sn.url, allowHttp: true, authKind: 'basic', username: 'admin', password: 'x' },
  })
  const taken = await h.hub.inject({
    method: 'POST',
    url: `/api/v1/connections/${other.id}/it-component-flow`,
    payload: { leanixConnectionId: h.lxConnectionId, flow: 'legacy', hardware: true },
  })
  t.equal(taken.statusCode, 409, taken.body)
  t.equal(taken.json().code, 'CW_SAM_FLOW_NAME_TAKEN')
  t.equal((await h.hub.app.mappings.list({ limit: 500 })).total, before, 'the legacy mapping it made first is gone')

  const operator = await h.hub.token('operator')
  t.equal((await apply({ prefix: 'Ops' }, operator)).statusCode, 403, 'creating mappings takes an admin')
  t.equal((await apply({ flow: 'sometimes' })).statusCode, 400)
})

t.test('GraphQL applyItComponentFlow does the same', async (t) => {
  const res = await h.hub.inject({
    method: 'POST',
    url: '/graphql',
    payload: {
      query: `mutation ($sn: ID!, $lx: ID!) { applyItComponentFlow(servicenowConnectionId: $sn, leanixConnectionId: $lx, flow: legacy, hardware: false, prefix: "GQL") { flow recommended created { name } } }`,
      variables: { sn: h.snConnectionId, lx: h.lxConnectionId },
    },
  })
  t.equal(res.statusCode, 200, res.body)
  t.same(res.json().data.applyItComponentFlow, {
    flow: 'legacy',
    recommended: false,
    created: [{ name: 'GQL: IT components (software, legacy)' }],
  })
})

t.test('the CLI applies the advice to a LeanIX connection in one command', async (t) => {
  const { listen, runCli } = await import('../cli/run-cli.ts')
  const url = await listen(h.hub.app)
  const env = { CROSSWALK_URL: url, CROSSWALK_TOKEN: h.hub.adminToken }
  const res = await runCli(['advise', 'servicenow', '--apply-to', 'leanix', '--prefix', 'CLI'], env)
  t.equal(res.code, 0, res.stderr)
  t.match(res.stdout, /Recommended flow for servicenow: SAM: /)
  t.match(res.stdout, /Applied the sam flow with hardware:/)
  t.match(res.stdout, /CLI: IT components \(software, SAM\)\s*│\s*created/)
  t.ok(await h.hub.app.mappings.find('CLI: Tech categories'))
})

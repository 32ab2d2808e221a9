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

/**
 * What a two-hop walk from the business applications reaches, computed here from the Table API
 * on its own: each CI reached with the applications that reach it.
 */
async function reachedByApplications(): Promise<Map<string, Set<string>>> {
  const apps = await h.snRows('cmdb_ci_business_app', '', ['sys_id', 'name'])
  const children = new Map<string, string[]>()
  for (const r of await h.snRows('cmdb_rel_ci', '', ['parent', 'child']))
    children.set(r.parent ?? '', [...(children.get(r.parent ?? '') ?? []), r.child ?? ''])
  const reached = new Map<string, Set<string>>()
  const add = (ci: string, app: string) => reached.set(ci, (reached.get(ci) ?? new Set()).add(app))
  for (const app of apps)
    for (const one of children.get(app.sys_id ?? '') ?? []) {
      add(one, app.name ?? '')
      for (const two of children.get(one) ?? []) add(two, app.name ?? '')
    }
  return reached
}

/** Models used on a reached CI, by name, each with the applications that reach it. */
async function modelsReached(
  usageTable: string,
  modelField: string,
  ciField: string,
  modelTable: string,
  nameField = 'name',
) {
  const reached = await reachedByApplications()
  const out = new Map<string, Set<string>>()
  const names = new Map((await h.snRows(modelTable, '', ['sys_id', nameField])).map((m) => [m.sys_id, m[nameField]]))
  for (const u of await h.snRows(usageTable, `${modelField}ISNOTEMPTY`, [ciField, modelField])) {
    const apps = reached.get(u[ciField] ?? '')
    const name = names.get(u[modelField] ?? '')
    if (!apps || !name) continue
    out.set(name, new Set([...(out.get(name) ?? []), ...apps]))
  }
  return out
}

let linkedApp = ''

t.test("the advisor's flow in one call: its mappings created, then synced to LeanIX", async (t) => {
  // one ServiceNow application that reaches installations gets a LeanIX twin, linked by the CSDM
  // applications mapping, so that IT components can be related to it
  const software = await modelsReached(
    'cmdb_sam_sw_install',
    'software_model',
    'installed_on',
    'cmdb_software_product_model',
  )
  linkedApp = [...(software.values().next().value ?? [])][0] ?? ''
  t.ok(linkedApp, 'the seed has an application reaching installations')
  await h.lxCreate('Application', linkedApp)
  const defaults = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/mappings/defaults',
    payload: { leanixConnectionId: h.lxConnectionId, servicenowConnectionId: h.snConnectionId },
  })
  t.equal(defaults.statusCode, 201, defaults.body)
  t.equal((await h.run(await mappingId('CSDM: Applications'))).status, 'OK')

  const res = await apply({})
  t.equal(res.statusCode, 200, res.body)
  const applied = res.json<Applied & { applicationsMapping: string | null }>()
  t.equal(applied.recommended, true)
  t.equal(applied.flow, 'sam', 'this seed has software installations and product models under 1,000,000 rows')
  t.equal(applied.hardware, true)
  t.equal(applied.applicationsMapping, 'CSDM: Applications')
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
  const used = new Set(
    (await h.snRows('cmdb_model', 'cmdb_model_categoryISNOTEMPTY', ['cmdb_model_category'])).map(
      (m) => m.cmdb_model_category,
    ),
  )
  const categories = await h.snRows('cmdb_model_category', '', ['sys_id', 'name'])
  const stacks = new Set((await h.lxFactSheets('TechnicalStack')).map((f) => norm(f.name)))
  t.ok(used.size > 0 && used.size < categories.length, 'the seed has categories in use and others not')
  t.same(
    categories
      .filter((c) => stacks.has(norm(c.name ?? '')))
      .map((c) => c.sys_id)
      .sort(),
    [...used].sort(),
    'the model categories some model is in are tech categories, no others (MODEL_CATEGORY)',
  )
  const itcs = await h.lxFactSheets(
    'ITComponent',
    '... on ITComponent { category relITComponentToTechnologyStack { edges { node { factSheet { name } } } } relITComponentToApplication { edges { node { factSheet { name } } } } }',
  )
  type Itc = (typeof itcs)[number] & {
    category?: string
    relITComponentToApplication?: { edges: Array<{ node: { factSheet: { name: string } } }> }
    relITComponentToTechnologyStack?: { edges: Array<{ node: { factSheet: { name: string } } }> }
  }
  const byName = new Map(itcs.map((f) => [norm(f.name), f as Itc]))
  // the IT components named like one of the table's models: what the mapping synced
  const synced = async (table: string, category: string) => {
    const models = new Set((await h.snRows(table, '', ['name'])).map((m) => norm(m.name ?? '')))
    return [...byName.values()]
      .filter((f) => f.category === category && models.has(norm(f.name)))
      .map((f) => norm(f.name))
      .sort()
  }
  t.same(
    await synced('cmdb_software_product_model', 'software'),
    [...software.keys()].map(norm).sort(),
    'the IT components (software) are the product models installed on what an application reaches',
  )
  const hardware = await modelsReached('cmdb_ci_hardware', 'model_id', 'sys_id', 'cmdb_hardware_product_model')
  t.same(
    await synced('cmdb_hardware_product_model', 'hardware'),
    [...hardware.keys()].map(norm).sort(),
    'the IT components (hardware) are the models of reached hardware',
  )
  const relatedToLinked = [...byName.values()]
    .filter((f) => f.relITComponentToApplication?.edges.some((e) => e.node.factSheet.name === linkedApp))
    .map((f) => norm(f.name))
    .sort()
  const expected = [...software, ...hardware]
    .filter(([, apps]) => apps.has(linkedApp))
    .map(([name]) => norm(name))
    .sort()
  t.ok(expected.length > 0)
  t.same(relatedToLinked, expected, `the IT components related to ${linkedApp} are the models its walk reaches`)
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
  const filtered = new Set(
    (await h.snRows('cmdb_sam_sw_discovery_model', SAM_PRO_DISCOVERY_MODEL_FILTER, ['display_name'])).map((m) =>
      norm(m.display_name ?? ''),
    ),
  )
  const reached = await modelsReached(
    'cmdb_sam_sw_install',
    'discovery_model',
    'installed_on',
    'cmdb_sam_sw_discovery_model',
    'display_name',
  )
  const expected = [...reached.keys()].map(norm).filter((n) => filtered.has(n))
  const itcs = new Set((await h.lxFactSheets('ITComponent')).map((f) => norm(f.name)))
  t.ok(expected.length > 0)
  t.ok(
    expected.every((n) => itcs.has(n)),
    'every discovery model under the filter installed on what an application reaches is an IT component',
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

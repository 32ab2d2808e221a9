// Graph rules (issue 14) end to end: a small ServiceNow instance written out by hand
// (test/helpers/sam-graph.ts), the exact IT components and Application relations each rule must
// give, synced to the LeanIX emulator and compared there.
import t from 'tap'
import { writeSamGraph } from '../../helpers/sam-graph.ts'
import { syncHarness } from '../../helpers/sync-harness.ts'

t.setTimeout(300_000)

const h = await syncHarness(t, { servicenow: { seed: undefined } })
const data = h.sn.instance.data
const insert = (table: string, values: Record<string, string>) => data.value(data.insert(table, values), 'sys_id')

const { app, product, category, hw } = writeSamGraph(insert)

// the applications, mastered in LeanIX and linked to the hand-written ones by name
for (const name of ['GR Billing', 'GR Payroll', 'GR Unused']) await h.lxCreate('Application', name)
const applications = await h.createMapping({
  name: 'GR applications',
  source: { connectionId: h.lxConnectionId, entity: 'Application', filter: JSON.stringify({ fullTextSearch: 'GR ' }) },
  target: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app', filter: 'nameSTARTSWITHGR ' },
  mode: 'conservative',
  fields: [{ type: 'field', source: 'name', target: 'name' }],
})
t.equal((await h.run(applications)).status, 'OK')

type Expected = Record<string, string[] | null>
let n = 0
/** An IT component mapping of `table` under `graphRules`; the IT components and applications it gives in LeanIX. */
async function itComponentsOf(
  table: string,
  graphRules: Array<Record<string, unknown>>,
  nameField = 'name',
): Promise<Expected> {
  n += 1
  const withApplications = graphRules.some((r) => String(r.rule).startsWith('APPLICATION_'))
  const mapping = await h.createMapping({
    name: `GR IT components ${n}`,
    source: { connectionId: h.snConnectionId, entity: table, graphRules },
    target: { connectionId: h.lxConnectionId, entity: 'ITComponent', category: 'software' },
    mode: 'conservative',
    fields: [{ type: 'field', source: nameField, target: 'name' }],
    relations: withApplications
      ? [
          {
            otherMapping: 'GR applications',
            source: { kind: 'field', field: 'graph_applications' },
            target: { kind: 'field', field: 'relITComponentToApplication' },
          },
        ]
      : [],
    matching: { rules: [{ source: [nameField], target: ['name'] }] },
  })
  const run = await h.run(mapping)
  if (run.status !== 'OK') throw new Error(`${table}: ${run.status} ${run.message}`)
  const itcs = await h.lxFactSheets(
    'ITComponent',
    '... on ITComponent { relITComponentToApplication { edges { node { factSheet { name } } } } }',
  )
  await h.hub.inject({ method: 'DELETE', url: `/api/v1/mappings/${mapping}` })
  const out: Expected = {}
  for (const itc of itcs) {
    if (!itc.name.startsWith('GR ') && !/^P\d discovered$/.test(itc.name)) continue
    const edges = (itc as { relITComponentToApplication?: { edges: Array<{ node: { factSheet: { name: string } } }> } })
      .relITComponentToApplication?.edges
    out[itc.name] = withApplications ? (edges ?? []).map((e) => e.node.factSheet.name).sort() : null
    // archive it, so the next rule starts from a clean slate
    await h.lxArchive(itc.id)
  }
  return out
}

t.test('APPLICATION_SAM_CONNECTION: product models installed on what an application reaches in two hops', async (t) => {
  t.same(await itComponentsOf('cmdb_software_product_model', [{ rule: 'APPLICATION_SAM_CONNECTION' }]), {
    'GR Postgres 15': ['GR Billing'],
    'GR Nginx 1.25': ['GR Billing', 'GR Payroll'],
    'GR Java 17': ['GR Payroll'],
  })
})

t.test('three hops reach V4; an application filter keeps to its applications', async (t) => {
  t.same(await itComponentsOf('cmdb_software_product_model', [{ rule: 'APPLICATION_SAM_CONNECTION', hops: 3 }]), {
    'GR Postgres 15': ['GR Billing'],
    'GR Nginx 1.25': ['GR Billing', 'GR Payroll'],
    'GR Java 17': ['GR Payroll'],
    'GR Orphan 1': ['GR Billing'],
  })
  t.same(
    await itComponentsOf('cmdb_software_product_model', [
      { rule: 'APPLICATION_SAM_CONNECTION', filter: 'name=GR Payroll' },
    ]),
    { 'GR Nginx 1.25': ['GR Payroll'], 'GR Java 17': ['GR Payroll'] },
  )
})

t.test('IN_USE_SAM_CONNECTION: every installed product model, no relations', async (t) => {
  t.same(await itComponentsOf('cmdb_software_product_model', [{ rule: 'IN_USE_SAM_CONNECTION' }]), {
    'GR Postgres 15': null,
    'GR Nginx 1.25': null,
    'GR Java 17': null,
    'GR Orphan 1': null,
  })
})

t.test(
  'APPLICATION_SAM_PRO_CONNECTION and IN_USE_SAM_PRO_CONNECTION: the discovery models of the installations',
  async (t) => {
    t.same(
      await itComponentsOf('cmdb_sam_sw_discovery_model', [{ rule: 'APPLICATION_SAM_PRO_CONNECTION' }], 'display_name'),
      {
        'P1 discovered': ['GR Billing'],
        'P2 discovered': ['GR Billing', 'GR Payroll'],
        'P3 discovered': ['GR Payroll'],
      },
    )
    // every installed discovery model, P4's on V4 (out of two hops' reach) included; P5's installed nowhere
    t.same(
      await itComponentsOf('cmdb_sam_sw_discovery_model', [{ rule: 'IN_USE_SAM_PRO_CONNECTION' }], 'display_name'),
      { 'P1 discovered': null, 'P2 discovered': null, 'P3 discovered': null, 'P4 discovered': null },
    )
  },
)

t.test('legacy software management: packages through software instances', async (t) => {
  t.same(await itComponentsOf('cmdb_ci_spkg', [{ rule: 'APPLICATION_SOFTWARE_MANAGEMENT_MODEL_CONNECTION' }]), {
    'GR libfoo 2': ['GR Billing'],
  })
  t.same(await itComponentsOf('cmdb_ci_spkg', [{ rule: 'IN_USE_SOFTWARE_MANAGEMENT_MODEL_CONNECTION' }]), {
    'GR libfoo 2': null,
    'GR libbar 3': null,
  })
})

t.test('APPLICATION_HARDWARE_CONNECTION: the models of reached hardware, a hardware filter applied', async (t) => {
  t.same(await itComponentsOf('cmdb_hardware_product_model', [{ rule: 'APPLICATION_HARDWARE_CONNECTION' }]), {
    'GR Rack 1U': ['GR Billing', 'GR Payroll'],
    'GR Blade': ['GR Payroll'],
  })
  t.same(
    await itComponentsOf('cmdb_hardware_product_model', [
      { rule: 'APPLICATION_HARDWARE_CONNECTION', filter: 'name!=GR V3' },
    ]),
    { 'GR Rack 1U': ['GR Billing', 'GR Payroll'] },
  )
  t.same(await itComponentsOf('cmdb_hardware_product_model', [{ rule: 'IN_USE_HARDWARE_CONNECTION' }]), {
    'GR Rack 1U': null,
    'GR Blade': null,
    'GR Tower': null,
  })
})

t.test('a rule that does not apply to the table is refused when the mapping is saved', async (t) => {
  const res = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/mappings',
    payload: {
      name: 'GR wrong rule',
      source: {
        connectionId: h.snConnectionId,
        entity: 'cmdb_ci_spkg',
        graphRules: [{ rule: 'APPLICATION_SAM_CONNECTION' }],
      },
      target: { connectionId: h.lxConnectionId, entity: 'ITComponent' },
      mode: 'conservative',
      fields: [{ type: 'field', source: 'name', target: 'name' }],
    },
  })
  t.equal(res.statusCode, 400, res.body)
  t.match(res.json(), { code: 'CW_MAPPING_INVALID', problems: [{ pointer: '/source/graphRules/0/rule' }] })

  // an IN_USE_ rule walks no relations: hops there would be silently ignored
  const hops = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/mappings',
    payload: {
      name: 'GR hops on IN_USE',
      source: {
        connectionId: h.snConnectionId,
        entity: 'cmdb_software_product_model',
        graphRules: [{ rule: 'IN_USE_SAM_CONNECTION', hops: 3 }],
      },
      target: { connectionId: h.lxConnectionId, entity: 'ITComponent' },
      mode: 'conservative',
      fields: [{ type: 'field', source: 'name', target: 'name' }],
    },
  })
  t.equal(hops.statusCode, 400, hops.body)
  t.match(hops.json(), {
    code: 'CW_MAPPING_INVALID',
    problems: [{ pointer: '/source/graphRules/0/hops', message: /IN_USE_SAM_CONNECTION walks no relations/ }],
  })
})

t.test('a lookup (a partial run) walks back from the models asked for to their applications', async (t) => {
  const connector = h.hub.app.connectors.get('servicenow')
  const context = await h.hub.app.connections.resolve(h.snConnectionId, h.hub.app.log)
  const lookup = (entity: string, ids: string[], graphRules: Array<Record<string, unknown>>) =>
    connector.lookup?.(context, entity, { ids, graphRules: graphRules as Array<{ rule: string }> }) ?? []
  const byId = (records: Array<Record<string, unknown> & { id: string }>) =>
    Object.fromEntries(records.map((r) => [String(r.name ?? r.display_name), r.graph_applications ?? null]))
  const names = { [app.billing]: 'GR Billing', [app.payroll]: 'GR Payroll' }
  const appNames = (value: unknown) =>
    String(value)
      .split(',')
      .map((id) => names[id] ?? id)
      .sort()
      .join(',')

  const products = await lookup('cmdb_software_product_model', Object.values(product), [
    { rule: 'APPLICATION_SAM_CONNECTION' },
  ])
  t.same(
    Object.fromEntries(Object.entries(byId(products)).map(([k, v]) => [k, appNames(v)])),
    { 'GR Postgres 15': 'GR Billing', 'GR Nginx 1.25': 'GR Billing,GR Payroll', 'GR Java 17': 'GR Payroll' },
    'the same models and applications as the full read: P4 is three hops away, P5 installed nowhere',
  )
  const far = await lookup(
    'cmdb_software_product_model',
    [product.p4],
    [{ rule: 'APPLICATION_SAM_CONNECTION', hops: 3 }],
  )
  t.same(
    far.map((r) => appNames(r.graph_applications)),
    ['GR Billing'],
  )
  const inUse = await lookup(
    'cmdb_software_product_model',
    [product.p4, product.p5],
    [{ rule: 'IN_USE_SAM_CONNECTION' }],
  )
  t.same(
    inUse.map((r) => r.name),
    ['GR Orphan 1'],
    'in use: installed anywhere, no applications field',
  )
  t.equal(inUse[0]?.graph_applications, undefined)
  const hardware = await lookup('cmdb_hardware_product_model', Object.values(hw), [
    { rule: 'APPLICATION_HARDWARE_CONNECTION', filter: 'name!=GR V3' },
  ])
  t.same(Object.fromEntries(Object.entries(byId(hardware)).map(([k, v]) => [k, appNames(v)])), {
    'GR Rack 1U': 'GR Billing,GR Payroll',
  })
})

t.test('MODEL_CATEGORY: the model categories some model is in, by read and by lookup', async (t) => {
  const connector = h.hub.app.connectors.get('servicenow')
  const context = await h.hub.app.connections.resolve(h.snConnectionId, h.hub.app.log)
  const graphRules = [{ rule: 'MODEL_CATEGORY' }]
  const read: string[] = []
  for await (const page of connector.read?.(context, 'cmdb_model_category', { graphRules }) ?? [])
    for (const record of page.records) read.push(String(record.name))
  t.same(read, ['GR Databases'], 'the read: one category is in use')
  const looked = await connector.lookup?.(context, 'cmdb_model_category', {
    ids: [category.databases, category.unused],
    graphRules,
  })
  t.same(
    looked?.map((r) => r.name),
    ['GR Databases'],
    'the lookup',
  )
})

t.test('the entity routes list the graph rules a source side may name', async (t) => {
  const res = await h.hub.inject(`/api/v1/connections/${h.snConnectionId}/entities/cmdb_software_product_model`)
  t.equal(res.statusCode, 200, res.body)
  const rules =
    res.json<{ graphRules?: Array<{ name: string; fields: Array<{ name: string }>; hops?: object }> }>().graphRules ??
    []
  t.same(rules.map((r) => r.name).sort(), ['APPLICATION_SAM_CONNECTION', 'IN_USE_SAM_CONNECTION'])
  t.same(
    rules.find((r) => r.name === 'APPLICATION_SAM_CONNECTION')?.fields.map((f) => f.name),
    ['graph_applications'],
  )
  t.same(rules.find((r) => r.name === 'APPLICATION_SAM_CONNECTION')?.hops, { default: 2, max: 6 })
  t.equal(rules.find((r) => r.name === 'IN_USE_SAM_CONNECTION')?.hops, undefined, 'IN_USE_ walks no relations')
  const plain = await h.hub.inject(`/api/v1/connections/${h.snConnectionId}/entities/sys_user`)
  t.equal(plain.json().graphRules, undefined, 'none where none apply')
})

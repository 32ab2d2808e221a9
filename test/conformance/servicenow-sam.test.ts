// ServiceNow SAM's graph rules against the connector conformance suite (test/conformance/suite.ts):
// the ServiceNow connector with the SAM provider (useGraphRules), on a small instance written out
// by hand, reads each graph rule, and all the rules of an entity at once, to the end, and resumed
// after any page (a rule's staging checkpoint or a page of what it let through).
//
//   app Billing -> svc -> V1 (P1, K1; model H1) -> V4 (P4, K2; model H3)   app Payroll -> svc -> V3 (P3; model H2)
//   P2 on V2 (model H1), reached by nothing; P1 in a model category
import t from 'tap'
import { createServiceNowConnector } from '../../connectors/servicenow/index.ts'
import { REL_TYPE } from '../../connectors/servicenow/emulator/index.ts'
import { SamGraphRules } from '../../connectors/servicenow-sam/graph/provider.ts'
import { GRAPH_RULES } from '../../connectors/servicenow-sam/graph/rules.ts'
import { GraphStage } from '../../connectors/servicenow-sam/graph/stage.ts'
import { testStore } from '../helpers/store.ts'
import { conformance, type ReadCase } from './suite.ts'
import { smallServiceNow } from './servicenow-emulator.ts'

t.setTimeout(120_000)

const connector = createServiceNowConnector()
t.teardown(() => connector.close())
connector.useGraphRules(new SamGraphRules(new GraphStage(await testStore(t))))

const small = await smallServiceNow()
const insert = small.insert
const app = {
  billing: insert('cmdb_ci_business_app', { name: 'Billing' }),
  payroll: insert('cmdb_ci_business_app', { name: 'Payroll' }),
}
const svc = {
  billing: insert('cmdb_ci_service_auto', { name: 'svc Billing' }),
  payroll: insert('cmdb_ci_service_auto', { name: 'svc Payroll' }),
}
const hw = {
  h1: insert('cmdb_hardware_product_model', { name: 'Rack 1U' }),
  h2: insert('cmdb_hardware_product_model', { name: 'Blade' }),
  h3: insert('cmdb_hardware_product_model', { name: 'Tower' }),
}
const server = {
  v1: insert('cmdb_ci_linux_server', { name: 'V1', model_id: hw.h1 }),
  v2: insert('cmdb_ci_linux_server', { name: 'V2', model_id: hw.h1 }),
  v3: insert('cmdb_ci_linux_server', { name: 'V3', model_id: hw.h2 }),
  v4: insert('cmdb_ci_linux_server', { name: 'V4', model_id: hw.h3 }),
}
const rel = (parent: string, child: string, type: string) => insert('cmdb_rel_ci', { parent, child, type })
rel(app.billing, svc.billing, REL_TYPE.CONSUMES)
rel(app.payroll, svc.payroll, REL_TYPE.CONSUMES)
rel(svc.billing, server.v1, REL_TYPE.DEPENDS_ON)
rel(svc.payroll, server.v3, REL_TYPE.DEPENDS_ON)
rel(server.v1, server.v4, REL_TYPE.DEPENDS_ON)
const category = insert('cmdb_model_category', { name: 'Databases' })
const products = ['P1', 'P2', 'P3', 'P4'].map((name, i) => ({
  name,
  on: [server.v1, server.v2, server.v3, server.v4][i] as string,
  id: insert('cmdb_software_product_model', { name, ...(i === 0 ? { cmdb_model_category: category } : {}) }),
}))
for (const p of products) {
  const discovery = insert('cmdb_sam_sw_discovery_model', {
    display_name: `${p.name} discovered`,
    software_model: p.id,
  })
  insert('cmdb_sam_sw_install', {
    display_name: p.name,
    installed_on: p.on,
    software_model: p.id,
    discovery_model: discovery,
  })
}
const pkg = { k1: insert('cmdb_ci_spkg', { name: 'libfoo 2' }), k2: insert('cmdb_ci_spkg', { name: 'libbar 3' }) }
insert('cmdb_software_instance', { name: 'libfoo on V1', software: pkg.k1, installed_on: server.v1 })
insert('cmdb_software_instance', { name: 'libbar on V4', software: pkg.k2, installed_on: server.v4 })

const byRule: ReadCase[] = GRAPH_RULES.map((rule) => ({
  name: `${rule.entity} under ${rule.name}`,
  entity: rule.entity,
  request: { graphRules: [{ rule: rule.name }] },
}))
// every rule of an entity at once: one staging checkpoint per rule before the records
const entities = [...new Set(GRAPH_RULES.map((r) => r.entity))]
const allRules: ReadCase[] = entities.map((entity) => ({
  name: `${entity} under all its rules`,
  entity,
  request: { graphRules: GRAPH_RULES.filter((r) => r.entity === entity).map((r) => ({ rule: r.name })) },
}))

await conformance(t, {
  connector,
  emulator: async () => small.handle,
  read: byRule[0] as ReadCase,
  moreReads: [...byRule.slice(1), ...allRules],
})

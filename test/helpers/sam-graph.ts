// A small ServiceNow instance written out by hand for the graph rules of ServiceNow SAM: what
// test/integration/sam/graph-rules.test.ts syncs and compares, and what the conformance suite reads
// each rule of (test/conformance/servicenow-sam.test.ts).
//
//   GR Billing -> svc Billing -> V1 (P1, K1; model H1) ; -> V2 (P2; model H1)
//   GR Payroll -> svc Payroll -> V2                      ; -> V3 (P3; model H2)
//   GR Unused  (reaches nothing)
//   V1 -> V4 (P4, K2; model H3): a third hop, out of reach with the default two
//   P5 installed nowhere
import { REL_TYPE } from '../../connectors/servicenow/emulator/index.ts'

/** Writes the instance through `insert` (a row's values in, its sys_id out); the sys_ids by role. */
export function writeSamGraph(insert: (table: string, values: Record<string, string>) => string) {
  const app = {
    billing: insert('cmdb_ci_business_app', { name: 'GR Billing' }),
    payroll: insert('cmdb_ci_business_app', { name: 'GR Payroll' }),
    unused: insert('cmdb_ci_business_app', { name: 'GR Unused' }),
  }
  const service = {
    billing: insert('cmdb_ci_service_auto', { name: 'GR svc Billing' }),
    payroll: insert('cmdb_ci_service_auto', { name: 'GR svc Payroll' }),
  }
  const hw = {
    h1: insert('cmdb_hardware_product_model', { name: 'GR Rack 1U' }),
    h2: insert('cmdb_hardware_product_model', { name: 'GR Blade' }),
    h3: insert('cmdb_hardware_product_model', { name: 'GR Tower' }),
  }
  const server = {
    v1: insert('cmdb_ci_linux_server', { name: 'GR V1', model_id: hw.h1 }),
    v2: insert('cmdb_ci_linux_server', { name: 'GR V2', model_id: hw.h1 }),
    v3: insert('cmdb_ci_linux_server', { name: 'GR V3', model_id: hw.h2 }),
    v4: insert('cmdb_ci_linux_server', { name: 'GR V4', model_id: hw.h3 }),
  }
  const rel = (parent: string, child: string, type: string) => insert('cmdb_rel_ci', { parent, child, type })
  rel(app.billing, service.billing, REL_TYPE.CONSUMES)
  rel(app.payroll, service.payroll, REL_TYPE.CONSUMES)
  rel(service.billing, server.v1, REL_TYPE.DEPENDS_ON)
  rel(service.billing, server.v2, REL_TYPE.DEPENDS_ON)
  rel(service.payroll, server.v2, REL_TYPE.DEPENDS_ON)
  rel(service.payroll, server.v3, REL_TYPE.DEPENDS_ON)
  rel(server.v1, server.v4, REL_TYPE.DEPENDS_ON)

  const category = {
    databases: insert('cmdb_model_category', { name: 'GR Databases' }),
    unused: insert('cmdb_model_category', { name: 'GR Unused category' }),
  }
  const product = {
    p1: insert('cmdb_software_product_model', { name: 'GR Postgres 15', cmdb_model_category: category.databases }),
    p2: insert('cmdb_software_product_model', { name: 'GR Nginx 1.25' }),
    p3: insert('cmdb_software_product_model', { name: 'GR Java 17' }),
    p4: insert('cmdb_software_product_model', { name: 'GR Orphan 1' }),
    p5: insert('cmdb_software_product_model', { name: 'GR Never 1' }),
  }
  const discovery = Object.fromEntries(
    Object.entries(product).map(([k, id]) => [
      k,
      insert('cmdb_sam_sw_discovery_model', { display_name: `${k.toUpperCase()} discovered`, software_model: id }),
    ]),
  ) as Record<keyof typeof product, string>
  const install = (model: keyof typeof product, on: string) =>
    insert('cmdb_sam_sw_install', {
      display_name: model,
      installed_on: on,
      software_model: product[model],
      discovery_model: discovery[model],
    })
  install('p1', server.v1)
  install('p2', server.v2)
  install('p3', server.v3)
  install('p4', server.v4)
  const pkg = {
    k1: insert('cmdb_ci_spkg', { name: 'GR libfoo 2' }),
    k2: insert('cmdb_ci_spkg', { name: 'GR libbar 3' }),
  }
  insert('cmdb_software_instance', { name: 'libfoo on V1', software: pkg.k1, installed_on: server.v1 })
  insert('cmdb_software_instance', { name: 'libbar on V4', software: pkg.k2, installed_on: server.v4 })
  return { app, service, hw, server, category, product, discovery, pkg }
}

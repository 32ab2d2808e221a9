// Benchmark of the IT component flows with graph rules (issue 14), run by hand:
// `CROSSWALK_TEST_DATABASE_URL=... nice -n 10 npx node test/bench/sam-flows.ts`.
//
// A ServiceNow instance with SAM Pro seeded directly (--relations cmdb_rel_ci rows, default
// 1,000,000; --installs software installations, default 500,000; --models discovery models,
// default 100,000; --apps business applications, default 5,000), and a LeanIX workspace. Two
// flows run, each on a hub of its own (server.ts in its own process, as `npm start` runs it):
// - SAM Pro: discovery models under SAP LeanIX's example filter, APPLICATION_SAM_PRO_CONNECTION;
// - SAM: software product models, APPLICATION_SAM_CONNECTION;
// both with the Application relation to the CSDM applications mapping. Every seeded business
// application has a LeanIX twin of the same name, linked by that mapping before the flows run
// (its time is not counted), so the relations are made at scale. Measured: the full run's
// time, records read and per second, requests the ServiceNow emulator answered, and the hub's
// peak RSS. With --compare (default; --no-compare to skip) the same first at a tenth of every
// size: the target is a peak RSS within 20% of it (the walk's memory does not grow with the
// tables: it stages keys in the store). --flows sam (or samPro) runs one flow only.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { SAM_PRO_DISCOVERY_MODEL_FILTER } from '../../connectors/servicenow-sam/advisor/guidance.ts'
import type { ServiceNowEmulator } from '../../connectors/servicenow/emulator/index.ts'
import type { LeanixEmulator } from '../../connectors/leanix/emulator/index.ts'
import type { FactSheetRecord } from '../../connectors/leanix/emulator/workspace/records.ts'
import { defaultMappings, mib, runToEnd, sampleMemory, startHub, startLeanix, startServiceNow } from './sync-fixture.ts'

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? Number(process.argv[at + 1]) : fallback
}
const RELATIONS = arg('relations', 1_000_000)
const INSTALLS = arg('installs', 500_000)
const MODELS = arg('models', 100_000)
const APPS = arg('apps', 5_000)
const COMPARE = !process.argv.includes('--no-compare')
const FLOWS_AT = process.argv.indexOf('--flows')

type Flow = 'samPro' | 'sam'
/** --flows sam,samPro (default both) */
const FLOWS: Flow[] =
  FLOWS_AT >= 0
    ? (String(process.argv[FLOWS_AT + 1]).split(',') as Flow[]).filter((f) => f === 'sam' || f === 'samPro')
    : ['samPro', 'sam']

interface Measured {
  flow: Flow
  scale: string
  ms: number
  read: number
  created: number
  relationsCreated: number
  requests: number
  peakRssMiB: number
  /** the highest heap used the hub's /metrics showed during the flow's run, sampled each second */
  peakHeapMiB: number
  status: string
}

/** A LeanIX Application for every business application of the instance, named alike. */
function twinApplications(instance: ServiceNowEmulator, lx: LeanixEmulator) {
  const store = lx.runtime.store
  const template = [...store.factSheets.values()].find((f) => f.type === 'Application') as FactSheetRecord
  for (const app of instance.data.sample('cmdb_ci_business_app', 1_000_000))
    store.putFactSheet(null, {
      ...template,
      id: randomUUID(),
      name: String(app.name),
      fields: { ...template.fields, externalId: null },
    })
  store.byUpdatedAt()
}

async function measure(flow: Flow, fraction: number): Promise<Measured> {
  const relations = Math.round(RELATIONS * fraction)
  const servers = Math.max(60, Math.min(50_000, Math.ceil(relations / 40)))
  const sn = await startServiceNow(relations, {
    samMaturity: 'samPro',
    businessApps: Math.round(APPS * fraction),
    installsPerServer: Math.round(INSTALLS * fraction) / servers,
    discoveryModels: Math.round(MODELS * fraction),
  })
  const { lx } = await startLeanix(0)
  const dir = mkdtempSync(join(tmpdir(), 'crosswalk-sam-bench-'))
  const hub = await startHub(dir)
  try {
    // the CSDM applications mapping is the Application relation's other end: it links each
    // seeded business application to its LeanIX twin by name
    twinApplications(sn.instance, lx)
    const { servicenowId, leanixId, applications } = await defaultMappings(hub, sn, lx)
    const linked = await runToEnd(hub, applications.id, {})
    if (linked.status !== 'OK' && linked.status !== 'WARNING') throw new Error(`applications: ${linked.status}`)
    const servicenow = { id: servicenowId }
    const leanix = { id: leanixId }
    const table = flow === 'samPro' ? 'cmdb_sam_sw_discovery_model' : 'cmdb_software_product_model'
    const mapping = await hub.api<{ id: string }>('POST', '/mappings', {
      name: `IT components (${flow})`,
      source: {
        connectionId: servicenow.id,
        entity: table,
        ...(flow === 'samPro' ? { filter: SAM_PRO_DISCOVERY_MODEL_FILTER } : {}),
        graphRules: [{ rule: flow === 'samPro' ? 'APPLICATION_SAM_PRO_CONNECTION' : 'APPLICATION_SAM_CONNECTION' }],
      },
      target: { connectionId: leanix.id, entity: 'ITComponent', category: 'software' },
      mode: 'conservative',
      fields: [{ type: 'field', source: flow === 'samPro' ? 'display_name' : 'name', target: 'name' }],
      matching: { rules: [{ source: [flow === 'samPro' ? 'display_name' : 'name'], target: ['name'] }] },
      relations: [
        {
          otherMapping: 'CSDM: Applications',
          source: { kind: 'field', field: 'graph_applications' },
          target: { kind: 'field', field: 'relITComponentToApplication' },
        },
      ],
    })
    const before = sn.meter.requests
    const started = performance.now()
    const sampling = sampleMemory(hub)
    const run = await runToEnd(hub, mapping.id, {})
    const ms = performance.now() - started
    const sampled = await sampling.stop()
    return {
      flow,
      scale: fraction === 1 ? 'full' : `1/${Math.round(1 / fraction)}`,
      ms: Math.round(ms),
      read: run.counts.read ?? 0,
      created: run.counts.created ?? 0,
      relationsCreated: run.counts.relationsCreated ?? 0,
      requests: sn.meter.requests - before,
      peakRssMiB: mib(hub.peakRss()),
      peakHeapMiB: mib(sampled.heapUsed),
      status: run.status,
    }
  } finally {
    await hub.close()
    await sn.close()
    await lx.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const results: Measured[] = []
for (const flow of FLOWS) {
  if (COMPARE) results.push(await measure(flow, 0.1))
  results.push(await measure(flow, 1))
}
console.log(
  `load ${loadavg()[0]?.toFixed(1)}; relations ${RELATIONS}, installs ${INSTALLS}, discovery models ${MODELS}, apps ${APPS}`,
)
console.table(results.map((r) => ({ ...r, 'rows/s': r.ms > 0 ? Math.round((r.read / r.ms) * 1000) : 0 })))
for (const flow of FLOWS) {
  const [tenth, full] = [
    results.find((r) => r.flow === flow && r.scale !== 'full'),
    results.find((r) => r.flow === flow && r.scale === 'full'),
  ]
  if (tenth && full)
    console.log(
      `${flow}: peak RSS ${full.peakRssMiB} MiB at full scale, ${tenth.peakRssMiB} MiB at a tenth: ratio ${(full.peakRssMiB / tenth.peakRssMiB).toFixed(2)} (target <= 1.20)`,
    )
}

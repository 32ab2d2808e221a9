// Benchmark of the sync engine end to end (run by hand, with nice on a shared machine:
// `nice -n 10 npx node test/bench/sync-100k.ts`).
//
// The CSDM default mapping "Applications" (LeanIX Application -> cmdb_ci_business_app, with its
// "Provided By::Provides" relations to capabilities) runs on a hub in its own process (server.ts,
// with the flags `npm start` gives it), against both emulators in this process, seeded directly
// through their seeding APIs: LeanIX with --apps applications (default 100,000), ServiceNow with
// --relations cmdb_rel_ci rows (default 1,000,000). Measured, each with the hub's CPU time beside
// the wall time, and the requests the emulators answered:
// 1. a full sync (records/s, requests per record, the hub's peak RSS);
// 2. a delta sync after --changed applications changed (default 100); target: under 1% of 1.;
// 3. event to write with short buffering: --events times (default 100), an application changes
//    and the hub is told (POST /api/v1/connections/{id}/changes, as a ServiceNow business rule
//    or a script does); the time until ServiceNow holds the new value, less the time the
//    emulators spent answering the hub meanwhile; target: p99 under 250 ms.
// With --compare (default on; --no-compare to skip) the same runs first at a tenth of the scale
// (apps and relations), in a fresh hub and fresh emulators: the hub's peak RSS at the full scale
// must stay within 20% of it (memory bounded by the page size, not by the tables).
// The store is PostgreSQL when CROSSWALK_TEST_DATABASE_URL names a server (a fresh database,
// dropped afterwards), else PGlite in a temporary folder (its memory is then in the hub's RSS).
// --profile writes a CPU profile of the hub (.cpuprofile, for Chrome DevTools) into the temp dir.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { getHeapStatistics } from 'node:v8'
import {
  changeApplication,
  mib,
  percentile,
  runToEnd,
  sampleMemory,
  type HubMemory,
  defaultMappings,
  sleep,
  startHub,
  startLeanix,
  startServiceNow,
} from './sync-fixture.ts'

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? Number(process.argv[at + 1]) : fallback
}
const flag = (name: string) => process.argv.includes(`--${name}`)

const APPS = arg('apps', 100_000)
const RELATIONS = arg('relations', 1_000_000)
const CHANGED = arg('changed', 100)
const EVENTS = arg('events', 100)
const COMPARE = !flag('no-compare')
const PROFILE = flag('profile')

// ---- one scale ------------------------------------------------------------------------------------

interface DeltaMeasured {
  ms: number
  hubCpuMs: number
  requests: number
  status: string
  counts: Record<string, number>
}

interface Measured {
  apps: number
  relations: number
  full: {
    ms: number
    hubCpuMs: number
    emulatorCpuMs: number
    emulatorBusyMs: number
    records: number
    requests: number
    status: string
    counts: Record<string, number>
  }
  peakRssMiB: number
  memory: HubMemory
  delta?: DeltaMeasured
  laterDelta?: DeltaMeasured
  events?: { p50: number; p95: number; p99: number; max: number; rawP99: number; emulatorP99: number; n: number }
}

async function measure(apps: number, relations: number, extras: boolean): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'crosswalk-bench-sync-'))
  let t = performance.now()
  const sn = await startServiceNow(relations)
  const { lx, meter: lxMeter } = await startLeanix(apps)
  const appIds = [...lx.runtime.store.factSheets.values()].filter((f) => f.type === 'Application').map((f) => f.id)
  console.log(
    `[${apps} apps / ${relations} rels] emulators seeded in ${Math.round(performance.now() - t)} ms: ` +
      `${appIds.length} applications, ${sn.instance.data.count('cmdb_rel_ci')} cmdb_rel_ci rows, ` +
      `${sn.instance.data.count('cmdb_ci_business_app')} cmdb_ci_business_app rows; ` +
      `this process (the emulators) holds ${mib(process.memoryUsage().heapUsed)} MiB of heap, ` +
      `limit ${mib(getHeapStatistics().heap_size_limit)} MiB`,
  )
  const hub = await startHub(dir, { profile: PROFILE })
  try {
    const { applications, leanixId, capabilities: caps } = await defaultMappings(hub, sn, lx)
    console.log(`  capabilities first: ${caps.status} ${JSON.stringify(caps.counts)}`)

    // 1. full sync
    const requestsBefore = sn.meter.requests + lxMeter.requests
    const cpuBefore = hub.cpuMs()
    const emulatorCpuBefore = process.cpuUsage()
    const busyBefore = sn.meter.busyMs + lxMeter.busyMs
    t = performance.now()
    const sampler = sampleMemory(hub)
    const full = await runToEnd(hub, applications.id, {})
    const fullMs = performance.now() - t
    const memory = await sampler.stop()
    const emulatorCpu = process.cpuUsage(emulatorCpuBefore)
    const result: Measured = {
      apps,
      relations,
      full: {
        ms: fullMs,
        hubCpuMs: hub.cpuMs() - cpuBefore,
        emulatorCpuMs: (emulatorCpu.user + emulatorCpu.system) / 1000,
        emulatorBusyMs: sn.meter.busyMs + lxMeter.busyMs - busyBefore,
        records: full.counts.read ?? 0,
        requests: sn.meter.requests + lxMeter.requests - requestsBefore,
        status: full.status,
        counts: full.counts,
      },
      peakRssMiB: mib(hub.peakRss()),
      memory,
    }
    console.log(
      `  full sync: ${full.status} in ${(fullMs / 1000).toFixed(1)} s (hub CPU ${(result.full.hubCpuMs / 1000).toFixed(1)} s, emulators' CPU ${(result.full.emulatorCpuMs / 1000).toFixed(1)} s, ` +
        `emulators answering requests ${(result.full.emulatorBusyMs / 1000).toFixed(1)} s), ` +
        `${Math.round(result.full.records / (fullMs / 1000))} records/s, ${(result.full.requests / Math.max(1, result.full.records)).toFixed(3)} requests/record, ` +
        `hub peak RSS ${result.peakRssMiB} MiB (sampled each second: heap used up to ${mib(memory.heapUsed)} MiB of ` +
        `${mib(memory.heapTotal)} MiB, external ${mib(memory.external)} MiB); ${JSON.stringify(full.counts)}${full.message ? ` (${full.message})` : ''}`,
    )
    if (!extras) return result

    // 2. delta syncs after CHANGED applications changed: the first right after the full sync
    // (it reads back what the full sync wrote: its watermark is from before), and a later one, a
    // minute on, as scheduled deltas run (past the connector's 60 s safety lag, so its window
    // holds only the first delta's own writes and the new changes)
    const deltaAfter = async (label: string, round: number) => {
      for (let i = 0; i < CHANGED; i++)
        await changeApplication(
          lx,
          appIds[(i * 997 + round * 7919) % appIds.length] as string,
          `changed for the delta bench ${round}.${i}`,
        )
      const deltaRequests = sn.meter.requests + lxMeter.requests
      const deltaCpu = hub.cpuMs()
      const started = performance.now()
      const delta = await runToEnd(hub, applications.id, { kind: 'delta' })
      const ms = performance.now() - started
      const measured = {
        ms,
        hubCpuMs: hub.cpuMs() - deltaCpu,
        requests: sn.meter.requests + lxMeter.requests - deltaRequests,
        status: delta.status,
        counts: delta.counts,
      }
      console.log(
        `  ${label} of ${CHANGED} changes: ${delta.status} in ${(ms / 1000).toFixed(2)} s (hub CPU ${(measured.hubCpuMs / 1000).toFixed(2)} s), ` +
          `${((ms / fullMs) * 100).toFixed(2)}% of the full sync (target < 1%), ${measured.requests} requests; ${JSON.stringify(delta.counts)}`,
      )
      return measured
    }
    result.delta = await deltaAfter('delta sync right after the full sync', 0)
    await sleep(65_000)
    result.laterDelta = await deltaAfter('a later delta sync', 1)

    // 3. event to write, short buffering
    await hub.api('PATCH', `/mappings/${applications.id}`, {
      events: { ...applications.definition.events, shortBuffering: true },
    })
    const linked = new Map<string, string>() // fact sheet id -> sys_id
    for (const row of sn.instance.data.sample('cmdb_ci_business_app', 10_000_000))
      if (row.correlation_id) linked.set(row.correlation_id, row.sys_id as string)
    const eventIds = appIds.filter((id) => linked.has(id))
    const raw: number[] = []
    const beyond: number[] = []
    const emulatorMs: number[] = []
    for (let i = 0; i < EVENTS; i++) {
      const id = eventIds[(i * 7919) % eventIds.length] as string
      const description = `event ${i} at ${Date.now()}`
      await changeApplication(lx, id, description)
      const written = new Promise<number>((resolve) => {
        const off = sn.instance.data.onChange((e) => {
          if (
            e.table === 'cmdb_ci_business_app' &&
            e.sysId === linked.get(id) &&
            e.record.description === description
          ) {
            off()
            resolve(performance.now())
          }
        })
      })
      const busy = sn.meter.busyMs + lxMeter.busyMs
      const sent = performance.now()
      await hub.api('POST', `/connections/${leanixId}/changes`, { entity: 'Application', id, op: 'update' })
      const at = await Promise.race([written, sleep(60_000).then(() => NaN)])
      if (Number.isNaN(at)) throw new Error(`event ${i}: ServiceNow did not get the change within 60 s`)
      const emulators = sn.meter.busyMs + lxMeter.busyMs - busy
      raw.push(at - sent)
      emulatorMs.push(emulators)
      beyond.push(at - sent - emulators)
      // let that partial run finish, so each event is measured alone
      await sleep(300)
      for (;;) {
        const running = await hub.api<{ total: number }>(
          'GET',
          `/runs?mappingId=${applications.id}&status=RUNNING&limit=1`,
        )
        const queued = await hub.api<{ total: number }>(
          'GET',
          `/runs?mappingId=${applications.id}&status=QUEUED&limit=1`,
        )
        if (running.total === 0 && queued.total === 0) break
        await sleep(100)
      }
    }
    const sorted = [...beyond].sort((a, b) => a - b)
    result.events = {
      n: EVENTS,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? NaN,
      rawP99: percentile(
        [...raw].sort((a, b) => a - b),
        99,
      ),
      emulatorP99: percentile(
        [...emulatorMs].sort((a, b) => a - b),
        99,
      ),
    }
    const e = result.events
    console.log(
      `  event to write (${EVENTS} events, short buffering), beyond the emulators' own time: ` +
        `p50 ${Math.round(e.p50)} ms, p95 ${Math.round(e.p95)} ms, p99 ${Math.round(e.p99)} ms (target < 250), max ${Math.round(e.max)} ms; ` +
        `raw p99 ${Math.round(e.rawP99)} ms, emulators' p99 ${Math.round(e.emulatorP99)} ms`,
    )
    return result
  } finally {
    await hub.close()
    await sn.close()
    await lx.close()
    if (PROFILE) {
      for (const f of readdirSync(dir)) if (f.endsWith('.cpuprofile')) console.log(`  hub CPU profile: ${join(dir, f)}`)
    } else rmSync(dir, { recursive: true, force: true })
  }
}

console.log(
  `sync bench: ${APPS} applications, ${RELATIONS} cmdb_rel_ci rows, store ${process.env.CROSSWALK_TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, load ${loadavg()[0]?.toFixed(1)}`,
)
const small = COMPARE ? await measure(Math.round(APPS / 10), Math.round(RELATIONS / 10), false) : undefined
const big = await measure(APPS, RELATIONS, true)
if (small)
  console.log(
    `peak RSS of the hub: ${big.peakRssMiB} MiB at ${APPS} apps / ${RELATIONS} rows against ${small.peakRssMiB} MiB at a tenth: ` +
      `ratio ${(big.peakRssMiB / small.peakRssMiB).toFixed(2)} (target <= 1.2)`,
  )
console.log(`load average at the end ${loadavg()[0]?.toFixed(1)}`)
process.exit(0)

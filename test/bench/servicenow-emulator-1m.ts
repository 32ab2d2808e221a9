// Benchmark (run by hand): seed an emulated instance with 1,000,000 cmdb_rel_ci rows, then scan
// the whole table over HTTP with keyset pages (sys_id>X^ORDERBYsys_id, no count), the way the
// production client reads big tables.
//   npx node test/bench/servicenow-emulator-1m.ts [rows] [pageSize]
import { startServiceNowEmulator } from '../../connectors/servicenow/emulator/index.ts'

const rows = Number(process.argv[2] ?? 1_000_000)
const pageSize = Number(process.argv[3] ?? 2000)
const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since)
  return Math.round((u.user + u.system) / 1000)
}
const heapBefore = process.memoryUsage().heapUsed
let cpu = process.cpuUsage()
let t = performance.now()
const emu = await startServiceNowEmulator({ seed: { relations: rows } })
const seedMs = performance.now() - t
const seedCpu = cpuMs(cpu)
global.gc?.()
const heapAfter = process.memoryUsage().heapUsed
console.log(
  `seeded ${emu.instance.data.count('cmdb_rel_ci')} cmdb_rel_ci rows in ${Math.round(seedMs)} ms (cpu ${seedCpu} ms); heap +${mb(heapAfter - heapBefore)} (rss ${mb(process.memoryUsage().rss)})`,
)

const auth = 'Basic ' + Buffer.from('admin:admin').toString('base64')
let cursor = ''
let total = 0
let pages = 0
let slowest = 0
cpu = process.cpuUsage()
t = performance.now()
for (;;) {
  const q = encodeURIComponent(`${cursor ? `sys_id>${cursor}^` : ''}ORDERBYsys_id`)
  const started = performance.now()
  const res = await fetch(
    `${emu.url}/api/now/table/cmdb_rel_ci?sysparm_query=${q}&sysparm_limit=${pageSize}&sysparm_no_count=true&sysparm_suppress_pagination_header=true&sysparm_exclude_reference_link=true&sysparm_fields=sys_id,parent,child,type`,
    { headers: { authorization: auth, accept: 'application/json' } },
  )
  const body = (await res.json()) as { result: Array<{ sys_id: string }> }
  slowest = Math.max(slowest, performance.now() - started)
  if (body.result.length === 0) break
  total += body.result.length
  pages++
  cursor = body.result[body.result.length - 1]?.sys_id ?? ''
}
const scanMs = performance.now() - t
console.log(
  `keyset scan: ${total} rows in ${pages} pages of ${pageSize} in ${Math.round(scanMs)} ms (cpu of server and client together ${cpuMs(cpu)} ms; ${Math.round(total / (scanMs / 1000))} rows/s, mean page ${Math.round(scanMs / pages)} ms, slowest ${Math.round(slowest)} ms)`,
)

t = performance.now()
const counted = await fetch(`${emu.url}/api/now/table/cmdb_rel_ci?sysparm_limit=1&sysparm_fields=sys_id`, {
  headers: { authorization: auth, accept: 'application/json' },
})
console.log(`X-Total-Count ${counted.headers.get('x-total-count')} in ${Math.round(performance.now() - t)} ms`)
t = performance.now()
const filtered = await fetch(
  `${emu.url}/api/now/table/cmdb_rel_ci?sysparm_query=${encodeURIComponent('type=60bc4e22c0a8010e01f074cbe6bd73c3')}&sysparm_limit=1&sysparm_fields=sys_id`,
  { headers: { authorization: auth, accept: 'application/json' } },
)
console.log(
  `filtered count (full scan with the evaluator) ${filtered.headers.get('x-total-count')} in ${Math.round(performance.now() - t)} ms`,
)
await emu.close()

// Benchmark of the ServiceNow read path (run by hand: `npx node test/bench/servicenow-read.ts`).
//
// 1. Throughput and memory: 1,000,000 cmdb_rel_ci rows read from the emulator through the
//    connector, against a bare loop that fetches the same keyset pages with undici and only
//    JSON.parse. Target: connector time at most 1.3x the bare loop; peak RSS of a 1,000,000-row
//    read within 20% of a 100,000-row read (memory does not grow with the table).
// 2. Latency-bound parallelism: the emulator takes 200 ms for every page (its own work included)
//    and runs 4 requests at once; a 100,000-row read must finish within 1.2x of pages / 4 x 200 ms.
//
// The emulator runs in its own process and every measured read in a fresh process, so each RSS
// figure is the reader's alone. Next to wall time each line shows the CPU time of the reader and
// of the emulator during that read (from /proc), steadier than wall time on a shared machine.
// Options: --rows N (default 1000000), --page N (default 1000), --semi N (V8's
// --max-semi-space-size in MB for the reading processes, bare loops and connector alike: V8 grows
// the young generation up to its ceiling as a long read goes on, see the ServiceNow emulator README).
// By default the reading processes run with the flags `npm start` gives the hub (package.json);
// `--semi 0` leaves V8's own ceiling.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Pool } from 'undici'
import { createServiceNowConnector } from '../../connectors/servicenow/index.ts'
import type { ServiceNowSettings } from '../../connectors/servicenow/index.ts'
import { startServiceNowEmulator } from '../../connectors/servicenow/emulator/index.ts'

const SELF = fileURLToPath(import.meta.url)
const FIELDS = ['parent', 'child', 'type']
const ADMIN = `Basic ${Buffer.from('admin:admin').toString('base64')}`

/** the semi-space ceiling the hub runs with: read from the start script, so the two stay one */
function hubSemiSpaceMb(): number {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts?: Record<string, string>
  }
  const match = /--max-semi-space-size=(\d+)/.exec(pkg.scripts?.start ?? '')
  return match ? Number(match[1]) : 0
}

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? Number(process.argv[at + 1]) : fallback
}
function text(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? process.argv[at + 1] : undefined
}

interface ReadResult {
  records: number
  ms: number
  peakRssMb: number
  requests?: number
  /** CPU time of the reading process during the read */
  cpuMs?: number
  /** CPU time of the emulator process during the read (Linux /proc) */
  emulatorCpuMs?: number
}

// ---- child: the emulator -------------------------------------------------------------------
async function serve(): Promise<void> {
  const relations = arg('relations', 1_000_000)
  const slowMs = arg('slow', 0)
  const emu = await startServiceNowEmulator({
    seed: { relations, seed: 1 },
    concurrency: slowMs > 0 ? { maxConcurrent: 4, queueDepth: 50 } : { maxConcurrent: 16, queueDepth: 50 },
  })
  if (slowMs > 0)
    emu.instance.faults.add({ kind: 'slow-page', pathPrefix: '/api/now/table/cmdb_rel_ci', delayMs: slowMs })
  process.stdout.write(`${JSON.stringify({ url: emu.url, rows: emu.instance.data.count('cmdb_rel_ci') })}\n`)
  process.once('SIGTERM', () => void emu.close().then(() => process.exit(0)))
}

// ---- child: one measured read --------------------------------------------------------------
/**
 * Peak RSS of this process from now on. On Linux the kernel keeps the high-water mark (VmHWM),
 * reset through /proc/self/clear_refs: exact and free. Elsewhere, sampling; each sample costs about
 * 0.2 ms of CPU, which would show in the CPU figures.
 */
function rssSampler() {
  let kernel = true
  try {
    writeFileSync('/proc/self/clear_refs', '5')
  } catch {
    kernel = false
  }
  let peak = process.memoryUsage.rss()
  const timer = kernel
    ? undefined
    : setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss())
      }, 20)
  return {
    sample: () => {
      if (!kernel) peak = Math.max(peak, process.memoryUsage.rss())
    },
    stop: () => {
      clearInterval(timer)
      const hwm = kernel ? /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] : undefined
      return Math.round((hwm ? Number(hwm) * 1024 : Math.max(peak, process.memoryUsage.rss())) / 1e6)
    },
  }
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start)
  return Math.round((used.user + used.system) / 1000)
}

/** user + system CPU ms of another process so far (Linux); undefined elsewhere */
function processCpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second)
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}

/** sys_id range bounds splitting the key space in n, as the connector's partitions do */
function bounds(n: number): string[] {
  return Array.from(
    { length: n - 1 },
    (_, i) =>
      Math.floor(((i + 1) * 2 ** 32) / n)
        .toString(16)
        .padStart(8, '0') + '0'.repeat(24),
  )
}

async function bareLoop(url: string, limit: number, pageSize: number, loops = 1): Promise<ReadResult> {
  const pool = new Pool(url, { connections: loops })
  const rss = rssSampler()
  const cpu = process.cpuUsage()
  const started = performance.now()
  let records = 0
  let requests = 0
  const cut = bounds(loops)
  const one = async (lo: string | undefined, hi: string | undefined) => {
    let after = ''
    for (;;) {
      const range = [after ? `sys_id>${after}` : lo ? `sys_id>=${lo}` : '', hi ? `sys_id<${hi}` : ''].filter(Boolean)
      const rows = await page(range, pageSize)
      if (rows.length === 0 || records >= limit) break
      records += rows.length
      after = (rows.at(-1) as { sys_id: string }).sys_id
    }
  }
  const page = async (range: string[], size: number) => {
    const query = new URLSearchParams({
      sysparm_query: [...range, 'ORDERBYsys_id'].join('^'),
      sysparm_fields: ['sys_id', 'sys_updated_on', ...FIELDS].join(','),
      sysparm_limit: String(size),
      sysparm_display_value: 'false',
      sysparm_exclude_reference_link: 'true',
      sysparm_no_count: 'true',
      sysparm_suppress_pagination_header: 'true',
    })
    const send = () =>
      pool.request({
        path: `/api/now/table/cmdb_rel_ci?${query}`,
        method: 'GET',
        headers: { accept: 'application/json', authorization: ADMIN },
      })
    requests++
    // one retry on a reset keep-alive socket, the least any loop needs to finish a long read
    const res = await send().catch(() => {
      requests++
      return send()
    })
    const rows = (JSON.parse(await res.body.text()) as { result: Array<{ sys_id: string }> }).result
    rss.sample()
    return rows
  }
  await Promise.all(Array.from({ length: loops }, (_, i) => one(cut[i - 1], cut[i])))
  const ms = performance.now() - started
  const cpuMs = cpuSince(cpu)
  await pool.close()
  return { records, ms, peakRssMb: rss.stop(), requests, cpuMs }
}

async function connectorRead(
  url: string,
  limit: number,
  pageSize: number,
  partitions: 'auto' | number,
): Promise<ReadResult> {
  const connector = createServiceNowConnector()
  const settings = {
    instanceUrl: url,
    allowHttp: true,
    authKind: 'basic',
    username: 'admin',
    pageSize,
    concurrency: 4,
  } as ServiceNowSettings
  const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
  const conn = { id: 'bench', name: 'bench', settings, secrets: { password: 'admin' }, logger: log }
  const client = connector.clientFor(conn)
  const rss = rssSampler()
  const cpu = process.cpuUsage()
  const started = performance.now()
  let records = 0
  const pages =
    partitions === 'auto'
      ? connector.read(conn, 'cmdb_rel_ci', { fields: FIELDS })
      : client.readTable('cmdb_rel_ci', { fields: FIELDS, partitions })
  for await (const page of pages) {
    records += page.records.length
    rss.sample()
    if (records >= limit) break
  }
  const ms = performance.now() - started
  const cpuMs = cpuSince(cpu)
  const requests = client.requestsSent
  await connector.close()
  return { records, ms, peakRssMb: rss.stop(), requests, cpuMs }
}

async function measure(): Promise<void> {
  const url = text('url') as string
  const limit = arg('limit', Number.POSITIVE_INFINITY)
  const pageSize = arg('page', 1000)
  const mode = text('mode')
  const result =
    mode === 'bare' || mode === 'bare4'
      ? await bareLoop(url, limit, pageSize, mode === 'bare4' ? 4 : 1)
      : await connectorRead(url, limit, pageSize, mode === 'serial' ? 1 : 'auto')
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

// ---- parent: orchestration -----------------------------------------------------------------
async function child<T>(
  args: string[],
  nodeFlags: string[] = [],
): Promise<{ value: T; pid: number | undefined; kill: () => Promise<void> }> {
  const proc = spawn(process.execPath, ['--max-old-space-size=4096', ...nodeFlags, SELF, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let buffer = ''
  const value = await new Promise<T>((resolve, reject) => {
    proc.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const nl = buffer.indexOf('\n')
      if (nl >= 0) resolve(JSON.parse(buffer.slice(0, nl)) as T)
    })
    proc.once('exit', (code) => reject(new Error(`child ${args.join(' ')} exited with ${code}`)))
  })
  return {
    value,
    pid: proc.pid,
    kill: async () => {
      if (proc.exitCode !== null) return
      proc.kill('SIGTERM')
      await once(proc, 'exit')
    },
  }
}

interface Emulator {
  url: string
  pid: number | undefined
}

async function read(emu: Emulator, mode: string, limit: number, pageSize: number): Promise<ReadResult> {
  const semi = arg('semi', hubSemiSpaceMb())
  const before = processCpuMs(emu.pid)
  const run = await child<ReadResult>(
    ['--measure', '--url', emu.url, '--mode', mode, '--limit', String(limit), '--page', String(pageSize)],
    semi > 0 ? [`--max-semi-space-size=${semi}`] : [],
  )
  const after = processCpuMs(emu.pid)
  await run.kill()
  return before === undefined || after === undefined ? run.value : { ...run.value, emulatorCpuMs: after - before }
}

const rate = (r: ReadResult) => Math.round(r.records / (r.ms / 1000))
const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(1))
const line = (label: string, r: ReadResult) =>
  `${label.padEnd(34)} ${String(r.records).padStart(8)} rows ${seconds(r.ms).padStart(6)} s ${String(rate(r)).padStart(7)} rows/s  peak RSS ${r.peakRssMb} MB  requests ${r.requests ?? '-'}  CPU reader ${seconds(r.cpuMs)} s, emulator ${seconds(r.emulatorCpuMs)} s`

async function main(): Promise<void> {
  const rows = arg('rows', 1_000_000)
  const pageSize = arg('page', 1000)
  const small = Math.min(100_000, rows)
  const semi = arg('semi', hubSemiSpaceMb())
  if (semi > 0) console.log(`reading processes run with --max-semi-space-size=${semi}`)
  console.log(`seeding the emulator with ${rows} cmdb_rel_ci rows (takes a while) ...`)
  const started = await child<{ url: string; rows: number }>(['--serve', '--relations', String(rows)])
  const emu = { url: started.value.url, pid: started.pid }
  try {
    const all = Number.POSITIVE_INFINITY
    const bare = await read(emu, 'bare', all, pageSize)
    const bare4 = await read(emu, 'bare4', all, pageSize)
    const serial = await read(emu, 'serial', all, pageSize)
    const serialSmall = await read(emu, 'serial', small, pageSize)
    const auto = await read(emu, 'auto', all, pageSize)
    const autoSmall = await read(emu, 'auto', small, pageSize)
    console.log(line('bare loop, 1 keyset loop', bare))
    console.log(line('bare loop, 4 sys_id partitions', bare4))
    console.log(line('connector, one partition', serial))
    console.log(line(`connector, one partition, ${small} rows`, serialSmall))
    console.log(line('connector, default (4 partitions)', auto))
    console.log(line(`connector, default, ${small} rows`, autoSmall))
    const ratio = (a: ReadResult, b: ReadResult) => (a.ms / b.ms).toFixed(2)
    const cpu = (r: ReadResult) => (r.cpuMs ?? 0) + (r.emulatorCpuMs ?? 0)
    const cpuRatio = (a: ReadResult, b: ReadResult) => (cpu(a) / cpu(b)).toFixed(2)
    const rssRatio = (a: ReadResult, b: ReadResult) => (a.peakRssMb / b.peakRssMb).toFixed(2)
    console.log(
      `time connector/bare (target <= 1.3x): one partition ${ratio(serial, bare)}x, 4 partitions ${ratio(auto, bare4)}x`,
    )
    console.log(
      `CPU reader + emulator, connector/bare: one partition ${cpuRatio(serial, bare)}x, 4 partitions ${cpuRatio(auto, bare4)}x`,
    )
    console.log(
      `peak RSS ${rows} vs ${small} rows (target <= 1.2): one partition ${rssRatio(serial, serialSmall)}, 4 partitions ${rssRatio(auto, autoSmall)}`,
    )
  } finally {
    await started.kill()
  }

  const slowRows = 100_000
  console.log(`\nlatency-bound: ${slowRows} rows, every page takes 200 ms, 4 requests at once on the instance`)
  const slowStarted = await child<{ url: string; rows: number }>([
    '--serve',
    '--relations',
    String(slowRows),
    '--slow',
    '200',
  ])
  try {
    const r = await read({ url: slowStarted.value.url, pid: slowStarted.pid }, 'auto', Infinity, pageSize)
    const pages = Math.ceil(slowStarted.value.rows / pageSize)
    const bound = (pages / 4) * 200
    console.log(line(`connector, page ${pageSize}, 4 partitions`, r))
    console.log(
      `wall ${(r.ms / 1000).toFixed(2)} s vs bound ${pages} pages / 4 x 200 ms = ${(bound / 1000).toFixed(2)} s: ${(r.ms / bound).toFixed(2)}x (target <= 1.2x)`,
    )
  } finally {
    await slowStarted.kill()
  }
}

if (process.argv.includes('--serve')) await serve()
else if (process.argv.includes('--measure')) await measure()
else await main()

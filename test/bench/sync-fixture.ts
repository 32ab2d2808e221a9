// What the sync benchmarks share: both emulators in this process, seeded directly through their
// seeding APIs and metered (requests answered, time spent on them), and the hub in a process of
// its own with the flags `npm start` gives it, reached over its REST API.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { randomBytes, randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { ServiceNowEmulator } from '../../connectors/servicenow/emulator/index.ts'
import { seedCsdm, type SeedOptions } from '../../connectors/servicenow/emulator/seed/csdm.ts'
import { buildEmulatorServer } from '../../connectors/servicenow/emulator/server.ts'
import { startLeanixEmulator, type LeanixEmulator } from '../../connectors/leanix/emulator/index.ts'
import type { FactSheetRecord } from '../../connectors/leanix/emulator/workspace/records.ts'
import { createTestDatabase } from '../helpers/store.ts'
import { freePort } from '../integration/cli/run-cli.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const SN_PASSWORD = 'bench-admin'
export const SN_HUB_USER = 'crosswalk.hub'

export const mib = (bytes: number) => Math.round(bytes / 1048576)
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN

/** Requests an emulator answered, and the time it spent on them (from request to response end). */
export class RequestMeter {
  requests = 0
  busyMs = 0
  attach(app: FastifyInstance) {
    app.server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.requests++
      const started = performance.now()
      res.once('finish', () => {
        const ms = performance.now() - started
        this.busyMs += ms
        if (process.env.SLOW && ms > Number(process.env.SLOW))
          console.log('SLOW', Math.round(ms), _req.method, decodeURIComponent(_req.url ?? '').slice(0, 300))
      })
    })
  }
  snapshot() {
    return { requests: this.requests, busyMs: this.busyMs }
  }
}

// ---- the emulators, seeded directly -----------------------------------------------------------

export async function startServiceNow(relations: number, seed: Partial<SeedOptions> = {}) {
  // the hub signs in as a user of its own, as in production (deltas leave out that user's writes)
  const instance = new ServiceNowEmulator({
    adminPassword: SN_PASSWORD,
    users: [{ userName: SN_HUB_USER, password: SN_PASSWORD, roles: ['admin'] }],
  })
  const seeded = seedCsdm(instance, { seed: 1, relations, ...seed })
  const app = buildEmulatorServer(instance)
  const meter = new RequestMeter()
  meter.attach(app)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  instance.baseUrl = url
  return { instance, app, url, meter, seeded, close: async () => (instance.close(), await app.close()) }
}

/**
 * A LeanIX workspace with `apps` applications: the emulator's seed (capabilities, IT components,
 * a first set of applications), then copies of its applications, each with its template's
 * capability relations, put straight into the store.
 */
export async function startLeanix(apps: number) {
  const lx = await startLeanixEmulator({ seed: { seed: 7, factSheets: 2000 } })
  const meter = new RequestMeter()
  meter.attach(lx.app)
  const store = lx.runtime.store
  const templates = [...store.factSheets.values()].filter((f) => f.type === 'Application')
  const seededApps = templates.length
  for (let i = seededApps; i < apps; i++) {
    const template = templates[i % seededApps] as FactSheetRecord
    const copy: FactSheetRecord = {
      ...template,
      id: randomUUID(),
      name: `${template.name} ${i}`,
      fields: { ...template.fields, externalId: null },
    }
    store.putFactSheet(null, copy)
    for (const r of store.relationsOf(template.id))
      if (r.fromId === template.id && r.definitionKey.includes('BusinessCapability'))
        store.putRelation(null, { ...r, id: randomUUID(), fromId: copy.id })
  }
  // as the emulator's own seed does: the updatedAt order is there before the first read
  store.byUpdatedAt()
  return { lx, meter }
}

/** Changes one application's description the way a user does (Pathfinder GraphQL, in process). */
export async function changeApplication(lx: LeanixEmulator, id: string, description: string) {
  const user = [...lx.runtime.store.users.values()].find((u) => u.technicalUser && u.role === 'ADMIN')
  const answer = await lx.runtime.graphql.run(
    {
      query:
        'mutation ($id: ID!, $patches: [Patch]!) { updateFactSheet(id: $id, patches: $patches) { factSheet { id } } }',
      variables: { id, patches: [{ op: 'replace', path: '/description', value: description }] },
    },
    user as never,
  )
  if ((answer as { errors?: unknown[] }).errors?.length) throw new Error(JSON.stringify(answer))
}

// ---- the hub, in its own process ----------------------------------------------------------------

/** the flags `npm start` gives the hub (package.json), so the measured process is the one users run */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
  return pkg.scripts.start.split(/\s+/).filter((w) => w.startsWith('--'))
}

export interface Hub {
  url: string
  token: string
  child: ChildProcess
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>
  /** CPU time of the hub process so far, ms (Linux /proc) */
  cpuMs(): number
  /** the hub's peak resident memory so far (VmHWM), bytes */
  peakRss(): number
  /** what the hub's /metrics says of its memory now, bytes */
  memory(): Promise<HubMemory>
  close(): Promise<void>
}

export interface HubMemory {
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
}

const MEMORY_GAUGES: Record<keyof HubMemory, string> = {
  rss: 'process_resident_memory_bytes',
  heapUsed: 'nodejs_heap_size_used_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  external: 'nodejs_external_memory_bytes',
}

/**
 * Samples the hub's memory every `everyMs` until stopped; the highest of each figure. Heap used
 * beside RSS tells live data from what the collector has not given back yet.
 */
export function sampleMemory(hub: Hub, everyMs = 1000): { stop(): Promise<HubMemory> } {
  const peak: HubMemory = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0 }
  let running = true
  const loop = (async () => {
    while (running) {
      const now = await hub.memory().catch(() => undefined)
      if (now) for (const k of Object.keys(peak) as Array<keyof HubMemory>) peak[k] = Math.max(peak[k], now[k])
      await sleep(everyMs)
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return peak
    },
  }
}

export interface HubOptions {
  /** 'postgres' needs CROSSWALK_TEST_DATABASE_URL (a fresh database, dropped on close); default: PostgreSQL when it is set */
  store?: 'embedded' | 'postgres'
  /** write a CPU profile of the hub into `dir` */
  profile?: boolean
}

export async function startHub(dir: string, options: HubOptions = {}): Promise<Hub> {
  const port = await freePort()
  const token = `cw_bench_${randomBytes(24).toString('base64url')}`
  const store = options.store ?? (process.env.CROSSWALK_TEST_DATABASE_URL ? 'postgres' : 'embedded')
  if (store === 'postgres' && !process.env.CROSSWALK_TEST_DATABASE_URL)
    throw new Error('the PostgreSQL store needs CROSSWALK_TEST_DATABASE_URL')
  const database = store === 'postgres' ? await createTestDatabase() : { url: undefined, drop: async () => {} }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CROSSWALK_ADMIN_TOKEN: token,
    CROSSWALK_MASTER_KEY: randomBytes(32).toString('base64'),
    CROSSWALK_SANDBOX: 'off',
    CROSSWALK_SYNC_SCHEDULES: 'false',
    CROSSWALK_EGRESS_ALLOW_PRIVATE_NETWORKS: 'true',
    CROSSWALK_RATE_LIMIT_MAX: '1000000',
    CROSSWALK_RATE_LIMIT_PROBES_MAX: '1000000',
    CROSSWALK_DATA_DIR: join(dir, 'data'),
  }
  if (database.url) env.DATABASE_URL = database.url
  const flags = [...startFlags(), ...(options.profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [])]
  const child = spawn(process.execPath, [...flags, 'server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    if (i > 600 || child.exitCode !== null) throw new Error('the hub did not start')
    await sleep(250)
  }
  const stat = () => readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  const ticks = 100 // USER_HZ on Linux
  return {
    url,
    token,
    child,
    async api<T>(method: string, path: string, body?: unknown): Promise<T> {
      let res: Response
      for (let attempt = 1; ; attempt++) {
        try {
          res = await fetch(`${url}/api/v1${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
            ...(body ? { body: JSON.stringify(body) } : {}),
          })
          break
        } catch (error) {
          // a kept-alive socket the hub closed as it was reused: said, and sent again (reads only)
          const cause = (error as { cause?: { code?: string } }).cause?.code
          console.log(
            `  ${method} ${path} failed (${cause ?? String(error)}), attempt ${attempt}, hub alive: ${child.exitCode === null}`,
          )
          if (method !== 'GET' || attempt >= 5) throw error
          await sleep(500)
        }
      }
      const text = await res.text()
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`)
      return (text ? JSON.parse(text) : undefined) as T
    },
    cpuMs() {
      const f = stat()
      return ((Number(f[11]) + Number(f[12])) * 1000) / ticks
    },
    async memory() {
      const text = await (await fetch(`${url}/metrics`)).text()
      const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? 0)
      return {
        rss: gauge(MEMORY_GAUGES.rss),
        heapUsed: gauge(MEMORY_GAUGES.heapUsed),
        heapTotal: gauge(MEMORY_GAUGES.heapTotal),
        external: gauge(MEMORY_GAUGES.external),
      }
    },
    peakRss() {
      const line = readFileSync(`/proc/${child.pid}/status`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('VmHWM:'))
      return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024
    },
    async close() {
      child.kill('SIGTERM')
      if (child.exitCode === null) await once(child, 'exit')
      await database.drop()
    },
  }
}

export interface RunAnswer {
  id: string
  status: string
  counts: Record<string, number>
  message: string | null
}

export async function runToEnd(hub: Hub, mappingId: string, body: Record<string, unknown>): Promise<RunAnswer> {
  const started = await hub.api<RunAnswer>('POST', `/mappings/${mappingId}/runs`, body)
  for (;;) {
    await sleep(100)
    const run = await hub.api<RunAnswer>('GET', `/runs/${started.id}`)
    if (['OK', 'WARNING', 'ERROR', 'CANCELLED'].includes(run.status)) return run
  }
}

export interface DefaultMapping {
  id: string
  name: string
  definition: { events: object }
}

/**
 * Connections from the hub to both emulators and the CSDM default mappings between them; the
 * capabilities mapping is run once, so that the applications' relations have their other end.
 */
export async function defaultMappings(
  hub: Hub,
  sn: { url: string },
  lx: { url: string; apiToken: string },
): Promise<{ servicenowId: string; leanixId: string; applications: DefaultMapping; capabilities: RunAnswer }> {
  const servicenow = await hub.api<{ id: string }>('POST', '/connections', {
    name: 'servicenow',
    connector: 'servicenow',
    settings: { instanceUrl: sn.url, allowHttp: true, authKind: 'basic', username: SN_HUB_USER, password: SN_PASSWORD },
  })
  const leanix = await hub.api<{ id: string }>('POST', '/connections', {
    name: 'leanix',
    connector: 'leanix',
    settings: { instanceUrl: lx.url, allowHttp: true, apiToken: lx.apiToken },
  })
  const defaults = await hub.api<{ items: DefaultMapping[] }>('POST', '/mappings/defaults', {
    leanixConnectionId: leanix.id,
    servicenowConnectionId: servicenow.id,
  })
  const [capabilities, applications] = defaults.items
  if (!capabilities || !applications) throw new Error('no default mappings')
  return {
    servicenowId: servicenow.id,
    leanixId: leanix.id,
    applications,
    capabilities: await runToEnd(hub, capabilities.id, {}),
  }
}

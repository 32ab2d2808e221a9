// Crash safety: a full run whose hub process is SIGKILLed at 20 random points, between writing
// the systems and committing, or right after a commit, then taken over by a new process each
// time, leaves both systems as an uninterrupted run does: every application once in ServiceNow
// with the hub's identity, every ServiceNow number written back once into LeanIX, no duplicate on
// either side. Needs a PostgreSQL server (several processes on one store).
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { startLeanixEmulator } from '../../../connectors/leanix/emulator/index.ts'
import { createTestDatabase } from '../../helpers/store.ts'
import { NEEDS_POSTGRES, postgresUrl } from '../../helpers/postgres.ts'
import { until } from '../../helpers/until.ts'

const HUB = fileURLToPath(new URL('./crash/crash-hub.ts', import.meta.url))
const KILLS = 20
const APPS = 60
const PREFIX = 'cwcrash'
const SN_PASSWORD = 'crash-admin'

interface Child {
  child: ChildProcess
  address: string
  lines: string[]
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function startHub(environment: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, [HUB], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  const lines: string[] = []
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the hub did not start: ${stderr.join('')}`))
    }, 120_000)
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`the hub exited (${code ?? signal}) before it was ready: ${stderr.join('')}`))
    })
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line)
      if (line.includes('"ready":true')) {
        clearTimeout(timer)
        resolve({ child, address: (JSON.parse(line) as { address: string }).address, lines, exited })
      }
    })
  })
}

/** a small seeded generator: the same crash points on every run of the test */
function points(seed: number) {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

t.test(
  'a run killed at 20 random points and resumed each time ends as an uninterrupted run, with no duplicate',
  { skip: postgresUrl ? false : NEEDS_POSTGRES },
  async (t) => {
    const database = await createTestDatabase()
    t.teardown(() => database.drop())
    const sn = await startServiceNowEmulator({
      adminPassword: SN_PASSWORD,
      seed: { seed: 5, relations: 50, businessApps: 10 },
    })
    t.teardown(() => sn.close())
    const lx = await startLeanixEmulator({
      seed: { seed: 5, factSheets: 60 },
      technicalUsers: [
        { userName: 'crosswalk-hub', role: 'ADMIN' },
        { userName: 'architect', role: 'ADMIN' },
      ],
    })
    t.teardown(() => lx.close())
    const children: Child[] = []
    t.teardown(async () => {
      for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL')
      await Promise.all(children.map((c) => c.exited))
    })
    const adminToken = `cw_test_admin_${randomBytes(24).toString('base64url')}`
    const environment: Record<string, string> = {
      DATABASE_URL: database.url as string,
      CROSSWALK_MASTER_KEY: randomBytes(32).toString('base64'),
      CROSSWALK_ADMIN_TOKEN: adminToken,
      CROSSWALK_SANDBOX: 'off',
      LOG_LEVEL: 'warn',
      CROSSWALK_QUEUE_POLLING_SECONDS: '0.5',
      CROSSWALK_SYNC_SCHEDULES: 'false',
      CROSSWALK_SYNC_EVENT_LISTENERS: 'false',
    }
    const call = async (c: Child, method: string, url: string, body?: unknown) => {
      const res = await fetch(`${c.address}${url}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    }

    // LeanIX holds the applications; an architect made them (not the hub's technical user)
    const tokenRes = await fetch(`${lx.url}/services/mtm/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`apitoken:${lx.apiTokens.architect}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    })
    const lxToken = ((await tokenRes.json()) as { access_token: string }).access_token
    const lxGraphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const res = await fetch(`${lx.url}/services/pathfinder/v1/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${lxToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      })
      return ((await res.json()) as { data: T }).data
    }
    const appIds: string[] = []
    for (let i = 0; i < APPS; i++) {
      const data = await lxGraphql<{ createFactSheet: { factSheet: { id: string } } }>(
        'mutation ($input: BaseFactSheetInput!) { createFactSheet(input: $input) { factSheet { id } } }',
        { input: { name: `${PREFIX} ${String(i).padStart(2, '0')}`, type: 'Application' } },
      )
      appIds.push(data.createFactSheet.factSheet.id)
    }

    // set up through the first process, which is stopped cleanly
    const setup = await startHub(environment)
    children.push(setup)
    const snConn = await call(setup, 'POST', '/api/v1/connections', {
      name: 'servicenow',
      connector: 'servicenow',
      settings: { instanceUrl: sn.url, allowHttp: true, authKind: 'basic', username: 'admin', password: SN_PASSWORD },
    })
    const lxConn = await call(setup, 'POST', '/api/v1/connections', {
      name: 'leanix',
      connector: 'leanix',
      settings: { instanceUrl: lx.url, allowHttp: true, apiToken: lx.apiToken, pageSize: 2 },
    })
    t.equal(snConn.status, 201, JSON.stringify(snConn.body))
    t.equal(lxConn.status, 201, JSON.stringify(lxConn.body))
    const mapping = await call(setup, 'POST', '/api/v1/mappings', {
      name: 'crash me',
      source: {
        connectionId: lxConn.body.id,
        entity: 'Application',
        filter: JSON.stringify({ fullTextSearch: PREFIX }),
      },
      target: { connectionId: snConn.body.id, entity: 'cmdb_ci_business_app', filter: `nameSTARTSWITH${PREFIX}` },
      mode: 'conservative',
      fields: [
        { type: 'field', source: 'name', target: 'name' },
        { type: 'fixed', target: 'install_type', value: 'cloud' },
        { type: 'field', source: 'alias', target: 'number', direction: 'toSource' },
      ],
      matching: { rules: [{ source: ['name'], target: ['name'] }] },
      schedule: { cron: null },
    })
    t.equal(mapping.status, 201, JSON.stringify(mapping.body))
    setup.child.kill('SIGTERM')
    await setup.exited

    const random = points(20261203)
    let runId: string | undefined
    let kills = 0
    let finished = false
    for (let i = 0; kills < KILLS && !finished; i++) {
      const hook = random() < 0.5 ? 'afterWrite' : 'afterCommit'
      const at = 1 + Math.floor(random() * 2)
      const c = await startHub({
        ...environment,
        CRASH_HOOK: hook,
        CRASH_AT: String(at),
        ...(runId ? { RESUME_RUN: runId } : {}),
      })
      children.push(c)
      if (!runId) {
        const started = await call(c, 'POST', `/api/v1/mappings/${mapping.body.id}/runs`, {})
        t.equal(started.status, 202, JSON.stringify(started.body))
        runId = started.body.id as string
      }
      const ended = await Promise.race([
        c.exited,
        until(() => c.lines.some((l) => l.includes('"outcome"')), 'the run to end', { timeoutMs: 120_000 }).then(
          () => null,
        ),
      ])
      if (ended?.signal === 'SIGKILL') {
        kills++
        continue
      }
      finished = true
      c.child.kill('SIGTERM')
      await c.exited
    }
    t.equal(kills, KILLS, `killed ${KILLS} times mid-run`)

    // a last process without a crash point finishes what is left
    const last = await startHub({ ...environment, RESUME_RUN: runId as string })
    children.push(last)
    await until(() => last.lines.some((l) => l.includes('"outcome"')), 'the resumed run to end', { timeoutMs: 180_000 })
    const run = await call(last, 'GET', `/api/v1/runs/${runId}`)
    t.match(run.body, { status: 'OK' }, JSON.stringify(run.body))

    // ServiceNow: every application once, with the hub's identity
    const snAuth = `Basic ${Buffer.from(`admin:${SN_PASSWORD}`).toString('base64')}`
    const rowsRes = await fetch(
      `${sn.url}/api/now/table/cmdb_ci_business_app?sysparm_query=nameSTARTSWITH${PREFIX}&sysparm_fields=sys_id,name,number,correlation_id,install_type&sysparm_limit=1000`,
      { headers: { authorization: snAuth, accept: 'application/json' } },
    )
    const rows = ((await rowsRes.json()) as { result: Array<Record<string, string>> }).result
    t.equal(rows.length, APPS, 'one business application per LeanIX application, no duplicate')
    t.same(new Set(rows.map((r) => r.correlation_id)), new Set(appIds), 'each carries its application id')
    t.ok(
      rows.every((r) => r.install_type === 'cloud'),
      'every field written',
    )
    // LeanIX: every number written back once, no extra fact sheet
    const facts = await lxGraphql<{
      allFactSheets: { edges: Array<{ node: { id: string; name: string; alias: string } }> }
    }>(
      `{ allFactSheets(first: 1000, filter: { fullTextSearch: "${PREFIX}", facetFilters: [{ facetKey: "FactSheetTypes", keys: ["Application"] }] }) { edges { node { id name ... on Application { alias } } } } }`,
    )
    const nodes = facts.allFactSheets.edges.map((e) => e.node)
    t.equal(nodes.length, APPS, 'no application was created in LeanIX')
    const numberOf = new Map(rows.map((r) => [r.correlation_id, r.number]))
    t.ok(
      nodes.every((n) => n.alias === numberOf.get(n.id)),
      'every ServiceNow number is in its application',
    )
    last.child.kill('SIGTERM')
  },
)

// The newcomer's path on the sandbox, end to end, as `npm start` runs it (server.ts in its own
// process, nothing configured): the emulators start with their credentials in the log, the CSDM
// default mappings are created and a first sync runs; a change made in the LeanIX emulator is
// pushed to the hub and starts an event-triggered run that writes it to ServiceNow; after a
// restart the emulators are back on the same ports with their data, the connections still check
// OK, and no second set of mappings appears.
import t, { test } from 'tap'
import { freePort, startHub, stopHub, waitReady } from '../../helpers/hub-process.ts'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { until } from '../../helpers/until.ts'

// two starts of a hub with its embedded store and two seeded emulators: slow on a busy machine
t.setTimeout(900_000)

interface Run {
  id: string
  mappingId: string
  status: string
  trigger: string
  kind: string
  counts: { created: number; updated: number; skipped: number }
}

const FINISHED = ['OK', 'WARNING', 'ERROR', 'CANCELLED']

test('npm start on nothing: sandbox, defaults, first sync, a LeanIX change pushed and synced, a restart', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cw-sandbox-'))
  const port = await freePort()
  const adminToken = randomBytes(24).toString('hex')
  delete process.env.DATABASE_URL
  const env = {
    CROSSWALK_DATA_DIR: dataDir,
    PORT: String(port),
    CROSSWALK_ADMIN_TOKEN: adminToken,
    CROSSWALK_SANDBOX: 'auto',
    LOG_LEVEL: 'info',
  }
  const base = `http://127.0.0.1:${port}`
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${adminToken}` } })
    if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${await res.text()}`)
    return (await res.json()) as T
  }
  const runs = async () => (await api<{ items: Run[] }>('/api/v1/runs?limit=100')).items

  const first = startHub(env)
  t.teardown(() => first.child.kill('SIGKILL'))
  await waitReady(base, first.child, 400_000)

  // the defaults and their first sync, one mapping after the other
  let mappings: Array<{ id: string; name: string }> = []
  await until(
    async () => (mappings = (await api<{ items: typeof mappings }>('/api/v1/mappings')).items).length === 2,
    'the default mappings',
    { timeoutMs: 120_000, everyMs: 250 },
  )
  t.same(mappings.map((m) => m.name).sort(), ['CSDM: Applications', 'CSDM: Business capabilities'])
  await until(
    async () => (await runs()).filter((r) => FINISHED.includes(r.status)).length === 2,
    'the first sync of both mappings',
    { timeoutMs: 150_000, everyMs: 250 },
  )
  for (const run of await runs()) {
    t.equal(run.status, 'OK', `first sync of ${run.mappingId}`)
    t.ok(run.counts.created > 0, 'it created records in ServiceNow')
    t.equal(run.counts.skipped, 0, 'the two seeds hold no ambiguous names')
  }
  const log = first.output()
  const snProfile = JSON.parse(await readFile(join(dataDir, 'sandbox/servicenow/sandbox.json'), 'utf8'))
  const lxProfile = JSON.parse(await readFile(join(dataDir, 'sandbox/leanix/sandbox.json'), 'utf8'))
  // a person's own token (MEMBER): changes made with the hub's token would be taken for its echoes
  const lxToken = lxProfile.technicalUsers.find((u: { role: string }) => u.role === 'MEMBER').apiToken as string
  t.ok(log.includes(`password ${snProfile.adminPassword}`), 'the ServiceNow emulator password is in the log')
  t.ok(log.includes(`apiToken ${lxToken}`), 'the LeanIX emulator API token is in the log')
  t.match(log, /sandbox: run finished OK/, 'the log follows the first sync')
  t.match(log, /pushes its webhooks to the hub/)
  const ports = JSON.parse(await readFile(join(dataDir, 'sandbox/ports.json'), 'utf8')).ports
  const lx = `http://127.0.0.1:${ports.leanix}`
  const sn = `http://127.0.0.1:${ports.servicenow}`
  const snAuth = `Basic ${Buffer.from(`admin:${snProfile.adminPassword}`).toString('base64')}`

  // a change made in the LeanIX emulator, as a person would make it
  // a fresh access token each time: the emulator signs with a new key after a restart
  const access = async () =>
    (
      (await (
        await fetch(`${lx}/services/mtm/v1/oauth2/token`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`apitoken:${lxToken}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials',
        })
      ).json()) as { access_token: string }
    ).access_token
  const graphql = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${lx}/services/pathfinder/v1/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await access()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    })
    const body = (await res.json()) as { data: Record<string, unknown>; errors?: unknown[] }
    if (body.errors) throw new Error(JSON.stringify(body.errors))
    return body.data
  }
  const snApp = (
    (await (
      await fetch(
        `${sn}/api/now/table/cmdb_ci_business_app?sysparm_query=correlation_idISNOTEMPTY&sysparm_limit=1&sysparm_fields=sys_id,correlation_id,sys_created_by`,
        { headers: { authorization: snAuth, accept: 'application/json' } },
      )
    ).json()) as { result: Array<{ sys_id: string; correlation_id: string; sys_created_by: string }> }
  ).result[0] as { sys_id: string; correlation_id: string; sys_created_by: string }
  // the hub signs in as its own user: what the newcomer does as admin is not taken for its writes
  t.equal(snApp.sys_created_by, 'crosswalk.hub', 'the hub wrote as its own ServiceNow user')
  const description = `Changed in LeanIX ${randomBytes(4).toString('hex')}`
  await graphql(
    'mutation ($id: ID!, $patches: [Patch]!) { updateFactSheet(id: $id, patches: $patches) { factSheet { id } } }',
    { id: snApp.correlation_id, patches: [{ op: 'replace', path: '/description', value: description }] },
  )
  const snDescription = async () =>
    (
      (await (
        await fetch(`${sn}/api/now/table/cmdb_ci_business_app/${snApp.sys_id}?sysparm_fields=description`, {
          headers: { authorization: snAuth, accept: 'application/json' },
        })
      ).json()) as { result: { description: string } }
    ).result.description
  await until(async () => (await snDescription()) === description, 'the change to reach ServiceNow', {
    timeoutMs: 60_000,
    everyMs: 250,
  })
  await until(
    async () => (await runs()).some((r) => r.trigger === 'events' && FINISHED.includes(r.status)),
    'the event-triggered run to finish',
    { timeoutMs: 30_000, everyMs: 250 },
  )
  const eventRun = (await runs()).find((r) => r.trigger === 'events') as Run
  t.match(eventRun, { kind: 'partial', status: 'OK' }, 'a partial run, started by the LeanIX webhook')
  t.equal(eventRun.counts.updated, 1, 'it updated the one record that changed')
  t.equal(await stopHub(first.child), 0)

  // the restart: same ports, data kept, connections check OK, nothing created twice
  const second = startHub(env)
  t.teardown(() => second.child.kill('SIGKILL'))
  await waitReady(base, second.child, 400_000)
  t.same(JSON.parse(await readFile(join(dataDir, 'sandbox/ports.json'), 'utf8')).ports, ports, 'same ports')
  const connections = (await api<{ items: Array<{ id: string; name: string }> }>('/api/v1/connections')).items
  t.same(connections.map((c) => c.name).sort(), ['sandbox-leanix', 'sandbox-servicenow'])
  for (const connection of connections) {
    const check = await api<{ ok: boolean; message: string }>(`/api/v1/connections/${connection.id}/check`, {
      method: 'POST',
    })
    t.equal(check.ok, true, `${connection.name} checks OK after the restart: ${check.message}`)
  }
  t.equal((await api<{ total: number }>('/api/v1/mappings')).total, 2, 'no second set of mappings')
  t.equal(await snDescription(), description, 'the ServiceNow emulator kept what the sync wrote')
  const kept = await graphql('query ($id: ID!) { factSheet(id: $id) { description } }', { id: snApp.correlation_id })
  t.same(kept, { factSheet: { description } }, 'the LeanIX emulator kept the change made in it')
  t.match(second.output(), /mappings between the sandbox connections exist already/)
  t.equal(await stopHub(second.child), 0)
})

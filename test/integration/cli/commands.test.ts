// The `crosswalk` command against a listening hub on the emulators, as a child process with its
// output piped: mappings, plan, sync (each run status and its exit code, plain progress lines, the
// summary table), runs, cancel (also by Ctrl-C), and the hub's errors shown with their CW_ code.
import { test, type Test } from 'tap'
import { syncHarness } from '../../helpers/sync-harness.ts'
import { gate, until } from '../../helpers/until.ts'
import { freePort, listen, runCli, startCli, type CliResult } from './run-cli.ts'

/** the exit code, with the output shown when it is not the expected one */
function exits(t: Test, res: CliResult, code: number) {
  t.equal(res.code, code, `exit ${code}`, { stdout: res.stdout, stderr: res.stderr })
}

const CAPABILITIES = 'CSDM: Business capabilities'
const APPLICATIONS = 'CSDM: Applications'

test('crosswalk: mappings, plan, sync by status, runs, cancel and errors', async (t) => {
  // a run waits after a committed page while `hold` is set, so a test can cancel it mid-run
  let hold: { promise: Promise<void>; open: () => void } | undefined
  const reached = { count: 0 }
  const h = await syncHarness(t, {
    app: {
      sync: {
        engine: {
          hooks: {
            async afterCommit() {
              if (!hold) return
              reached.count += 1
              await hold.promise
            },
          },
        },
      },
    },
  })
  const url = await listen(h.hub.app)
  const env = { CROSSWALK_URL: url, CROSSWALK_TOKEN: h.hub.adminToken }
  const cli = (...args: string[]) => runCli(args, env)
  const runById = async (id: string) => (await h.hub.inject(`/api/v1/runs/${id}`)).json()

  await t.test('no mappings yet', async (t) => {
    const res = await cli('mappings')
    exits(t, res, 0)
    t.match(res.stdout, /No mappings yet/)
  })

  const created = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/mappings/defaults',
    payload: { leanixConnectionId: h.lxConnectionId, servicenowConnectionId: h.snConnectionId },
  })
  t.equal(created.statusCode, 201, created.body)
  const [capabilities, applications] = created.json().items as Array<{ id: string; name: string }>
  if (!capabilities || !applications) throw new Error('the defaults made no mappings')

  await t.test('mappings: a table of every mapping, or JSON', async (t) => {
    const res = await cli('mappings')
    exits(t, res, 0)
    for (const m of [capabilities, applications]) {
      t.match(res.stdout, m.name)
      t.match(res.stdout, m.id)
    }
    t.match(res.stdout, 'BusinessCapability -> cmdb_ci_business_capability')
    const asJson = await cli('--json', 'mappings')
    t.same(
      (JSON.parse(asJson.stdout) as Array<{ id: string }>).map((m) => m.id).sort(),
      [capabilities.id, applications.id].sort(),
    )
  })

  const capabilityCount = (await h.lxFactSheets('BusinessCapability')).length

  await t.test('plan by name: the changes as a table, nothing written', async (t) => {
    const res = await cli('plan', CAPABILITIES, '--interval', '0.2', '--limit', '5')
    exits(t, res, 0)
    t.match(res.stdout, /OK \(plan\)/)
    t.match(res.stdout, new RegExp(`│ read\\s+│ ${capabilityCount} `), 'the counts table')
    t.match(res.stdout, /│ CREATE\s+│/, 'a row per planned change')
    t.match(res.stdout, /│ target │ name /, 'field by field')
    t.match(res.stdout, /First 5 changes shown/)
    t.equal((await h.snRows('cmdb_ci_business_capability', 'correlation_idISNOTEMPTY')).length, 0, 'nothing written')
  })

  await t.test('sync OK: plain progress lines when piped, a summary table, exit 0', async (t) => {
    const res = await cli('sync', CAPABILITIES, '--interval', '0.2')
    exits(t, res, 0)
    t.match(res.stderr, /Run [0-9a-f-]{36} of mapping "CSDM: Business capabilities" started \(full\)/)
    t.match(res.stderr, /^run [0-9a-f-]{36}: (QUEUED|RUNNING)/m, 'a progress line')
    t.match(res.stderr, new RegExp(`^run [0-9a-f-]{36}: OK: read ${capabilityCount}, created \\d+`, 'm'))
    t.notOk(res.stderr.includes('\r') || res.stderr.includes('\u001b'), 'no terminal control characters in a pipe')
    t.match(res.stdout, /│ [0-9a-f-]{36} │ CSDM: Business capabilities │ OK\s+│ full\s+│/)
    t.equal(
      (await h.snRows('cmdb_ci_business_capability', 'correlation_idISNOTEMPTY')).length,
      capabilityCount,
      'the sync wrote what it read',
    )
  })

  // an application whose name ServiceNow has twice: the match is ambiguous, the run ends WARNING
  const apps = await h.lxFactSheets('Application')
  const twice = apps[0] as { name: string }
  await h.snInsert('cmdb_ci_business_app', { name: twice.name })
  await h.snInsert('cmdb_ci_business_app', { name: twice.name })

  await t.test('sync ERROR: a record ServiceNow refuses to create, exit 2', async (t) => {
    h.sn.instance.faults.add({
      kind: 'server-error',
      status: 403,
      method: 'POST',
      pathPrefix: '/api/now/table/cmdb_ci_business_app',
      times: 1,
    })
    const res = await cli('sync', applications.id, '--interval', '0.2')
    exits(t, res, 2)
    t.match(res.stdout, /│ ERROR\s+│/)
    t.match(res.stdout, /│ failed\s+│ 1 /)
    t.match(res.stdout, /message: .*failed 1/)
    h.sn.instance.faults.clear()
  })

  await t.test('sync WARNING: an ambiguous match skipped, exit 1', async (t) => {
    const res = await cli('sync', APPLICATIONS.toLowerCase(), '--interval', '0.2')
    exits(t, res, 1)
    t.match(res.stdout, /│ WARNING\s+│/)
    t.match(res.stdout, /message: .*skipped/)
  })

  await t.test('sync CANCELLED by Ctrl-C: the run stops at its next page boundary, exit 3', async (t) => {
    hold = gate()
    reached.count = 0
    const sync = startCli(['sync', CAPABILITIES, '--interval', '0.2'], env)
    await until(() => reached.count > 0 && /started/.test(sync.stderr()), 'the run to hold after a page', {
      timeoutMs: 60_000,
    })
    const runId = /Run ([0-9a-f-]{36})/.exec(sync.stderr())?.[1] as string
    sync.child.kill('SIGINT')
    await until(async () => (await runById(runId)).cancelRequested === true, 'the CLI to ask for the cancel')
    hold.open()
    hold = undefined
    const res = await sync.done
    exits(t, res, 3)
    t.match(res.stderr, /Cancelling run/)
    t.match(res.stdout, /│ CANCELLED\s+│/)
    t.equal((await runById(runId)).status, 'CANCELLED')
  })

  await t.test('sync --detach and cancel <run>', async (t) => {
    hold = gate()
    reached.count = 0
    const detached = await cli('sync', capabilities.id, '--detach')
    exits(t, detached, 0)
    const runId = detached.stdout.trim()
    t.match(runId, /^[0-9a-f-]{36}$/, 'the run id alone')
    await until(() => reached.count > 0, 'the run to hold after a page', { timeoutMs: 60_000 })
    const cancelled = await cli('cancel', runId)
    exits(t, cancelled, 0)
    t.match(cancelled.stdout, `Run ${runId} (RUNNING) stops at its next page boundary`)
    hold.open()
    hold = undefined
    t.equal((await h.waitFor(runId)).status, 'CANCELLED')

    const again = await cli('cancel', runId)
    exits(t, again, 4)
    t.match(again.stderr, /^error CW_RUN_FINISHED \(HTTP 409\): Run .* has already finished \(CANCELLED\)/m)
  })

  await t.test('runs: newest first with mapping names, filters', async (t) => {
    const all = await cli('runs', '--limit', '50')
    exits(t, all, 0)
    for (const status of ['OK (plan)', 'OK', 'ERROR', 'WARNING', 'CANCELLED']) t.match(all.stdout, `│ ${status} `)
    t.match(all.stdout, /│ CSDM: Applications\s+│ ERROR/)
    const filtered = await cli('--json', 'runs', '--mapping', CAPABILITIES, '--status', 'CANCELLED')
    const runs = JSON.parse(filtered.stdout) as Array<{ mappingId: string; status: string }>
    t.equal(runs.length, 2)
    t.ok(runs.every((r) => r.mappingId === capabilities.id && r.status === 'CANCELLED'))
  })

  await t.test('errors: the CW_ code and what to fix, exit codes by kind', async (t) => {
    const unknown = await cli('sync', 'no such mapping')
    exits(t, unknown, 4)
    t.match(unknown.stderr, /^error CW_CLI_MAPPING_UNKNOWN: No mapping has the id or name "no such mapping"/m)

    const viewer = await runCli(['sync', CAPABILITIES], { ...env, CROSSWALK_TOKEN: await h.hub.token('viewer') })
    exits(t, viewer, 4)
    t.match(viewer.stderr, /^error CW_AUTH_FORBIDDEN \(HTTP 403\): This needs the operator role/m)

    const wrongToken = await runCli(['mappings'], { ...env, CROSSWALK_TOKEN: 'cw_not_a_token' })
    exits(t, wrongToken, 4)
    t.match(wrongToken.stderr, /^error CW_AUTH_REQUIRED \(HTTP 401\)/m)

    const noToken = await runCli(['mappings'], { CROSSWALK_URL: url })
    exits(t, noToken, 4)
    t.match(noToken.stderr, /^error CW_CLI_TOKEN_MISSING: .*CROSSWALK_TOKEN/m)

    const badId = await cli('cancel', 'not-a-run')
    exits(t, badId, 4)
    t.match(badId.stderr, /^error CW_VALIDATION \(HTTP 400\)/m)

    const usage = await cli('sync')
    exits(t, usage, 64)
    t.match(usage.stderr, /missing required argument 'mapping'/)
    const badOption = await cli('runs', '--status', 'DONE')
    exits(t, badOption, 64)
    const badUrl = await runCli(['--url', 'ftp://hub', 'mappings'], env)
    exits(t, badUrl, 64)
    t.match(badUrl.stderr, /CW_CLI_BAD_URL/)
  })

  await t.test('a hub that cannot be reached, or that is not a hub: exit 5', async (t) => {
    const vacant = await freePort()
    const closed = await runCli(['--url', `http://127.0.0.1:${vacant}`, 'mappings'], { CROSSWALK_TOKEN: 'x' })
    exits(t, closed, 5)
    t.match(
      closed.stderr,
      `error CW_CLI_HUB_UNREACHABLE: Cannot reach the hub at http://127.0.0.1:${vacant}: ECONNREFUSED`,
    )
    // the ServiceNow emulator answers /api/v1/mappings without a Crosswalk error body
    const other = await runCli(['--url', h.sn.url, 'mappings'], { CROSSWALK_TOKEN: 'x' })
    exits(t, other, 5)
    t.match(other.stderr, /^error CW_CLI_NOT_A_HUB: /m)
  })
})

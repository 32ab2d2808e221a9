// The sizing advisor (issue 14) over REST against the ServiceNow emulator: what it counts, what
// it recommends and why, that it only counts (Aggregate API and the plugin list, never a table
// read), and the errors it answers with.
import t from 'tap'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import type { AdviceAnswer } from '../../../connectors/servicenow-sam/advisor/schemas.ts'
import { buildTestApp } from '../../helpers/app.ts'

t.setTimeout(120_000)

const PASSWORD = 'advisor-admin'
const sn = await startServiceNowEmulator({
  adminPassword: PASSWORD,
  users: [{ userName: 'integration', password: PASSWORD, roles: ['itil'], email: 'integration@example.com' }],
  seed: { seed: 7, relations: 400, businessApps: 20 },
})
t.teardown(() => sn.close())
const hub = await buildTestApp(t)
const connection = async (name: string, username: string) =>
  (
    await hub.app.connections.create({
      name,
      connector: 'servicenow',
      settings: { instanceUrl: sn.url, allowHttp: true, authKind: 'basic', username, password: PASSWORD },
    })
  ).id
const adminConnection = await connection('sn-admin', 'admin')
const advise = (id: string, payload: Record<string, unknown> = {}, token?: string) =>
  hub.inject({ method: 'POST', url: `/api/v1/connections/${id}/advise`, payload }, token)

t.test('the advice counts the sized tables and says why it recommends its flow', async (t) => {
  const before = sn.instance.requestLog.length
  const res = await advise(adminConnection)
  t.equal(res.statusCode, 200, res.body)
  const advice = res.json<AdviceAnswer>()
  t.equal(advice.connectionId, adminConnection)
  t.ok(['samPro', 'sam', 'legacy', 'none'].includes(advice.flow))
  // the default seed is SAM Pro under 1,000,000 rows, read from the plugin list by the admin
  t.equal(advice.flow, 'sam', advice.reasons.join(' / '))
  t.equal(advice.modulesFrom, 'plugins')
  // the counts are the instance's own, not figures the advisor made up
  for (const table of ['cmdb_rel_ci', 'cmdb_sam_sw_install', 'cmdb_sam_sw_discovery_model'] as const)
    t.equal(advice.numbers[table], sn.instance.data.count(table), `${table} counted`)
  // the seed leaves some discovery models un-normalized: their installations name no product model
  const unlinked = sn.instance.data.sample('cmdb_sam_sw_install', 1_000_000).filter((row) => !row.software_model).length
  t.ok(unlinked > 0, 'the seed has installations of models not normalized to a product model')
  t.equal(advice.numbers.installsWithoutProductModel, unlinked, 'installations without a product model counted')
  t.match(
    advice.warnings.join('\n'),
    new RegExp(`${unlinked.toLocaleString('en-US')} of .* name no software product model`),
  )
  t.ok(advice.reasons.length > 0, 'with reasons')
  t.equal(
    advice.numbers.sizedRows,
    (advice.numbers.cmdb_rel_ci ?? 0) +
      (advice.numbers.cmdb_sam_sw_install ?? 0) +
      (advice.numbers.cmdb_sam_sw_discovery_model ?? 0),
  )
  const sent = sn.instance.requestLog.slice(before)
  t.ok(
    sent.every((r) => r.url.startsWith('/api/now/stats/') || r.url.startsWith('/api/now/table/v_plugin')),
    `only counts and the plugin list: ${sent.map((r) => r.url.split('?')[0]).join(', ')}`,
  )
  t.equal(advice.requests, sent.length, 'and it says how many requests it sent')
})

t.test('GraphQL adviseConnection answers the same advice; a viewer may not ask', async (t) => {
  const query = `mutation ($id: ID!) { adviseConnection(id: $id) { flow hardware reasons numbers { sizedRows cmdb_rel_ci } modules { samPro { present evidence } } } }`
  const res = await hub.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query, variables: { id: adminConnection } },
  })
  t.equal(res.statusCode, 200, res.body)
  const body = res.json<{ data: { adviseConnection: { flow: string; numbers: { sizedRows: number } } } }>()
  const rest = (await advise(adminConnection)).json<AdviceAnswer>()
  t.equal(body.data.adviseConnection.flow, rest.flow)
  t.equal(body.data.adviseConnection.numbers.sizedRows, rest.numbers.sizedRows)

  const viewer = await hub.token('viewer')
  const denied = await hub.inject(
    { method: 'POST', url: '/graphql', payload: { query, variables: { id: adminConnection } } },
    viewer,
  )
  t.match(denied.json(), { errors: [{ extensions: { code: 'CW_AUTH_FORBIDDEN' } }] })
  t.equal((await advise(adminConnection, {}, viewer)).statusCode, 403, 'nor over REST')
})

t.test('bad input is refused with a code that says what to fix', async (t) => {
  const badFilter = await advise(adminConnection, { discoveryModelFilter: 'statusIN^^ORDERBY' })
  t.equal(badFilter.statusCode, 400, badFilter.body)
  t.equal(badFilter.json().code, 'CW_SAM_FILTER_INVALID')

  const unknown = await advise('00000000-0000-4000-8000-000000000000')
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().code, 'CW_CONNECTION_NOT_FOUND')

  const leanix = await hub.app.connections.create({
    name: 'lx',
    connector: 'leanix',
    settings: { instanceUrl: 'https://eu.leanix.net', apiToken: 'not-used-by-this-test' },
  })
  const wrongKind = await advise(leanix.id)
  t.equal(wrongKind.statusCode, 400)
  t.equal(wrongKind.json().code, 'CW_SAM_NOT_SERVICENOW')
  t.match(wrongKind.json().message, /uses the "leanix" connector/)

  const extra = await advise(adminConnection, { flow: 'samPro' })
  t.equal(extra.statusCode, 400, 'unknown members are refused')
})

t.test('the CLI prints the advice, and refuses an unknown connection', async (t) => {
  const { listen, runCli } = await import('../cli/run-cli.ts')
  const url = await listen(hub.app)
  const env = { CROSSWALK_URL: url, CROSSWALK_TOKEN: hub.adminToken }
  const printed = await runCli(['advise', 'sn-admin'], env)
  t.equal(printed.code, 0, printed.stderr)
  t.match(printed.stdout, /Recommended flow for sn-admin: /)
  t.match(printed.stdout, /cmdb_rel_ci\s*│\s*400/)
  const asJson = await runCli(['--json', 'advise', adminConnection], env)
  t.equal(JSON.parse(asJson.stdout).connectionId, adminConnection)
  const missing = await runCli(['advise', 'no-such-connection'], env)
  t.equal(missing.code, 4)
  t.match(missing.stderr, /CW_CLI_CONNECTION_UNKNOWN/)
})

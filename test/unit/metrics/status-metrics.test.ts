// The status of the integration in /metrics, read from the store on each scrape (so every
// instance shows the same): connection health per connection, runs by mapping and status, SIM
// tickets by state; no secret in any of it.
import t from 'tap'
import { toSpec } from '../../../core/mapping/spec.ts'
import { zeroCounts } from '../../../core/sync/counts.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'
import { recordStatements } from '../../helpers/statements.ts'

t.setTimeout(300_000)

const PASSWORD = 'metrics-secret-password-3e9a'

/** The value of one sample line, e.g. `name{label="x"} 3`. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

t.test('connection health, runs by mapping and SIM tickets are in /metrics', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const app = hub.hub
  const settings = { url: 'https://memo.example.test', username: 'svc', password: PASSWORD }
  const id = (await app.connections.create({ name: 'memo one', connector: 'memo', settings })).id
  const labels = `connection_id="${id}",connection="memo one",connector="memo"`
  const scrape = async () => (await hub.inject('/metrics', null)).body

  t.equal(sample(await scrape(), `crosswalk_connection_up{${labels}}`), undefined, 'nothing before a check')
  const before = Date.now() / 1000
  await hub.inject({ method: 'POST', url: `/api/v1/connections/${id}/check` })
  let body = await scrape()
  t.equal(sample(body, `crosswalk_connection_up{${labels}}`), 1, 'up after a passing check')
  const checked = sample(body, `crosswalk_connection_last_check_timestamp_seconds{${labels}}`) ?? 0
  t.ok(checked >= before - 5 && checked <= Date.now() / 1000 + 5, 'last check time is now')
  const lastOk = sample(body, `crosswalk_connection_last_ok_timestamp_seconds{${labels}}`)
  t.equal(lastOk, checked, 'it worked at that check')
  t.ok((sample(body, `crosswalk_connection_check_latency_seconds{${labels}}`) ?? -1) >= 0, 'latency')

  await app.connections.update(id, { settings: { password: 'wrong' } })
  await app.connections.check(id, app.log)
  body = await scrape()
  t.equal(sample(body, `crosswalk_connection_up{${labels}}`), 0, 'down after a failing check')
  t.equal(sample(body, `crosswalk_connection_last_ok_timestamp_seconds{${labels}}`), lastOk, 'last success kept')

  const mapping = await app.mappings.create(
    toSpec({
      name: 'metrics mapping',
      source: { connectionId: id, entity: 'Application' },
      target: { connectionId: id, entity: 'cmdb_ci_business_app' },
      mode: 'strict',
      enabled: true,
      fields: [],
      relations: [],
    }),
    'test',
  )
  for (const status of ['OK', 'OK', 'ERROR'] as const) {
    const run = await app.runs.create({ mappingId: mapping.id, trigger: 'manual', dryRun: false, kind: 'full' })
    await app.runs.finish(run.id, status, zeroCounts(), null)
  }
  await app.runs.create({ mappingId: mapping.id, trigger: 'plan', dryRun: true, kind: 'full' })
  await hub.db.query(
    `insert into idn_provisioning (correlation_id, integration_id, source_id, source_name, plan, state, ticket_type, created_at)
     values ('m1', 'i', 's', 'S', '{}', 'queued', 'incident', now() - interval '10 minutes'),
            ('m2', 'i', 's', 'S', '{}', 'committed', 'incident', now())`,
  )

  const statements = recordStatements(t, hub.db)
  body = await scrape()
  const runLabels = (status: string) => `mapping_id="${mapping.id}",mapping="metrics mapping",status="${status}"`
  t.equal(sample(body, `crosswalk_mapping_runs{${runLabels('OK')}}`), 2)
  t.equal(sample(body, `crosswalk_mapping_runs{${runLabels('ERROR')}}`), 1)
  t.equal(sample(body, `crosswalk_mapping_runs{${runLabels('QUEUED')}}`), undefined, 'dry runs left out')
  t.equal(sample(body, 'crosswalk_sim_tickets{state="queued"}'), 1)
  t.equal(sample(body, 'crosswalk_sim_tickets{state="committed"}'), 1)
  t.equal(sample(body, 'crosswalk_sim_tickets{state="expired"}'), 0, 'every state is there')
  const age = sample(body, 'crosswalk_sim_oldest_open_ticket_age_seconds') ?? 0
  t.ok(age >= 600 && age < 900, `the oldest open ticket is ten minutes old (${age} s)`)
  t.equal(
    statements.filter((s) => s.includes('left join connection_health')).length,
    1,
    'the four connection gauges share one read',
  )
  t.equal(statements.filter((s) => s.includes('from idn_provisioning')).length, 1, 'both SIM gauges share one read')
  t.notOk(body.includes(PASSWORD), 'no secret in the metrics')
  t.notOk(body.includes('wrong'), 'not the replaced one either')
})

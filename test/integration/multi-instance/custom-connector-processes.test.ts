// Issue 13's proof with real processes: two hubs started as `npm start` starts one (server.ts), on
// one PostgreSQL database. A ServiceNow table is created on the emulated instance while both run;
// hub A registers it as a custom connector; hub B, started before and never restarted, lists it,
// validates a mapping against it and, once A has stopped, runs that mapping alone with the
// connector's constraint. Nothing is shared between the hubs but the database.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { freePort, startHub, stopHub, waitReady } from '../../helpers/hub-process.ts'
import { createTestDatabase } from '../../helpers/store.ts'
import { NEEDS_POSTGRES, postgresUrl } from '../../helpers/postgres.ts'
import { until } from '../../helpers/until.ts'
import { startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { startLeanixEmulator } from '../../../connectors/leanix/emulator/index.ts'

t.setTimeout(400_000)
const SN_PASSWORD = 'two-processes-admin'

t.test(
  'a custom connector registered on one hub process is used by a run on another, without a restart',
  { skip: postgresUrl ? false : NEEDS_POSTGRES },
  async (t) => {
    const database = await createTestDatabase()
    t.teardown(() => database.drop())
    const sn = await startServiceNowEmulator({ adminPassword: SN_PASSWORD })
    t.teardown(() => sn.close())
    const lx = await startLeanixEmulator({ seed: { seed: 13, factSheets: 50 } })
    t.teardown(() => lx.close())

    const adminToken = `cw_test_admin_${randomBytes(24).toString('base64url')}`
    const shared = {
      DATABASE_URL: database.url as string,
      CROSSWALK_MASTER_KEY: randomBytes(32).toString('base64'),
      CROSSWALK_ADMIN_TOKEN: adminToken,
      CROSSWALK_SANDBOX: 'off',
      CROSSWALK_SYNC_SCHEDULES: 'false',
      CROSSWALK_QUEUE_POLLING_SECONDS: '0.5',
      LOG_LEVEL: 'warn',
    }
    const hubs = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const port = await freePort()
        const process = startHub({ ...shared, PORT: String(port) })
        t.teardown(() => process.child.kill('SIGKILL'))
        return { name, base: `http://127.0.0.1:${port}`, ...process }
      }),
    )
    const [a, b] = hubs as [(typeof hubs)[0], (typeof hubs)[0]]
    // one at a time: both migrating the new database at once would only test the migration lock
    await waitReady(a.base, a.child)
    await waitReady(b.base, b.child)

    const call = async (hub: { base: string }, method: string, path: string, body?: unknown) => {
      const answer = await fetch(`${hub.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      })
      const text = await answer.text()
      return { status: answer.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, text }
    }
    /** the answer has `status`; its body is shown only when not */
    const answered = (answer: { status: number; text: string }, status: number, what: string) => {
      if (!t.equal(answer.status, status, what)) t.comment(answer.text)
    }
    const snInsert = async (table: string, record: Record<string, string>) => {
      const answer = await fetch(`${sn.url}/api/now/table/${table}`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`admin:${SN_PASSWORD}`).toString('base64')}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(record),
      })
      t.equal(answer.status, 201, `${table} record made on the instance`)
    }

    const servicenow = await call(a, 'POST', '/api/v1/connections', {
      name: 'servicenow',
      connector: 'servicenow',
      settings: { instanceUrl: sn.url, allowHttp: true, username: 'admin', password: SN_PASSWORD },
    })
    answered(servicenow, 201, 'A makes the ServiceNow connection')
    const leanix = await call(b, 'POST', '/api/v1/connections', {
      name: 'leanix',
      connector: 'leanix',
      settings: { instanceUrl: lx.url, allowHttp: true, apiToken: lx.apiToken },
    })
    answered(leanix, 201, 'B makes the LeanIX connection')

    // the table an admin creates on the instance while both hubs run
    await snInsert('sys_db_object', { name: 'u_cloud_account', label: 'cloud account' })
    for (const [element, type] of [
      ['u_account_id', 'string'],
      ['u_name', 'string'],
      ['u_provider', 'string'],
    ] as const)
      await snInsert('sys_dictionary', { name: 'u_cloud_account', element, internal_type: type, column_label: element })
    for (const [id, name, provider] of [
      ['aws-1', 'cwproc One', 'aws'],
      ['gcp-2', 'cwproc Two', 'gcp'],
    ] as const)
      await snInsert('u_cloud_account', { u_account_id: id, u_name: name, u_provider: provider })

    const definition = {
      name: 'cloud accounts, two processes',
      source: { connectionId: servicenow.body.id, entity: 'u_cloud_account' },
      target: { connectionId: leanix.body.id, entity: 'ITComponent', category: 'iaas' },
      mode: 'additive',
      matching: { rules: [] },
      fields: [{ type: 'field', source: 'u_name', target: 'name' }],
    }
    t.equal(
      (await call(b, 'GET', '/api/v1/connectors')).text.includes('"cloud-accounts"'),
      false,
      'B lists no such connector before',
    )

    const registered = await call(a, 'POST', '/api/v1/custom-connectors', {
      name: 'cloud-accounts',
      connectionId: servicenow.body.id,
      entity: 'u_cloud_account',
      keyField: 'u_account_id',
      displayField: 'u_name',
      filter: 'u_provider!=gcp',
    })
    answered(registered, 201, 'A registers the table as a custom connector')

    const listed = (await call(b, 'GET', '/api/v1/connectors')).body.items as Array<{ name: string }>
    t.ok(
      listed.some((c) => c.name === 'cloud-accounts'),
      'B lists the connector A registered, at once',
    )
    const created = await call(b, 'POST', '/api/v1/mappings', definition)
    answered(created, 201, 'B validates and stores a mapping of it')

    t.equal(await stopHub(a.child), 0, 'A stops; B is left to run the mapping')
    const started = await call(b, 'POST', `/api/v1/mappings/${created.body.id}/runs`, {})
    answered(started, 202, 'B starts a run of the mapping')
    let run: { status?: string; message?: string | null; counts?: { created: number } } = {}
    await until(
      async () => {
        run = (await call(b, 'GET', `/api/v1/runs/${started.body.id}`)).body
        return ['OK', 'WARNING', 'ERROR', 'CANCELLED'].includes(run.status ?? '')
      },
      'the run on B to finish',
      { timeoutMs: 180_000, everyMs: 250 },
    )
    t.equal(run.status, 'OK', run.message ?? '')
    t.equal(run.counts?.created, 1, "A's constraint holds in B's run: the gcp account is left out")
    t.notMatch(a.output() + b.output(), new RegExp(SN_PASSWORD), 'no password in either hub’s output')
  },
)

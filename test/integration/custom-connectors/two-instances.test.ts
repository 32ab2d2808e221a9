// Two hub instances on one PostgreSQL database: a custom connector registered on one is seen by
// the other at once, without a restart: listed, used to validate mappings (even where the other
// had the bare table's schema cached), changed in place, and used by a run that only the other
// can execute.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { buildTestApp } from '../../helpers/app.ts'
import { createTestDatabase } from '../../helpers/store.ts'
import { NEEDS_POSTGRES, postgresUrl } from '../../helpers/postgres.ts'
import { syncHarness } from '../../helpers/sync-harness.ts'
import { until } from '../../helpers/until.ts'
import { PostgresDb } from '../../../core/store/postgres-db.ts'
import { migrate } from '../../../core/store/migrations.ts'
import { HUB_MIGRATIONS } from '../../../modules.ts'
import { makeCloudAccount, registerCloudAccounts } from './helpers.ts'

t.setTimeout(300_000)

t.test(
  'a custom connector added on one instance is used by a run on the other',
  { skip: postgresUrl ? false : NEEDS_POSTGRES },
  async (t) => {
    const database = await createTestDatabase()
    t.teardown(() => database.drop())
    const url = database.url as string
    const [storeA, storeB] = await Promise.all([0, 1].map(() => PostgresDb.open({ connectionString: url })))
    t.teardown(() => Promise.all([storeA?.close(), storeB?.close()]))
    await migrate(storeA as PostgresDb, HUB_MIGRATIONS)
    // one deployment: one vault key and one admin token for both instances
    const masterKey = randomBytes(32).toString('base64')
    const adminToken = `cw_test_admin_${randomBytes(24).toString('base64url')}`
    const h = await syncHarness(t, {
      app: { db: storeA as PostgresDb, config: { masterKey, adminToken, databaseUrl: url } },
    })
    const b = await buildTestApp(t, {
      db: storeB as PostgresDb,
      config: {
        masterKey,
        adminToken,
        databaseUrl: url,
        queue: { pollingIntervalSeconds: 0.5 },
        sync: { schedules: false },
      },
    })
    await makeCloudAccount(h)
    for (const [id, name, provider] of [
      ['aws-1', 'cwmulti One', 'aws'],
      ['gcp-2', 'cwmulti Two', 'gcp'],
    ] as const)
      await h.snInsert('u_cloud_account', { u_account_id: id, u_name: name, u_provider: provider })

    const definition = (fields: unknown[]) => ({
      name: 'cloud accounts',
      source: { connectionId: h.snConnectionId, entity: 'u_cloud_account' },
      target: { connectionId: h.lxConnectionId, entity: 'ITComponent', category: 'iaas' },
      mode: 'conservative',
      matching: { rules: [] },
      fields,
    })
    const wide = definition([
      { type: 'field', source: 'u_name', target: 'name' },
      { type: 'field', source: 'u_notes', target: 'description' },
    ])
    // B validates against the bare table first, so its catalog holds that table's schema
    const before = await b.inject({ method: 'POST', url: '/api/v1/mappings/validate', payload: wide })
    t.equal(before.json().valid, true, before.body)

    const registered = await registerCloudAccounts(h, { fields: ['u_provider'], filter: 'u_provider!=gcp' })
    t.equal(registered.statusCode, 201, registered.body)

    const listed = (await b.inject('/api/v1/connectors')).json().items as Array<{ name: string }>
    t.ok(
      listed.some((c) => c.name === 'cloud-accounts'),
      'listed by the other instance',
    )
    const after = await b.inject({ method: 'POST', url: '/api/v1/mappings/validate', payload: wide })
    t.equal(after.json().valid, false, 'the other instance validates against the registered subset at once')
    t.match(after.json().problems, [{ pointer: '/fields/1/source' }])
    // changed on A: B validates against the new subset at once too
    const widened = await h.hub.inject({
      method: 'PATCH',
      url: '/api/v1/custom-connectors/cloud-accounts',
      payload: { fields: ['u_provider', 'u_notes'] },
    })
    t.equal(widened.statusCode, 200, widened.body)
    const changed = await b.inject({ method: 'POST', url: '/api/v1/mappings/validate', payload: wide })
    t.equal(changed.json().valid, true, 'the other instance validates against the changed subset at once')

    const created = await b.inject({
      method: 'POST',
      url: '/api/v1/mappings',
      payload: definition([{ type: 'field', source: 'u_name', target: 'name' }]),
    })
    t.equal(created.statusCode, 201, created.body)
    // only B is left to execute the run
    await h.hub.app.close()
    const started = await b.inject({ method: 'POST', url: `/api/v1/mappings/${created.json().id}/runs`, payload: {} })
    t.equal(started.statusCode, 202, started.body)
    let run: { status: string; message: string | null; counts: { created: number } } | undefined
    await until(
      async () => {
        run = (await b.inject(`/api/v1/runs/${started.json().id}`)).json()
        return ['OK', 'WARNING', 'ERROR', 'CANCELLED'].includes(run?.status ?? '')
      },
      'the run on the other instance to finish',
      { timeoutMs: 120_000, everyMs: 100 },
    )
    t.equal(run?.status, 'OK', run?.message ?? '')
    t.equal(run?.counts.created, 1, 'the registered constraint holds on the instance that did not register it')
    t.same(
      (await h.lxFactSheets('ITComponent')).filter((f) => f.name.startsWith('cwmulti')).map((f) => f.name),
      ['cwmulti One'],
    )
  },
)

// Partial runs from change events: LeanIX pushes its webhooks to the hub (the hub keeps the
// subscription itself), ServiceNow posts business-rule notifications to the change route. With
// short event buffering a change is synced at once; otherwise changes wait for N of them or T
// minutes. Echoes of the hub's own writes and records outside the mapping's scope start nothing.
import { test } from 'tap'
import { SN_HUB_USER, syncHarness, type RunAnswer, type SyncHarness } from '../../helpers/sync-harness.ts'
import { until } from '../../helpers/until.ts'

async function runsOf(h: SyncHarness, mappingId: string): Promise<RunAnswer[]> {
  return (await h.hub.inject(`/api/v1/runs?mappingId=${mappingId}&limit=100`)).json().items as RunAnswer[]
}

test('a change in LeanIX is pushed to the hub and synced at once (short event buffering)', async (t) => {
  const h = await syncHarness(t)
  const address = await h.hub.app.listen({ port: 0, host: '127.0.0.1' })
  const app = await h.lxCreate('Application', 'cwevent Payroll', [
    { op: 'replace', path: '/description', value: 'first words' },
  ])
  const id = await h.createMapping({
    name: 'pushed changes',
    source: {
      connectionId: h.lxConnectionId,
      entity: 'Application',
      filter: JSON.stringify({ fullTextSearch: 'cwevent' }),
    },
    target: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app', filter: 'nameSTARTSWITHcwevent' },
    mode: 'conservative',
    fields: [
      { type: 'field', source: 'name', target: 'name' },
      { type: 'field', source: 'description', target: 'short_description' },
    ],
    matching: { rules: [] },
    events: { shortBuffering: true },
  })
  const first = await h.run(id)
  t.equal(first.status, 'OK', first.message ?? '')

  // the connection asks for pushed webhooks: the hub subscribes in LeanIX and listens
  await h.hub.app.connections.update(h.lxConnectionId, {
    // secrets are bound to the origins of the URL settings: a new one means sending them again
    settings: {
      apiToken: h.lx.apiToken,
      webhookMode: 'push',
      webhookTargetUrl: `${address}/webhooks/leanix/${h.lxConnectionId}`,
      webhookSecret: 'push-secret-of-the-test',
    },
  })
  await until(
    async () => h.lx.runtime.webhooks.list({ identifier: 'crosswalk' }).length > 0,
    'the hub to subscribe in LeanIX',
  )

  await h.lxUpdate(app.id, [{ op: 'replace', path: '/description', value: 'pushed words' }])
  await until(
    async () =>
      (await h.snRows('cmdb_ci_business_app', `correlation_id=${app.id}`))[0]?.short_description === 'pushed words',
    'the pushed change to reach ServiceNow',
  )
  // a second delivery may start a run that finds the change claimed already (it reads nothing):
  // together the partial runs read and updated the record once
  const partials = await Promise.all(
    (await runsOf(h, id)).filter((r) => r.kind === 'partial').map((r) => h.waitFor(r.id)),
  )
  t.ok(partials.length > 0, 'a partial run did it')
  t.same(new Set(partials.map((r) => r.trigger)), new Set(['events']))
  const total = (key: 'read' | 'updated') => partials.reduce((n, r) => n + r.counts[key], 0)
  t.match({ read: total('read'), updated: total('updated') }, { read: 1, updated: 1 })

  // a fact sheet outside the mapping's filter starts nothing (its events carry the record, and the
  // filter is evaluated on it before anything is kept)
  const before = (await runsOf(h, id)).length
  const outside = await h.lxCreate('Application', 'someone else entirely')
  await h.lxUpdate(outside.id, [{ op: 'replace', path: '/description', value: 'not ours' }])
  const probe = await h.lxCreate('Application', 'cwevent probe')
  await until(async () => (await runsOf(h, id)).length > before, 'the probe to start a run')
  const after = await runsOf(h, id)
  const started = after.slice(0, after.length - before)
  // deliveries come in order: a run the outsider started would be listed before the probe's
  t.equal(started.length, 1, 'one run since: the outsider started none')
  const read = (await Promise.all(started.map((r) => h.waitFor(r.id)))).reduce((n, r) => n + r.counts.read, 0)
  t.equal(read, 1, 'only the probe was read')
  t.ok(
    (await h.snRows('cmdb_ci_business_app', `correlation_id=${probe.id}`)).length === 1,
    'the probe was created in ServiceNow',
  )
})

test('ServiceNow change notifications are batched until N changes, or T minutes after the first', async (t) => {
  const h = await syncHarness(t)
  const rows: string[] = []
  for (const name of ['cwbatch One', 'cwbatch Two', 'cwbatch Three']) {
    rows.push((await h.snInsert('cmdb_ci_business_app', { name, short_description: 'v1' })).sys_id as string)
  }
  const id = await h.createMapping({
    name: 'batched changes from ServiceNow',
    source: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app', filter: 'nameSTARTSWITHcwbatch' },
    target: {
      connectionId: h.lxConnectionId,
      entity: 'Application',
      filter: JSON.stringify({ fullTextSearch: 'cwbatch' }),
    },
    mode: 'conservative',
    fields: [
      { type: 'field', source: 'name', target: 'name' },
      { type: 'field', source: 'short_description', target: 'description' },
    ],
    matching: { rules: [] },
    events: { shortBuffering: false, batchSize: 2, batchMinutes: 0.1 },
  })
  const first = await h.run(id)
  t.match(first.counts, { read: 3, created: 3 }, first.message ?? '')
  const descriptions = async () =>
    new Map(
      (await h.lxFactSheets('Application', 'description'))
        .filter((f) => f.name.startsWith('cwbatch'))
        .map((f) => [f.name, f.description]),
    )
  const post = (payload: Record<string, unknown>) =>
    h.hub.inject({ method: 'POST', url: `/api/v1/connections/${h.snConnectionId}/changes`, payload })

  // the hub's own writes come back from the business rule too: they are echoes, ignored
  const echo = await post({
    table: 'cmdb_ci_business_app',
    sys_id: rows[0],
    operation: 'update',
    sys_updated_by: SN_HUB_USER,
  })
  t.equal(echo.statusCode, 202, echo.body)
  t.match(echo.json(), { accepted: 0, ignored: 1 })

  // N = 2: the second change starts the batch
  await h.snUpdate('cmdb_ci_business_app', rows[0] as string, { short_description: 'v2' })
  await h.snUpdate('cmdb_ci_business_app', rows[1] as string, { short_description: 'v2' })
  const one = await post({
    table: 'cmdb_ci_business_app',
    sys_id: rows[0],
    operation: 'update',
    sys_updated_by: 'jane',
  })
  t.match(one.json(), { accepted: 1 })
  t.equal(
    (await runsOf(h, id)).filter((r) => r.kind === 'partial').length,
    0,
    'one change of two waits for the batch: no run yet',
  )
  const two = await post({
    events: [{ table: 'cmdb_ci_business_app', sys_id: rows[1], operation: 'update', sys_updated_by: 'jane' }],
  })
  t.match(two.json(), { accepted: 1 })
  await until(async () => {
    const d = await descriptions()
    return d.get('cwbatch One') === 'v2' && d.get('cwbatch Two') === 'v2'
  }, 'the batch of two to reach LeanIX')
  const partials = (await runsOf(h, id)).filter((r) => r.kind === 'partial')
  t.equal(partials.length, 1, 'the two changes waited for each other: one run, not one each')
  const batch = partials[0]
  t.ok(batch, 'one partial run')
  t.match((await h.waitFor(batch?.id as string)).counts, { read: 2, updated: 2 })

  // T: one change alone is synced once its time is up (here six seconds)
  await h.snUpdate('cmdb_ci_business_app', rows[2] as string, { short_description: 'v3' })
  await post({ table: 'cmdb_ci_business_app', sys_id: rows[2], operation: 'update', sys_updated_by: 'jane' })
  await until(async () => (await descriptions()).get('cwbatch Three') === 'v3', 'the lone change after T minutes', {
    timeoutMs: 60_000,
  })

  // a deleted source record: the partial run deletes what the mapping made
  await h.snDelete('cmdb_ci_business_app', rows[2] as string)
  await post({ table: 'cmdb_ci_business_app', sys_id: rows[2], operation: 'delete', sys_updated_by: 'jane' })
  await post({ table: 'cmdb_ci_business_app', sys_id: rows[1], operation: 'update', sys_updated_by: 'jane' })
  await until(async () => !(await descriptions()).has('cwbatch Three'), 'the deletion to reach LeanIX')
})

test('a mapping that skips events takes none; a malformed notification is refused with what to fix', async (t) => {
  const h = await syncHarness(t)
  const id = await h.createMapping({
    name: 'no events',
    source: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app', filter: 'nameSTARTSWITHcwskip' },
    target: { connectionId: h.lxConnectionId, entity: 'Application' },
    mode: 'conservative',
    fields: [{ type: 'field', source: 'name', target: 'name' }],
    events: { partialSync: 'skip' },
  })
  const res = await h.hub.inject({
    method: 'POST',
    url: `/api/v1/connections/${h.snConnectionId}/changes`,
    payload: { table: 'cmdb_ci_business_app', sys_id: 'a'.repeat(32), operation: 'update' },
  })
  t.equal(res.statusCode, 202)
  t.match(res.json(), { accepted: 0, ignored: 1, mappings: [] })
  t.equal((await runsOf(h, id)).length, 0)

  const bad = await h.hub.inject({
    method: 'POST',
    url: `/api/v1/connections/${h.snConnectionId}/changes`,
    payload: { operation: 'update' },
  })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { code: 'CW_VALIDATION', message: /entity \(or table\) and an id \(or sys_id\)/ })
})

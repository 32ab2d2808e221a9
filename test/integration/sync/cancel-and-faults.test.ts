// A running run cancelled at a page boundary, then resumed by the next run; and a run through
// the trouble real systems cause (429 storms with Retry-After, 5xx, dropped connections, slow
// pages, revoked tokens, REVISION_CLASH): in both, nothing is lost and nothing is duplicated.
import { test } from 'tap'
import { syncHarness, type RunAnswer, type SyncHarness } from '../../helpers/sync-harness.ts'
import { until } from '../../helpers/until.ts'

async function seedApplications(h: SyncHarness, prefix: string, n: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) ids.push((await h.lxCreate('Application', `${prefix} ${String(i).padStart(2, '0')}`)).id)
  return ids
}

/** every target of the prefix, and whether each LeanIX id has exactly one */
async function targetsOf(h: SyncHarness, prefix: string, ids: string[]) {
  const rows = await h.snRows('cmdb_ci_business_app', `nameSTARTSWITH${prefix}`, ['sys_id', 'name', 'correlation_id'])
  const perSource = new Map<string, number>()
  for (const r of rows) perSource.set(r.correlation_id as string, (perSource.get(r.correlation_id as string) ?? 0) + 1)
  return { rows, duplicated: [...perSource].filter(([, n]) => n > 1), missing: ids.filter((id) => !perSource.has(id)) }
}

function mapping(h: SyncHarness, name: string, prefix: string, extra: Record<string, unknown> = {}) {
  return h.createMapping({
    name,
    source: {
      connectionId: h.lxConnectionId,
      entity: 'Application',
      filter: JSON.stringify({ fullTextSearch: prefix }),
    },
    target: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app', filter: `nameSTARTSWITH${prefix}` },
    mode: 'conservative',
    fields: [{ type: 'field', source: 'name', target: 'name' }],
    matching: { rules: [] },
    ...extra,
  })
}

test('a cancelled run stops at a page boundary; the next run resumes its pass', async (t) => {
  const h = await syncHarness(t, { leanixSettings: { pageSize: 5 } })
  const ids = await seedApplications(h, 'cwcancel', 40)
  const id = await mapping(h, 'cancel me', 'cwcancel')
  h.lx.runtime.faults.set({ latencyMs: 150 })
  const started = await h.hub.inject({ method: 'POST', url: `/api/v1/mappings/${id}/runs`, payload: {} })
  t.equal(started.statusCode, 202, started.body)
  const runId = started.json().id as string
  await until(
    async () => ((await h.hub.inject(`/api/v1/runs/${runId}`)).json() as RunAnswer).counts.read >= 10,
    'the run to read two pages',
  )
  const cancel = await h.hub.inject({ method: 'POST', url: `/api/v1/runs/${runId}/cancel` })
  t.ok([200, 202].includes(cancel.statusCode), cancel.body)
  const cancelled = await h.waitFor(runId)
  t.equal(cancelled.status, 'CANCELLED')
  t.ok(cancelled.counts.read < 40, `stopped early (read ${cancelled.counts.read})`)
  t.match(cancelled.message, /next full run resumes/)
  const partway = await targetsOf(h, 'cwcancel', ids)
  t.equal(partway.rows.length, cancelled.counts.created, 'what the run says it created is there, nothing more')

  h.lx.runtime.faults.reset()
  const resumed = await h.run(id)
  t.equal(resumed.status, 'OK', resumed.message ?? '')
  t.match(resumed.message, new RegExp(`resumed the pass of cancelled run ${runId}`))
  t.equal(cancelled.counts.created + resumed.counts.created, 40, 'every application created once, across both runs')
  const done = await targetsOf(h, 'cwcancel', ids)
  t.same(done.duplicated, [], 'no duplicate')
  t.same(done.missing, [], 'nothing missing')
  t.equal(done.rows.length, 40)

  // a cancel of a finished run changes nothing and says so
  const late = await h.hub.inject({ method: 'POST', url: `/api/v1/runs/${resumed.id}/cancel` })
  t.equal(late.statusCode, 409, late.body)
  t.match(late.json(), { code: /^CW_/ })
})

test('429 storms, 5xx, dropped connections, slow pages, revoked tokens and revision clashes lose and duplicate nothing', async (t) => {
  const h = await syncHarness(t, { leanixSettings: { pageSize: 10 } })
  const ids = await seedApplications(h, 'cwfault', 30)
  const id = await mapping(h, 'through trouble', 'cwfault', {
    fields: [
      { type: 'field', source: 'name', target: 'name' },
      // written back to LeanIX: LeanIX writes face the revision clashes
      { type: 'field', source: 'alias', target: 'number', direction: 'toSource' },
    ],
  })
  const table = '/api/now/table/cmdb_ci_business_app'
  const sn = h.sn.instance
  // ServiceNow: a rate limit that the run keeps running into, each 429 with Retry-After
  sn.rateLimits.add({ allUsers: true, limit: 15, windowSeconds: 1, pathPrefix: table })
  sn.faults.add({ kind: 'server-error', status: 503, method: 'POST', pathPrefix: table, nth: 3, times: 2 })
  sn.faults.add({ kind: 'drop-connection', method: 'POST', pathPrefix: table, nth: 9 })
  sn.faults.add({ kind: 'slow-page', method: 'GET', pathPrefix: table, delayMs: 400 })
  sn.faults.add({ kind: 'server-error', status: 500, method: 'GET', pathPrefix: table, nth: 2 })
  // LeanIX: failed answers, a token that stops working, clashing revisions
  h.lx.runtime.faults.set({
    failNext: { count: 2, status: 503, pathPrefix: '/services/pathfinder' },
    revisionClashes: 3,
  })
  h.lx.revokeTokens()

  const run = await h.run(id)
  t.equal(run.status, 'OK', run.message ?? '')
  t.match(run.counts, { read: 30, created: 30, failed: 0 })
  const after = await targetsOf(h, 'cwfault', ids)
  t.same(after.duplicated, [], 'no duplicate in ServiceNow')
  t.same(after.missing, [], 'nothing missing in ServiceNow')
  const aliases = (await h.lxFactSheets('Application', '... on Application { alias }')).filter((f) =>
    f.name.startsWith('cwfault'),
  )
  t.equal(aliases.length, 30, 'no duplicate in LeanIX')
  t.ok(
    aliases.every((f) => typeof f.alias === 'string' && f.alias.startsWith('APM')),
    'every write back to LeanIX landed despite the revision clashes',
  )
  // slow-page is continuous (every page while it is on), the others count what they did
  const counted = sn.faults.list().filter((f) => f.kind !== 'slow-page')
  t.ok(
    counted.every((f) => f.fired > 0),
    `every ServiceNow fault fired: ${JSON.stringify(counted.map((f) => [f.kind, f.fired]))}`,
  )
  t.equal(h.lx.runtime.faults.current.revisionClashes, 0, 'every revision clash fired')

  // and the next run finds nothing to do
  sn.faults.clear()
  sn.rateLimits.clear()
  const quiet = await h.run(id)
  t.match(quiet.counts, { read: 30, created: 0, updated: 0, unchanged: 30 }, quiet.message ?? '')
})

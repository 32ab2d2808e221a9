// Write contract: one call per record through the Table API, a result per record (failures do
// not stop the batch), at most `concurrency` calls in flight.
import { test } from 'tap'
import { ServiceNowClient } from '../../../connectors/servicenow/client/client.ts'
import type { WriteChange } from '../../../connectors/servicenow/client/table-write.ts'
import { FAST_BACKOFF, json, snError, startStub } from './stub-server.ts'

test('applyChanges: bounded concurrency, PATCH/POST/DELETE per record, a result for each', async (t) => {
  let inFlight = 0
  let maxInFlight = 0
  const stub = await startStub(async (req, res) => {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    await new Promise((resolve) => setTimeout(resolve, 50))
    inFlight--
    const id = req.url.pathname.split('/')[5]
    if (req.method === 'DELETE') {
      if (id === 'd'.repeat(32))
        return snError(res, 404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval")
      res.writeHead(204)
      return res.end()
    }
    if (req.method === 'POST') return json(res, 201, { result: { sys_id: 'c'.repeat(32) } })
    if (id === 'e'.repeat(32)) {
      return snError(res, 403, 'Operation Failed', 'ACL Exception Update Failed due to security constraints')
    }
    json(res, 200, { result: { sys_id: id, ...JSON.parse(req.body) } })
  })
  const client = new ServiceNowClient({
    instanceUrl: stub.url,
    allowHttp: true,
    auth: { kind: 'basic', username: 'u', password: 'p' },
    concurrency: 3,
    backoff: FAST_BACKOFF,
    sleep: async () => {},
  })
  t.teardown(async () => {
    await client.close()
    await stub.close()
  })
  const updates: WriteChange[] = Array.from({ length: 12 }, (_, i) => ({
    op: 'update',
    key: `k${i}`,
    sysId: i.toString(16).padStart(32, '0'),
    values: { name: `n${i}` },
  }))
  const results = await client.applyChanges('cmdb_ci_business_app', [
    ...updates,
    { op: 'update', key: 'denied', sysId: 'e'.repeat(32), values: { name: 'x' } },
    { op: 'create', key: 'new', values: { name: 'y' } },
    { op: 'delete', key: 'gone', sysId: 'f'.repeat(32) },
    { op: 'delete', key: 'already-gone', sysId: 'd'.repeat(32) },
  ])
  t.equal(maxInFlight, 3, 'three at a time, never more')
  t.equal(results.length, 16)
  t.same(
    results.slice(0, 12).map((r) => r.ok),
    Array(12).fill(true),
  )
  t.match(results[12], {
    key: 'denied',
    ok: false,
    error: {
      code: 'CW_SN_FORBIDDEN',
      retryable: false,
      snDetail: 'ACL Exception Update Failed due to security constraints',
    },
  })
  t.match(results[13], { key: 'new', ok: true, sysId: 'c'.repeat(32) })
  t.match(results[14], { key: 'gone', ok: true })
  t.match(results[15], { key: 'already-gone', ok: true, absent: true })
  const methods = stub.requests.map((r) => r.method)
  t.equal(methods.filter((m) => m === 'PATCH').length, 13)
  t.ok(
    stub.requests.every(
      (r) => r.url.searchParams.get('sysparm_exclude_reference_link') === 'true' || r.method === 'DELETE',
    ),
  )
})

test("an update's result carries the record as answered; the client learns its own user from what it creates", async (t) => {
  const stub = await startStub(async (req, res) => {
    if (req.url.pathname === '/oauth_token.do') {
      return json(res, 200, { access_token: 'token', token_type: 'Bearer', expires_in: 1800, scope: 'useraccount' })
    }
    if (req.method === 'POST') {
      return json(res, 201, {
        result: { sys_id: 'c'.repeat(32), sys_created_by: 'svc.crosswalk', sys_updated_by: 'svc.crosswalk' },
      })
    }
    const id = req.url.pathname.split('/')[5]
    json(res, 200, { result: { sys_id: id, ...JSON.parse(req.body), comments: 'set by someone', sys_mod_count: '7' } })
  })
  const client = new ServiceNowClient({
    instanceUrl: stub.url,
    allowHttp: true,
    auth: { kind: 'oauth', grant: 'client_credentials', clientId: 'c', clientSecret: 's' },
    backoff: FAST_BACKOFF,
    sleep: async () => {},
  })
  t.teardown(async () => {
    await client.close()
    await stub.close()
  })
  t.equal(client.ownUser, undefined, 'a client-credentials client knows no user name before it creates')
  const [updated] = await client.applyChanges('cmdb_ci_business_app', [
    { op: 'update', key: 'k', sysId: 'a'.repeat(32), values: { name: 'n' } },
  ])
  t.match(updated, { ok: true, record: { name: 'n', comments: 'set by someone', sys_mod_count: '7' } })
  t.equal(client.ownUser, undefined, 'an update teaches nothing: one that changed nothing names the last editor')
  await client.applyChanges('cmdb_ci_business_app', [{ op: 'create', key: 'new', values: { name: 'y' } }])
  t.equal(client.ownUser, 'svc.crosswalk', "the creator of the client's record")
})

// The emulated tenant's Work Items API against the public contract (v3): a token is needed;
// list with limit 1..250, offset and count=true (X-Total-Count); the caller's items or ownerId's;
// count; get; complete (Finished, recorded, once only); reject an approval item; 404s in
// SailPoint's error shape.
import { test } from 'tap'
import { startIdentityNowEmulator } from '../../../connectors/identitynow/emulator/index.ts'

test('Work Items API of the emulated tenant', async (t) => {
  const tenant = await startIdentityNowEmulator({ hub: { url: 'http://127.0.0.1:1', token: 'unused' } })
  t.teardown(() => tenant.close())
  const isc = tenant.tenant
  const owner = isc.addIdentity('Olga Owner', 'active')
  const mine = isc.addSource('Manual A', { manual: true })
  const hers = isc.addSource('Manual B', { manual: true, ownerId: owner.id })
  const jane = isc.addIdentity('Jane Doe', 'active')
  for (let i = 0; i < 3; i++) await tenant.provision(isc.accessRequest(jane.id, mine.id, 'groups', `G${i}`))
  await tenant.provision(isc.accessRequest(jane.id, hers.id, 'groups', 'H'))

  const tokenRes = await fetch(new URL('/oauth/token', tenant.url), {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: tenant.client.clientId,
      client_secret: tenant.client.clientSecret,
    }),
  })
  const { access_token: token } = (await tokenRes.json()) as { access_token: string }
  const call = (path: string, init: RequestInit = {}) =>
    fetch(new URL(path, tenant.url), {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    })

  t.equal((await fetch(new URL('/v3/work-items', tenant.url))).status, 401, 'no token, no work items')
  const page = await call('/v3/work-items?limit=2&offset=0&count=true')
  t.equal(page.status, 200)
  t.equal(page.headers.get('x-total-count'), '3', "the caller's pending items in all")
  const items = (await page.json()) as Array<Record<string, unknown>>
  t.equal(items.length, 2)
  t.match(items[0], {
    id: /^[0-9a-f]{32}$/,
    type: 'ManualAction',
    state: 'Pending',
    name: 'Add an Attribute',
    ownerId: isc.adminIdentityId,
    approvalItems: [
      { account: 'jane.doe', application: 'Manual A', name: 'groups', operation: 'Add', state: 'Pending' },
    ],
  })
  t.notOk('activityId' in items[0]!, 'no emulator bookkeeping in the public shape')
  t.equal(((await (await call('/v3/work-items?offset=2')).json()) as unknown[]).length, 1)
  t.equal((await call('/v3/work-items?limit=251')).status, 400)
  t.equal((await call('/v3/work-items?limit=0')).status, 400)
  const hersList = (await (await call(`/v3/work-items?ownerId=${owner.id}`)).json()) as Array<{ id: string }>
  t.equal(hersList.length, 1, 'ownerId picks another owner')
  t.same(await (await call(`/v3/work-items/count?ownerId=${owner.id}`)).json(), { count: 1 })
  t.same(await (await call('/v3/work-items/count')).json(), { count: 3 })

  const id = String(items[0]!.id)
  const approvalId = (items[0]!.approvalItems as Array<{ id: string }>)[0]!.id
  const rejected = await call(`/v3/work-items/${id}/reject/${approvalId}`, { method: 'POST' })
  t.match(await rejected.json(), { id, state: 'Pending', approvalItems: [{ state: 'Rejected' }] })
  const done = await call(`/v3/work-items/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify('done'),
  })
  t.match(await done.json(), { id, state: 'Finished', completed: /Z$/ })
  t.same(
    isc.workItemCompletions.map((c) => [c.id, c.comment]),
    [[id, 'done']],
  )
  const again = await call(`/v3/work-items/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: 'null',
  })
  t.equal(again.status, 400, 'a finished work item cannot be completed again')
  t.match(await again.json(), { detailCode: /400/, messages: [{ text: /Finished/ }] })
  t.match(await (await call(`/v3/work-items/${id}`)).json(), { state: 'Finished' }, 'get shows any state')
  t.same(await (await call('/v3/work-items/count')).json(), { count: 2 }, 'finished items leave the list')
  const missing = await call('/v3/work-items/nope')
  t.equal(missing.status, 404)
  t.match(await missing.json(), { messages: [{ locale: 'en-US', text: /not found/ }] })
  t.match(await (await call(`/v3/sources/${mine.id}`)).json(), { id: mine.id, name: 'Manual A' })
  t.equal((await call('/v3/sources/nope')).status, 404)
})

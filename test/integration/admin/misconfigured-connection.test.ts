// A misconfigured connection never stops the hub (issue 11, point 1). The sequence that ended
// the process: a ServiceNow connection checked once over http:// with allowHttp, patched to
// allowHttp false, checked twice. The stale client used to be closed before the new one was
// built and stayed in the cache, closed, to be closed again: an unhandled ClientDestroyedError.
// Every check now answers, with what to fix, and nothing is left unhandled.
import { test } from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { json, startStub } from '../../unit/servicenow-client/stub-server.ts'

/** unhandled rejections while `fn` runs, and a little after (they surface on a later tick) */
async function rejectionsDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = []
  const record = (reason: unknown) => seen.push(reason)
  process.on('unhandledRejection', record)
  try {
    await fn()
    await new Promise((resolve) => setTimeout(resolve, 200))
  } finally {
    process.off('unhandledRejection', record)
  }
  return seen
}

test('checked over http, patched to refuse http, checked twice: clear answers, nothing unhandled', async (t) => {
  const instance = await startStub((_req, res) => json(res, 200, { result: [{ sys_id: 'a'.repeat(32) }] }))
  t.teardown(() => instance.close())
  const hub = await buildTestApp(t)
  const created = await hub.inject({
    method: 'POST',
    url: '/api/v1/connections',
    payload: {
      name: 'servicenow over http',
      connector: 'servicenow',
      settings: { instanceUrl: instance.url, allowHttp: true, authKind: 'basic', username: 'u', password: 'p' },
    },
  })
  t.equal(created.statusCode, 201, created.body)
  const id = created.json().id as string
  const check = () => hub.inject({ method: 'POST', url: `/api/v1/connections/${id}/check` })

  const unhandled = await rejectionsDuring(async () => {
    const first = await check()
    t.equal(first.statusCode, 200)
    t.match(first.json(), { ok: true })
    const patched = await hub.inject({
      method: 'PATCH',
      url: `/api/v1/connections/${id}`,
      payload: { settings: { allowHttp: false } },
    })
    t.equal(patched.statusCode, 200, patched.body)
    for (const attempt of ['second', 'third']) {
      const refused = await check()
      t.equal(refused.statusCode, 200, `the ${attempt} check answers`)
      t.match(
        refused.json(),
        { ok: false, message: /does not use https.*allowHttp/ },
        `the ${attempt} check says what to fix`,
      )
    }
  })
  t.same(unhandled, [], 'no unhandled rejection')
  const health = await hub.inject({ url: '/health/live' }, null)
  t.equal(health.statusCode, 200, 'the hub still serves')

  // and back: allowed again, the connection works with a fresh client
  await hub.inject({ method: 'PATCH', url: `/api/v1/connections/${id}`, payload: { settings: { allowHttp: true } } })
  t.match((await check()).json(), { ok: true })
})

// Change notifications like a customer's business rule: POST {table, sys_id, operation, record}
// on insert/update/delete, retried with backoff, bounded.
import { createServer } from 'node:http'
import { test, type Test } from 'tap'
import { call, emulator } from './helpers.ts'

async function receiver(t: Test, failFirst: number) {
  const received: Array<Record<string, unknown>> = []
  let calls = 0
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      calls++
      if (calls <= failFirst) {
        res.writeHead(503).end()
        return
      }
      received.push(JSON.parse(body))
      res.writeHead(200).end('{}')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise<void>((r) => server.close(() => r())))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { url: `http://127.0.0.1:${port}/hook`, received, calls: () => calls }
}

test('insert, update and delete in a configured table are posted; a 503 is retried', async (t) => {
  const hook = await receiver(t, 1)
  const { url, instance } = await emulator(t)
  const added = await call(url, 'POST', '/emulator/admin/notifications', {
    auth: null,
    body: { url: hook.url, tables: ['cmdb_ci'], baseDelayMs: 10, maxAttempts: 3 },
  })
  t.equal(added.status, 201)
  const created = await call(url, 'POST', '/api/now/table/cmdb_ci_linux_server', { body: { name: 'lnx-9' } })
  const id = created.json.result.sys_id
  await call(url, 'PATCH', `/api/now/table/cmdb_ci_linux_server/${id}`, { body: { name: 'lnx-10' } })
  await call(url, 'DELETE', `/api/now/table/cmdb_ci_linux_server/${id}`)
  instance.data.insert('incident', { short_description: 'not watched' })
  await instance.notifications.idle()
  const ops = hook.received.map((p) => p.operation).sort()
  t.same(ops, ['delete', 'insert', 'update'])
  t.ok(hook.received.every((p) => p.table === 'cmdb_ci_linux_server' && p.sys_id === id))
  const update = hook.received.find((p) => p.operation === 'update') as { record: Record<string, string> }
  t.equal(update.record.name, 'lnx-10')
  t.equal(hook.calls(), 4, 'the first delivery failed once and was retried')
  t.ok(instance.notifications.deliveries.every((d) => d.status === 'delivered'))
})

test('a receiver that keeps failing is given up after the bound', async (t) => {
  const hook = await receiver(t, 100)
  const { instance } = await emulator(t)
  instance.notifications.add({
    url: hook.url,
    tables: ['incident'],
    operations: ['insert'],
    baseDelayMs: 5,
    maxAttempts: 3,
  })
  instance.data.insert('incident', { short_description: 'x' })
  await instance.notifications.idle()
  t.equal(hook.calls(), 3)
  t.equal(instance.notifications.deliveries[0]?.status, 'failed')
  t.equal(instance.notifications.deliveries[0]?.lastStatus, 503)
})

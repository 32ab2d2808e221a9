import { test } from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'

test('the sandbox starts seeded emulators and connections that pass their check, again after a restart', async (t) => {
  const first = await buildTestApp(t, { config: { sandbox: 'auto' } })
  const listed = await first.inject('/api/v1/connections')
  const names = listed
    .json()
    .items.map((c: { name: string }) => c.name)
    .sort()
  t.same(names, ['sandbox-leanix', 'sandbox-servicenow'])
  for (const connection of listed.json().items as Array<{ id: string; name: string }>) {
    const check = await first.inject({ method: 'POST', url: `/api/v1/connections/${connection.id}/check` })
    t.equal(check.json().ok, true, `${connection.name}: ${check.json().message}`)
  }
  await first.app.close()

  const second = await buildTestApp(t, {
    db: first.db,
    config: { sandbox: 'auto', masterKey: first.masterKey, adminToken: first.adminToken },
  })
  const again = await second.inject('/api/v1/connections')
  t.equal(again.json().total, 2, 'the sandbox connections are re-pointed, not duplicated')
  for (const connection of again.json().items as Array<{ id: string; name: string }>) {
    const check = await second.inject({ method: 'POST', url: `/api/v1/connections/${connection.id}/check` })
    t.equal(check.json().ok, true, `${connection.name} reaches the new emulator: ${check.json().message}`)
  }
})

test('with a real connection configured, auto mode starts no sandbox and says why', async (t) => {
  const first = await buildTestApp(t, { config: { sandbox: 'off' }, connectors: [memoConnector()] })
  await first.app.connections.create({
    name: 'production memo',
    connector: 'memo',
    settings: { url: 'https://memo.example.test', username: 'u', password: 'p' },
  })
  await first.app.close()
  const second = await buildTestApp(t, {
    db: first.db,
    connectors: [memoConnector()],
    logLevel: 'info',
    config: { sandbox: 'auto', masterKey: first.masterKey, adminToken: first.adminToken },
  })
  const names = (await second.inject('/api/v1/connections')).json().items.map((c: { name: string }) => c.name)
  t.same(names, ['production memo'])
  t.ok(
    second.logLines.some((line) =>
      line.includes('sandbox: auto mode stands down: connection(s) \\"production memo\\" are configured'),
    ),
    'the log says that auto mode stood down, and why',
  )
})

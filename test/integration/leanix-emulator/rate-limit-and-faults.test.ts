// The per-user rate limit (docs/reference/leanix.md §8: 429 USER_INTERVAL_REQUEST_LIMIT_EXCEEDED, Retry-After)
// and the switchable faults, set in-process and over /__emulator.
import { test } from 'tap'
import { clientFor, startForTest } from './emulator-client.ts'

const QUERY = '{ allTags { totalCount } }'

test('each user has its own request budget; past it Pathfinder answers 429 with Retry-After', async (t) => {
  const emulator = await startForTest(t, { rateLimit: { max: 3, windowMs: 60_000 } })
  const hub = await clientFor(emulator)
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) statuses.push((await hub.gql(QUERY)).status)
  t.same(statuses, [200, 200, 200, 429])
  const limited = await hub.gql(QUERY)
  t.equal(limited.status, 429)
  t.match(limited.body, { message: 'USER_INTERVAL_REQUEST_LIMIT_EXCEEDED' })
  t.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After in seconds')
  const member = await clientFor(emulator, emulator.apiTokens.MEMBER)
  t.equal((await member.gql(QUERY)).status, 200, 'another technical user is not affected')
  const raised = await fetch(`${emulator.url}/__emulator/rate-limit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ max: 1800 }),
  })
  t.same(await raised.json(), { max: 1800, windowMs: 60_000 })
  t.equal((await hub.gql(QUERY)).status, 200, 'a raised limit applies at once')
})

test('faults: planned 5xx answers, a 429 storm, settings over the admin route', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  emulator.runtime.faults.set({ failNext: { count: 2, status: 503, pathPrefix: '/services/pathfinder' } })
  t.same([(await gql(QUERY)).status, (await gql(QUERY)).status, (await gql(QUERY)).status], [503, 503, 200])

  const set = await fetch(`${emulator.url}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rateLimitStorm: true }),
  })
  t.match(await set.json(), { rateLimitStorm: true })
  t.equal((await gql(QUERY)).status, 429)
  await fetch(`${emulator.url}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reset: true }),
  })
  t.equal((await gql(QUERY)).status, 200)

  const bad = await fetch(`${emulator.url}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs: -1 }),
  })
  t.equal(bad.status, 400)
  t.match(await bad.json(), { code: 'CW_LEANIX_EMU_ADMIN_REQUEST_INVALID' })
})

test('technical users can be added over the admin route with a chosen role', async (t) => {
  const emulator = await startForTest(t)
  const created = await fetch(`${emulator.url}/__emulator/technical-users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName: 'reporting', role: 'VIEWER', apiToken: 'reporting-token' }),
  })
  t.equal(created.status, 201)
  const viewer = await clientFor(emulator, 'reporting-token')
  const write = await viewer.gql(
    'mutation { createFactSheet(input: {name: "x", type: Application}) { factSheet { id } } }',
  )
  t.match(write.body.errors?.[0], { extensions: { errorType: 'ACCESS_DENIED' } })
  const invalid = await fetch(`${emulator.url}/__emulator/technical-users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName: 'x', role: 'OWNER' }),
  })
  t.equal(invalid.status, 400)
})

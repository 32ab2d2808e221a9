// The connector against the emulated LeanIX workspace: check, discovery on v3- and v4-keyed
// workspaces, writes read back (fields, lifecycle, external id, relations, tags), rev with
// REVISION_CLASH retry, one bad item in a batch, archive, token revocation, 429 handling.
import { test, type Test } from 'tap'
import { startLeanixEmulator, type LeanixEmulator } from '../../../connectors/leanix/emulator/index.ts'
import { createLeanixConnector, type LeanixConnector } from '../../../connectors/leanix/connector.ts'
import type { ConnectionContext } from '../../../core/connector/contract.ts'
import type { LeanixSettings } from '../../../connectors/leanix/settings.ts'

const logger = { debug() {}, info() {}, warn() {}, error() {} }

async function setup(
  t: Test,
  options: Parameters<typeof startLeanixEmulator>[0] = {},
  settings: Partial<LeanixSettings> = {},
) {
  const emu = await startLeanixEmulator({ seed: { seed: 5, factSheets: 400 }, ...options })
  t.teardown(() => emu.close())
  const connector = createLeanixConnector()
  t.teardown(() => connector.close())
  const conn = (token = emu.apiToken, id = 'conn-1'): ConnectionContext<LeanixSettings> => ({
    id,
    name: 'LeanIX',
    settings: { instanceUrl: emu.url, allowHttp: true, ...settings } as LeanixSettings,
    secrets: { apiToken: token },
    logger,
  })
  return { emu, connector, conn }
}

async function readAll(
  connector: LeanixConnector,
  conn: ConnectionContext<LeanixSettings>,
  type: string,
  fields?: string[],
  filter?: string,
) {
  const out: Array<Record<string, unknown> & { id: string }> = []
  for await (const page of connector.read!(conn, type, { fields, filter })) out.push(...page.records)
  return out
}

function anyOf(emu: LeanixEmulator, type: string): string {
  const fs = [...emu.runtime.store.factSheets.values()].find((f) => f.type === type && f.status === 'ACTIVE')
  if (!fs) throw new Error(`no ${type} in the seed`)
  return fs.id
}

test('check and discover on a v4 and a v3-origin workspace', async (t) => {
  const v4 = await setup(t)
  const ok = await v4.connector.check(v4.conn())
  t.equal(ok.ok, true, ok.message)
  t.match(ok.message, /crosswalk-hub in workspace crosswalk-emulated/)
  const viewer = await v4.connector.check(v4.conn(v4.emu.apiTokens.VIEWER, 'viewer'))
  t.match(viewer.message, /VIEWER/)
  const wrong = await v4.connector.check(v4.conn('not-a-token', 'wrong'))
  t.match(wrong, { ok: false, message: /rejected the API token/ })
  const types = (await v4.connector.discover!(v4.conn())).map((e) => e.name)
  t.ok(types.includes('Organization') && !types.includes('UserGroup'))

  const v3 = await setup(t, { metaModel: 'v3' })
  const v3Types = await v3.connector.discover!(v3.conn())
  const names = v3Types.map((e) => e.name)
  t.ok(names.includes('UserGroup') && names.includes('Project') && names.includes('Process'))
  const ug = await readAll(v3.connector, v3.conn(), 'UserGroup', ['name'])
  t.ok(ug.length > 0, 'a v3 type is read by its own key')
})

test('create and update round-trip through LeanIX: fields, lifecycle, external id, relations, tags', async (t) => {
  const { emu, connector, conn } = await setup(t)
  const itc = anyOf(emu, 'ITComponent')
  const [created] = await connector.write!(conn(), 'Application', [
    {
      op: 'create',
      key: 'snow-1',
      values: {
        name: 'Crosswalk Test App',
        description: 'made by the connector test',
        businessCriticality: 'businessCritical',
        lifecycle: {
          phases: [
            { phase: 'plan', startDate: '2025-01-01' },
            { phase: 'active', startDate: '2026-01-01' },
          ],
        },
        externalId: { externalId: 'SNOW-0001', externalUrl: 'https://acme.service-now.com/nav_to.do?uri=x' },
        relApplicationToITComponent: [{ factSheetId: itc, usageType: 'operations' }],
        tags: [{ tagName: 'Crosswalk' }],
      },
    },
  ])
  t.match(created, { key: 'snow-1', ok: true })
  const id = created?.id as string
  const client = connector.clientFor(conn())
  const fields = [
    'name',
    'description',
    'businessCriticality',
    'lifecycle',
    'externalId',
    'relApplicationToITComponent',
    'tags',
  ]
  const back = await client.factSheet('Application', id, fields)
  t.match(back, {
    name: 'Crosswalk Test App',
    businessCriticality: 'businessCritical',
    lifecycle: {
      phases: [
        { phase: 'plan', startDate: '2025-01-01' },
        { phase: 'active', startDate: '2026-01-01' },
      ],
    },
    externalId: { externalId: 'SNOW-0001' },
    tags: [{ name: 'Crosswalk' }],
  })
  t.match(back?.relApplicationToITComponent, [{ factSheetId: itc, usageType: 'operations' }])

  const found = await readAll(
    connector,
    conn(),
    'Application',
    ['name'],
    JSON.stringify({ externalIds: ['externalId/SNOW-0001'] }),
  )
  t.same(
    found.map((r) => r.id),
    [id],
    'found by external id',
  )

  // update with the rev just read: relation removed, criticality cleared
  const [updated] = await connector.write!(conn(), 'Application', [
    {
      op: 'update',
      key: 'snow-1',
      id,
      revision: back?.rev as number,
      values: { relApplicationToITComponent: [], businessCriticality: null },
    },
  ])
  t.equal(updated?.ok, true, JSON.stringify(updated?.error))
  const after = await client.factSheet('Application', id, fields)
  t.same(after?.relApplicationToITComponent, [])
  t.equal(after?.businessCriticality ?? null, null)
  t.ok(Number(after?.rev) > Number(back?.rev))
})

test('a stale rev is re-read, merged and retried; endless clashes end in a retryable error', async (t) => {
  const { emu, connector, conn } = await setup(t)
  const id = anyOf(emu, 'Application')
  const client = connector.clientFor(conn())
  const before = await client.factSheet('Application', id, ['description'])
  // someone else writes in between
  const other = createLeanixConnector()
  t.teardown(() => other.close())
  await other.write!(conn(emu.apiTokens.MEMBER, 'member'), 'Application', [
    { op: 'update', key: 'x', id, values: { description: 'theirs' } },
  ])
  const [r] = await connector.write!(conn(), 'Application', [
    { op: 'update', key: 'k', id, revision: before?.rev as number, values: { alias: 'ours' } },
  ])
  t.equal(r?.ok, true, 'the clash was resolved by re-reading the rev')
  const now = await client.factSheet('Application', id, ['description', 'alias'])
  t.match(now, { description: 'theirs', alias: 'ours' }, 'their change kept, ours applied')

  emu.runtime.faults.set({ revisionClashes: 100 })
  const [clash] = await connector.write!(conn(), 'Application', [
    { op: 'update', key: 'k', id, revision: now?.rev as number, values: { alias: 'again' } },
  ])
  emu.runtime.faults.reset()
  t.match(clash, { ok: false, error: { code: 'CW_LX_GRAPHQL', message: /REVISION_CLASH/, retryable: true } })
})

test('one invalid item in a batch fails alone; the rest are written', async (t) => {
  const { emu, connector, conn } = await setup(t)
  const ids = [...emu.runtime.store.factSheets.values()]
    .filter((f) => f.type === 'Application' && f.status === 'ACTIVE')
    .slice(0, 4)
    .map((f) => f.id)
  const results = await connector.write!(
    conn(),
    'Application',
    ids.map((id, i) => ({
      op: 'update' as const,
      key: `k${i}`,
      id,
      values: { businessCriticality: i === 2 ? 'notAValue' : 'missionCritical' },
    })),
  )
  t.same(
    results.map((r) => r.ok),
    [true, true, false, true],
  )
  t.ok(results[2]?.error?.message, 'the failure says why')
  const store = emu.runtime.store.factSheets
  t.same(
    ids.map((id) => store.get(id)?.fields.businessCriticality),
    ['missionCritical', 'missionCritical', store.get(ids[2] as string)?.fields.businessCriticality, 'missionCritical'],
  )
  t.not(store.get(ids[2] as string)?.fields.businessCriticality, 'notAValue')
})

test('delete archives with a comment; archived fact sheets only show in the TrashBin', async (t) => {
  const { emu, connector, conn } = await setup(t)
  const id = anyOf(emu, 'Application')
  const [r] = await connector.write!(conn(), 'Application', [
    { op: 'delete', key: 'k', id, values: { comment: 'gone from CMDB (mapping apps)' } },
  ])
  t.equal(r?.ok, true)
  t.equal(emu.runtime.store.factSheets.get(id)?.status, 'ARCHIVED')
  const active = await readAll(connector, conn(), 'Application', ['name'])
  t.notOk(active.some((a) => a.id === id))
  const trash = await readAll(
    connector,
    conn(),
    'Application',
    ['name'],
    JSON.stringify([{ facetKey: 'TrashBin', keys: ['archived'] }]),
  )
  t.ok(trash.some((a) => a.id === id))
})

test('revoked tokens are renewed once; 429s from the per-user limit are waited out', async (t) => {
  const { emu, connector, conn } = await setup(t)
  const client = connector.clientFor(conn())
  await readAll(connector, conn(), 'Provider', ['name'])
  emu.revokeTokens()
  const providers = await readAll(connector, conn(), 'Provider', ['name'])
  t.ok(providers.length > 0)
  t.equal(client.stats.tokenExchanges, 2)
  t.equal(client.stats.reauthorized, 1, 'the revoked token was answered 401 once, then renewed')

  emu.runtime.rateLimit.max = 3
  emu.runtime.rateLimit.windowMs = 500
  const retriesBefore = client.stats.retries
  const results = await Promise.all(
    Array.from({ length: 8 }, () => client.factSheet('Provider', providers[0]?.id as string, ['name'])),
  )
  t.ok(
    results.every((r) => r?.id === providers[0]?.id),
    'every call got through',
  )
  t.ok(client.stats.retries > retriesBefore, 'after 429s')
})

test('emulator(): a sandbox workspace the connector itself can connect to', async (t) => {
  const connector = createLeanixConnector()
  t.teardown(() => connector.close())
  const sandbox = await connector.emulator({ host: '127.0.0.1', port: 0 })
  t.teardown(() => sandbox.close())
  const token = sandbox.apiToken
  const conn: ConnectionContext<LeanixSettings> = {
    id: 'sandbox',
    name: 'sandbox',
    settings: { instanceUrl: sandbox.url, allowHttp: true } as LeanixSettings,
    secrets: { apiToken: token },
    logger,
  }
  const r = await connector.check(conn)
  t.equal(r.ok, true, r.message)
})

test('a token is renewed before it expires, from its exp claim', async (t) => {
  // the client's clock is moved instead of waiting; the emulator's token stays valid in real time
  let skippedMs = 0
  const { emu, conn } = await setup(t, { tokenLifetimeSeconds: 120 })
  const connector = createLeanixConnector({ clientOptions: { now: () => Date.now() + skippedMs } })
  t.teardown(() => connector.close())
  const client = connector.clientFor(conn(emu.apiToken))
  await readAll(connector, conn(), 'Provider', ['name'])
  t.equal(client.stats.tokenExchanges, 1)
  skippedMs = 58_000
  await readAll(connector, conn(), 'Provider', ['name'])
  t.equal(client.stats.tokenExchanges, 1, 'kept until 60 s before exp (half its life here)')
  skippedMs = 62_000
  await readAll(connector, conn(), 'Provider', ['name'])
  t.equal(client.stats.tokenExchanges, 2, 'renewed at half its life, before exp')
  t.equal(client.stats.reauthorized, 0, 'no call was answered 401 on the way')
})

// Acceptance: ServiceNow's own published client, @servicenow/sdk (the `now-sdk query` command and
// the sdk-api Connector behind it), reads and pages through a table of several pages on the
// emulator. Authentication is an OAuth bearer token from the emulator's /oauth_token.do, handed
// to the SDK through its documented pre-authenticated-session variables. NODE_ENV=test turns the
// SDK's telemetry off (it would otherwise post to ServiceNow's analytics host).
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { test } from 'tap'
import { emulator } from './helpers.ts'

const require = createRequire(import.meta.url)

interface QueryResult {
  hasMore: boolean
  nextOffset: number | null
  records: Array<Record<string, string>>
}
interface SdkConnector {
  queryTable(options: {
    table: string
    encodedQuery: string
    limit?: number
    offset?: number
    fields?: string
    displayValue?: string
  }): Promise<QueryResult>
}
type SdkModule = {
  Connector: new (credential: unknown) => SdkConnector
  LazyCredential: new (url: URL, resolve: () => unknown) => unknown
}

/** sdk-api's package exports only its (heavy) index; the connector modules are loaded directly */
function loadSdk(): SdkModule {
  const root = dirname(require.resolve('@servicenow/sdk-api/package.json'))
  const { Connector } = require(join(root, 'dist/connector.js')) as Pick<SdkModule, 'Connector'>
  const { LazyCredential } = require(join(root, 'dist/credentials.js')) as Pick<SdkModule, 'LazyCredential'>
  return { Connector, LazyCredential }
}

async function bearer(url: string): Promise<string> {
  const res = await fetch(`${url}/oauth_token.do`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'now-sdk',
      client_secret: 'now-sdk-secret',
      username: 'admin',
      password: 'admin',
    }).toString(),
  })
  return ((await res.json()) as { access_token: string }).access_token
}

const ROWS = 250

test('@servicenow/sdk Connector pages through cmdb_rel_ci following the Link header', async (t) => {
  const { url, instance } = await emulator(t, {
    seed: { relations: ROWS, users: 10 },
    oauthClients: [{ clientId: 'now-sdk', clientSecret: 'now-sdk-secret' }],
  })
  const token = await bearer(url)
  const { Connector, LazyCredential } = loadSdk()
  const connector = new Connector(new LazyCredential(new URL(url), () => ({ type: 'oauth', token })))
  const seen: string[] = []
  let offset: number | null = 0
  let pages = 0
  while (offset !== null) {
    const page: QueryResult = await connector.queryTable({
      table: 'cmdb_rel_ci',
      encodedQuery: 'ORDERBYsys_id',
      limit: 100,
      offset,
      fields: 'sys_id,parent,child,type',
    })
    pages++
    seen.push(...page.records.map((r) => r.sys_id ?? ''))
    t.ok(
      page.records.every((r) => /^[0-9a-f]{32}$/.test(r.type ?? '')),
      'reference values come back as plain sys_ids',
    )
    offset = page.nextOffset
  }
  t.equal(pages, 3)
  t.equal(seen.length, ROWS)
  t.equal(new Set(seen).size, ROWS, 'no duplicates')
  t.equal(instance.requestLog.filter((r) => r.url.startsWith('/api/now/table/cmdb_rel_ci')).length, 3)

  const display = await connector.queryTable({
    table: 'cmdb_rel_ci',
    encodedQuery: 'type.name=Depends on::Used by',
    limit: 1,
    fields: 'type',
    displayValue: 'true',
  })
  t.same(display.records, [{ type: 'Depends on::Used by' }])
})

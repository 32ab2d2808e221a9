// Acceptance: the `now-sdk query` command of ServiceNow's published @servicenow/sdk reads a page
// of a multi-page table from the emulator and reports where the next page starts (paging through
// every page with the same client code is real-client-now-sdk.test.ts). The CLI takes 15-45 s to
// load on this machine, hence a single invocation. Authentication is an OAuth bearer token from
// the emulator's /oauth_token.do, handed to the SDK through its pre-authenticated-session
// variables. NODE_ENV=test turns the
// SDK's telemetry off (it would otherwise post to ServiceNow's analytics host).
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { test } from 'tap'
import { emulator } from './helpers.ts'

const require = createRequire(import.meta.url)

interface QueryResult {
  hasMore: boolean
  nextOffset: number | null
  records: Array<Record<string, string>>
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

test('the now-sdk query command reads pages from the emulator', async (t) => {
  const { url } = await emulator(t, {
    seed: { relations: ROWS, users: 10 },
    oauthClients: [{ clientId: 'now-sdk', clientSecret: 'now-sdk-secret' }],
  })
  const token = await bearer(url)
  // @servicenow/sdk exports no package.json: find its bin beside sdk-api
  const cli = join(dirname(require.resolve('@servicenow/sdk-api/package.json')), '..', 'sdk', 'bin', 'index.js')
  const run = async (offset: number) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        cli,
        'query',
        'cmdb_rel_ci',
        '-q',
        'ORDERBYsys_id',
        '--limit',
        '100',
        '--offset',
        String(offset),
        '-f',
        'sys_id',
        '-o',
        'json',
      ],
      {
        env: { ...process.env, NODE_ENV: 'test', SN_SDK_INSTANCE_URL: url, SN_SDK_SESSION_BEARER_TOKEN: token },
        timeout: 120_000,
      },
    )
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as QueryResult & { ok: boolean }
  }
  const first = await run(0)
  t.equal(first.ok, true)
  t.equal(first.records.length, 100)
  t.equal(first.hasMore, true)
  t.equal(first.nextOffset, 100)
})

// End-to-end sync tests: a hub with seeded ServiceNow and LeanIX emulators behind two
// connections, helpers to start a run over REST and wait for it, and bare-HTTP readers of both
// systems, so assertions look at what the systems hold, not at what the hub believes.
import {
  startServiceNowEmulator,
  type RunningEmulator,
  type StartOptions,
} from '../../connectors/servicenow/emulator/index.ts'
import {
  startLeanixEmulator,
  type LeanixEmulator,
  type LeanixEmulatorOptions,
} from '../../connectors/leanix/emulator/index.ts'
import type { RunCounts } from '../../core/sync/counts.ts'
import { buildTestApp, type TestApp, type TestAppOptions } from './app.ts'
import { until } from './until.ts'

export const SN_PASSWORD = 'harness-admin'
export const SN_HUB_USER = 'crosswalk.hub'

export interface SyncHarness {
  hub: TestApp
  sn: RunningEmulator
  lx: LeanixEmulator
  snConnectionId: string
  lxConnectionId: string
  /** starts a run over REST and waits until it finished; the run as GET /runs/:id answers */
  run(mappingId: string, body?: Record<string, unknown>): Promise<RunAnswer>
  /** the actions of a run, all pages */
  actions(runId: string, query?: string): Promise<ActionAnswer[]>
  waitFor(runId: string): Promise<RunAnswer>
  /** Table API rows (every column as stored) */
  snRows(table: string, query?: string, fields?: string[]): Promise<Array<Record<string, string>>>
  snInsert(table: string, values: Record<string, string>): Promise<Record<string, string>>
  snUpdate(table: string, sysId: string, values: Record<string, string>): Promise<void>
  snDelete(table: string, sysId: string): Promise<void>
  /** Pathfinder GraphQL as an ADMIN who is not the hub (its changes are no echoes) */
  lxGraphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>
  /** creates a fact sheet; patches as Pathfinder takes them (values are strings) */
  lxCreate(
    type: string,
    name: string,
    patches?: Array<{ op: string; path: string; value: string }>,
  ): Promise<{ id: string; rev: number }>
  lxUpdate(id: string, patches: Array<{ op: string; path: string; value: string }>): Promise<void>
  lxArchive(id: string): Promise<void>
  /** creates a mapping over REST; its id */
  createMapping(definition: Record<string, unknown>): Promise<string>
  /** active fact sheets of a type: id, name and what `selection` adds */
  lxFactSheets(type: string, selection?: string): Promise<Array<Record<string, unknown> & { id: string; name: string }>>
}

export interface RunAnswer {
  id: string
  status: string
  kind: string
  trigger: string
  dryRun: boolean
  counts: RunCounts
  message: string | null
  phase: string | null
}

export interface ActionAnswer {
  id: string
  kind: string
  action: string
  status: string
  side: string
  sourceId: string | null
  targetId: string | null
  display: string | null
  changes: Array<{
    key: string
    side: string
    field: string
    before: unknown
    after: unknown
    conflict?: unknown
  }> | null
  message: string | null
}

export interface HarnessOptions {
  servicenow?: StartOptions
  leanix?: LeanixEmulatorOptions
  app?: TestAppOptions
  /** settings merged into the LeanIX connection */
  leanixSettings?: Record<string, unknown>
  /** settings merged into the ServiceNow connection */
  servicenowSettings?: Record<string, unknown>
}

export async function syncHarness(
  t: { teardown(fn: () => unknown): void },
  options: HarnessOptions = {},
): Promise<SyncHarness> {
  // the hub has a ServiceNow user of its own, as in production: its writes are told from the
  // test's edits (made as admin) by sys_updated_by, which deltas and change events rely on
  const sn = await startServiceNowEmulator({
    adminPassword: SN_PASSWORD,
    users: [{ userName: SN_HUB_USER, password: SN_PASSWORD, roles: ['admin'], email: 'crosswalk.hub@example.com' }],
    seed: { seed: 3, relations: 300, businessApps: 30 },
    ...options.servicenow,
  })
  t.teardown(() => sn.close())
  // the hub has its own technical user; the tests edit LeanIX as someone else (an architect), so
  // that their changes are not taken for echoes of the hub's writes
  const lx = await startLeanixEmulator({
    seed: { seed: 3, factSheets: 120 },
    technicalUsers: [
      { userName: 'crosswalk-hub', role: 'ADMIN' },
      { userName: 'architect', role: 'ADMIN' },
      { userName: 'crosswalk-viewer', role: 'VIEWER' },
    ],
    ...options.leanix,
  })
  t.teardown(() => lx.close())
  const hub = await buildTestApp(t, {
    ...options.app,
    config: { queue: { pollingIntervalSeconds: 0.5 }, sync: { schedules: false }, ...options.app?.config },
  })
  const snConnection = await hub.app.connections.create({
    name: 'servicenow',
    connector: 'servicenow',
    settings: {
      instanceUrl: sn.url,
      allowHttp: true,
      authKind: 'basic',
      username: SN_HUB_USER,
      password: SN_PASSWORD,
      ...options.servicenowSettings,
    },
  })
  const lxConnection = await hub.app.connections.create({
    name: 'leanix',
    connector: 'leanix',
    settings: { instanceUrl: lx.url, allowHttp: true, apiToken: lx.apiToken, ...options.leanixSettings },
  })
  const snAuth = `Basic ${Buffer.from(`admin:${SN_PASSWORD}`).toString('base64')}`
  let lxToken: string | undefined

  const waitFor = async (runId: string): Promise<RunAnswer> => {
    let run: RunAnswer | undefined
    await until(
      async () => {
        run = (await hub.inject(`/api/v1/runs/${runId}`)).json() as RunAnswer
        return ['OK', 'WARNING', 'ERROR', 'CANCELLED'].includes(run.status)
      },
      `run ${runId} to finish`,
      { timeoutMs: 120_000, everyMs: 100 },
    )
    return run as RunAnswer
  }

  const harness: SyncHarness = {
    hub,
    sn,
    lx,
    snConnectionId: snConnection.id,
    lxConnectionId: lxConnection.id,
    waitFor,
    async run(mappingId, body = {}) {
      const res = await hub.inject({ method: 'POST', url: `/api/v1/mappings/${mappingId}/runs`, payload: body })
      if (res.statusCode !== 202) throw new Error(`starting a run answered ${res.statusCode}: ${res.body}`)
      return waitFor(res.json().id)
    },
    async actions(runId, query = '') {
      const out: ActionAnswer[] = []
      let after: string | null = null
      do {
        const url: string = `/api/v1/runs/${runId}/actions?limit=1000${query ? `&${query}` : ''}${after ? `&after=${after}` : ''}`
        const page = (await hub.inject(url)).json() as { items: ActionAnswer[]; next: string | null }
        out.push(...page.items)
        after = page.next
      } while (after)
      return out
    },
    async snRows(table, query = '', fields) {
      const out: Array<Record<string, string>> = []
      for (let offset = 0; ; offset += 1000) {
        const params = new URLSearchParams({
          sysparm_query: query,
          sysparm_limit: '1000',
          sysparm_offset: String(offset),
          sysparm_exclude_reference_link: 'true',
        })
        if (fields) params.set('sysparm_fields', fields.join(','))
        const res = await fetch(`${sn.url}/api/now/table/${table}?${params}`, {
          headers: { authorization: snAuth, accept: 'application/json' },
        })
        if (res.status !== 200) throw new Error(`GET ${table} answered ${res.status}: ${await res.text()}`)
        const rows = ((await res.json()) as { result: Array<Record<string, string>> }).result
        out.push(...rows)
        if (rows.length < 1000) return out
      }
    },
    async snInsert(table, values) {
      const res = await fetch(`${sn.url}/api/now/table/${table}?sysparm_exclude_reference_link=true`, {
        method: 'POST',
        headers: { authorization: snAuth, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(values),
      })
      if (res.status !== 201) throw new Error(`POST ${table} answered ${res.status}: ${await res.text()}`)
      return ((await res.json()) as { result: Record<string, string> }).result
    },
    async snUpdate(table, sysId, values) {
      const res = await fetch(`${sn.url}/api/now/table/${table}/${sysId}`, {
        method: 'PATCH',
        headers: { authorization: snAuth, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(values),
      })
      if (res.status !== 200) throw new Error(`PATCH ${table} answered ${res.status}: ${await res.text()}`)
    },
    async snDelete(table, sysId) {
      const res = await fetch(`${sn.url}/api/now/table/${table}/${sysId}`, {
        method: 'DELETE',
        headers: { authorization: snAuth, accept: 'application/json' },
      })
      if (res.status !== 204) throw new Error(`DELETE ${table} answered ${res.status}: ${await res.text()}`)
    },
    async lxGraphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      if (!lxToken) {
        const res = await fetch(`${lx.url}/services/mtm/v1/oauth2/token`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`apitoken:${lx.apiTokens.architect ?? lx.apiToken}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials',
        })
        lxToken = ((await res.json()) as { access_token: string }).access_token
      }
      const res = await fetch(`${lx.url}/services/pathfinder/v1/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${lxToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      })
      if (res.status === 401) {
        // a test revoked every token: sign in again, once
        lxToken = undefined
        return harness.lxGraphql<T>(query, variables)
      }
      if (res.status !== 200) throw new Error(`LeanIX GraphQL answered ${res.status}: ${await res.text()}`)
      const body = (await res.json()) as { data: T; errors?: unknown[] }
      if (body.errors?.length) throw new Error(`LeanIX GraphQL errors: ${JSON.stringify(body.errors)}`)
      return body.data
    },
    async lxCreate(type, name, patches = []) {
      const data = await harness.lxGraphql<{ createFactSheet: { factSheet: { id: string; rev: number } } }>(
        'mutation ($input: BaseFactSheetInput!, $patches: [Patch]) { createFactSheet(input: $input, patches: $patches) { factSheet { id rev } } }',
        { input: { name, type }, patches },
      )
      return data.createFactSheet.factSheet
    },
    async lxUpdate(id, patches) {
      await harness.lxGraphql(
        'mutation ($id: ID!, $patches: [Patch]!) { updateFactSheet(id: $id, patches: $patches) { factSheet { id } } }',
        {
          id,
          patches,
        },
      )
    },
    async lxArchive(id) {
      await harness.lxGraphql(
        'mutation ($id: ID!, $patches: [Patch]!) { updateFactSheet(id: $id, patches: $patches, comment: "gone") { factSheet { id } } }',
        { id, patches: [{ op: 'replace', path: '/status', value: 'ARCHIVED' }] },
      )
    },
    async createMapping(definition) {
      const res = await hub.inject({ method: 'POST', url: '/api/v1/mappings', payload: definition })
      if (res.statusCode !== 201) throw new Error(`creating the mapping answered ${res.statusCode}: ${res.body}`)
      return res.json().id as string
    },
    async lxFactSheets(type, selection = '') {
      const out: Array<Record<string, unknown> & { id: string; name: string }> = []
      let after: string | null = null
      for (;;) {
        const data: {
          allFactSheets: {
            pageInfo: { hasNextPage: boolean; endCursor: string }
            edges: Array<{ node: Record<string, unknown> & { id: string; name: string } }>
          }
        } = await harness.lxGraphql(
          `query ($after: String, $type: String!) { allFactSheets(first: 1000, after: $after, filter: { facetFilters: [{ facetKey: "FactSheetTypes", keys: [$type] }] }) { pageInfo { hasNextPage endCursor } edges { node { id name ${selection} } } } }`,
          { after, type },
        )
        out.push(...data.allFactSheets.edges.map((e) => e.node))
        if (!data.allFactSheets.pageInfo.hasNextPage) return out
        after = data.allFactSheets.pageInfo.endCursor
      }
    },
  }
  return harness
}

/** Source and target of a mapping over the LeanIX Applications and cmdb_ci_business_app rows whose names start with `prefix`. */
export function appsNamed(h: SyncHarness, prefix: string) {
  return {
    source: {
      connectionId: h.lxConnectionId,
      entity: 'Application',
      filter: JSON.stringify({ fullTextSearch: prefix }),
    },
    target: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app', filter: `nameSTARTSWITH${prefix}` },
  }
}

/** Name and description mastered in LeanIX, the alias mastered in ServiceNow (its comments). */
export const APP_FIELDS = [
  { type: 'field', source: 'name', target: 'name' },
  { type: 'field', source: 'description', target: 'short_description' },
  { type: 'field', source: 'alias', target: 'comments', direction: 'toSource' },
]

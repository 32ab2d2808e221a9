// Secrets written through every route that accepts them stay where they were put: each value is
// sent once, through one write (REST and GraphQL connections, IdentityNow service desk and SIM
// integrations by POST, PUT and JSON Patch, API clients and their tokens), accepted or refused,
// and afterwards none appears in an answer (GraphQL errors included), a log line, the audit
// log, the metrics, or the store: every row of every table as text, and on PGlite every byte of
// the data directory (tables, indexes and write-ahead log).
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'
import { PgliteDb } from '../../../core/store/pglite-db.ts'

t.setTimeout(300_000)

/** A distinct value per write: a leak names the route that let it through. */
const secret = (where: string) => `S3cr3t-${where}-${Math.random().toString(36).slice(2, 10)}`

t.test('secrets written through every route stay out of answers, logs, audit, metrics and the store', async (t) => {
  const hub = await buildTestApp(t, { logLevel: 'trace', connectors: [memoConnector('memo')] })
  const secrets = new Map<string, string>()
  const answers: Array<{ what: string; text: string }> = []
  /** a write carrying the secret `where`; `expect` is the status it must be answered */
  const write = async (
    where: string,
    expect: number,
    options: (value: string) => Parameters<typeof hub.inject>[0],
    bearer?: string | null,
  ) => {
    const value = secret(where)
    secrets.set(where, value)
    const res = await hub.inject(options(value), bearer)
    t.equal(res.statusCode, expect, `${where}: ${res.body.slice(0, 300)}`)
    answers.push({ what: where, text: `${JSON.stringify(res.headers)}\n${res.body}` })
    return res
  }
  const settings = (password: string) => ({ url: 'https://memo.example', username: 'svc', password, pageSize: 10 })

  // admin REST: connections
  const created = await write('rest-create', 201, (v) => ({
    method: 'POST',
    url: '/api/v1/connections',
    payload: { name: 'rest', connector: 'memo', settings: settings(v) },
  }))
  const restId = created.json<{ id: string }>().id
  await write('rest-patch', 200, (v) => ({
    method: 'PATCH',
    url: `/api/v1/connections/${restId}`,
    payload: { settings: { password: v } },
  }))
  await write('rest-move', 200, (v) => ({
    method: 'PATCH',
    url: `/api/v1/connections/${restId}`,
    payload: { settings: { url: 'https://elsewhere.example', password: v } },
  }))
  await write('rest-patch-nested', 200, (v) => ({
    method: 'PATCH',
    url: `/api/v1/connections/${restId}`,
    payload: { settings: { auth: { clientId: 'cid', clientSecret: v } } },
  }))
  await write('rest-url-credentials', 400, (v) => ({
    method: 'POST',
    url: '/api/v1/connections',
    payload: {
      name: 'userinfo',
      connector: 'memo',
      settings: { ...settings('p4ssword'), url: `https://svc:${v}@a.example` },
    },
  }))
  await write('rest-typo', 400, (v) => ({
    method: 'POST',
    url: '/api/v1/connections',
    payload: { name: 'typo', connector: 'memo', settings: { ...settings('p4ssword'), pasword: v } },
  }))
  await write('rest-invalid', 400, (v) => ({
    method: 'POST',
    url: '/api/v1/connections',
    payload: { name: 'invalid', connector: 'memo', settings: { ...settings(v), pageSize: -1 } },
  }))

  // GraphQL: variables, inline literals, and a request refused while coercing its variables
  const gql = (query: string, variables?: Record<string, unknown>) => ({
    method: 'POST' as const,
    url: '/graphql',
    payload: { query, ...(variables ? { variables } : {}) },
  })
  const gqlCreated = await write('graphql-variables', 200, (v) =>
    gql('mutation ($input: ConnectionInput!) { createConnection(input: $input) { id } }', {
      input: { name: 'gql', connector: 'memo', settings: settings(v) },
    }),
  )
  const gqlId = gqlCreated.json<{ data: { createConnection: { id: string } } }>().data.createConnection.id
  await write('graphql-literal', 200, (v) =>
    gql(`mutation { updateConnection(id: "${gqlId}", patch: { settings: { password: "${v}" } }) { id } }`),
  )
  await write('graphql-coercion', 400, (v) =>
    gql('mutation ($patch: ConnectionPatch!) { updateConnection(id: "x", patch: $patch) { id } }', {
      patch: { settings: { password: v }, unknownField: 1 },
    }),
  )
  await write('graphql-typo', 400, (v) =>
    gql(`mutation ($patch: ConnectionPatch!) { updateConnection(id: "${gqlId}", patch: $patch) { id } }`, {
      patch: { settings: { pasword: v } },
    }),
  )
  await write('graphql-refused', 409, (v) =>
    gql('mutation ($input: ConnectionInput!) { createConnection(input: $input) { id } }', {
      input: { name: 'gql', connector: 'memo', settings: settings(v) },
    }),
  )

  // the IdentityNow-compatible API: service desk and SIM integrations
  const attributes = (password: string) => ({
    url: 'https://acme.service-now.com',
    authType: 'Basic',
    username: 'svc',
    password,
  })
  const sdim = await write('sdim-create', 200, (v) => ({
    method: 'POST',
    url: '/v3/service-desk-integrations',
    payload: { name: 'sdim', type: 'ServiceNow Service Desk', description: '', attributes: attributes(v) },
  }))
  const sdimId = sdim.json<{ id: string }>().id
  const patchHeaders = { 'content-type': 'application/json-patch+json' }
  await write('sdim-json-patch', 200, (v) => ({
    method: 'PATCH',
    url: `/v3/service-desk-integrations/${sdimId}`,
    headers: patchHeaders,
    payload: JSON.stringify([{ op: 'replace', path: '/attributes/password', value: v }]),
  }))
  await write('sdim-json-patch-attributes', 200, (v) => ({
    method: 'PATCH',
    url: `/v3/service-desk-integrations/${sdimId}`,
    headers: patchHeaders,
    payload: JSON.stringify([{ op: 'replace', path: '/attributes', value: attributes(v) }]),
  }))
  await write('sdim-put', 200, (v) => ({
    method: 'PUT',
    url: `/v3/service-desk-integrations/${sdimId}`,
    payload: {
      name: 'sdim',
      type: 'ServiceNow Service Desk',
      description: '',
      attributes: { ...attributes('p4ssword-kept'), authType: 'OAuth2', clientId: 'cid', clientSecret: v },
    },
  }))
  await write('sim-create', 200, (v) => ({
    method: 'POST',
    url: '/beta/sim-integrations',
    payload: { name: 'sim', type: 'ServiceNow Service Desk', attributes: attributes(v) },
  }))
  await write('sim-url-credentials', 400, (v) => ({
    method: 'POST',
    url: '/beta/sim-integrations',
    payload: { name: 'sim-2', attributes: { ...attributes('p4ssword'), url: `https://svc:${v}@acme.example` } },
  }))

  // API clients: the secret is answered once, at creation, and a token once, to the token
  // request that sent the secret back; those two answers are not scanned
  const client = await hub.inject({
    method: 'POST',
    url: '/api/v1/identitynow/api-clients',
    payload: { name: 'scan', role: 'admin' },
  })
  t.equal(client.statusCode, 200, client.body)
  const { clientId, clientSecret } = client.json<{ clientId: string; clientSecret: string }>()
  secrets.set('api-client', clientSecret)
  const tokenRequest = (secretSent: string) => ({
    method: 'POST' as const,
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secretSent,
    }).toString(),
  })
  const token = await hub.inject(tokenRequest(clientSecret), null)
  t.equal(token.statusCode, 200)
  secrets.set('access-token', token.json<{ access_token: string }>().access_token)
  await write('oauth-wrong-secret', 401, tokenRequest, null)

  // then: where each secret must not be
  const audit = await hub.inject('/api/v1/audit?limit=500')
  t.ok(audit.json<{ total: number }>().total >= 10, 'the writes were audited')
  const metrics = await hub.inject('/metrics')
  t.equal(metrics.statusCode, 200)
  const rows: string[] = []
  const tables = await hub.db.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
  )
  for (const { name } of tables.rows) {
    const dump = await hub.db.query<{ row: unknown }>(`select row_to_json(x)::text as row from "${name}" x`)
    rows.push(...dump.rows.map((r) => `${name}: ${String(r.row)}`))
  }
  t.ok(rows.filter((row) => row.startsWith('secrets: ')).length >= 5, 'the sealed secrets were read as well')
  let dataDirectory: Buffer | undefined
  if (hub.db instanceof PgliteDb) {
    await hub.db.exec('checkpoint')
    dataDirectory = Buffer.from(await (await hub.db.pglite.dumpDataDir('none')).arrayBuffer())
  }

  for (const [where, value] of secrets) {
    const inAnswers = answers.filter((a) => a.text.includes(value)).map((a) => a.what)
    t.same(inAnswers, [], `${where}: in no answer`)
    t.same(
      hub.logLines.filter((line) => line.includes(value)),
      [],
      `${where}: in no log line`,
    )
    t.notOk(audit.body.includes(value), `${where}: in no audit entry`)
    t.notOk(metrics.body.includes(value), `${where}: not in the metrics`)
    t.same(
      rows.filter((row) => row.includes(value)),
      [],
      `${where}: in no row of the store`,
    )
    if (dataDirectory) t.equal(dataDirectory.indexOf(value), -1, `${where}: in no file of the data directory`)
  }
})

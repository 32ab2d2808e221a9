// Secrets never leave: with known secret values seeded (the admin token, connection secrets
// written through the REST API and the vault, the master key, other tokens), every registered
// route is called with plausible input, GraphQL is queried field by field, and every answer
// (body and headers) and every log line is searched for them.
import t from 'tap'
import type { HTTPMethods, RouteOptions } from 'fastify'
import { Value } from 'typebox/value'
import type { TSchema } from 'typebox'
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isLeafType,
  isObjectType,
  isNonNullType,
  type GraphQLObjectType,
  type IntrospectionQuery,
} from 'graphql'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'

// every test starts an embedded PostgreSQL (PGlite), slow on a busy machine
t.setTimeout(300_000)

interface Route {
  method: HTTPMethods
  url: string
  body?: TSchema
}

const CONNECTION_PASSWORD = 'Conn3ction-Passw0rd-7f3a9c'
const CONNECTION_CLIENT_SECRET = 'client-secret-0b6e1d55aa'
const VAULT_ONLY = 'vault-only-value-9d2c44e1'

function settings(suffix = '') {
  return {
    url: 'https://example.test',
    username: 'svc',
    password: CONNECTION_PASSWORD + suffix,
    auth: { clientId: 'cid', clientSecret: CONNECTION_CLIENT_SECRET + suffix },
    pageSize: 10,
  }
}

/** A body the route's schema accepts, where one can be made; settings carry the secrets. */
function plausibleBody(schema: TSchema | undefined): unknown {
  if (!schema) return undefined
  let body: unknown
  try {
    body = Value.Create(schema)
  } catch {
    body = {}
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>
    const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {}
    if ('name' in properties) record.name = `scan ${Math.random().toString(36).slice(2, 8)}`
    if ('connector' in properties) record.connector = 'memo'
    if ('settings' in properties) record.settings = settings()
    if ('role' in properties) record.role = 'viewer'
  }
  return body
}

/** One query per root field without required arguments, selecting its leaf fields two levels deep. */
function graphqlQueries(introspection: IntrospectionQuery): string[] {
  const schema = buildClientSchema(introspection)
  const select = (type: GraphQLObjectType, depth: number): string => {
    const parts: string[] = ['__typename']
    for (const field of Object.values(type.getFields())) {
      if (field.args.some((a) => isNonNullType(a.type))) continue
      const named = getNamedType(field.type)
      if (isLeafType(named)) parts.push(field.name)
      else if (isObjectType(named) && depth > 0) parts.push(`${field.name} { ${select(named, depth - 1)} }`)
    }
    return parts.join(' ')
  }
  const query = schema.getQueryType()
  if (!query) return []
  return Object.values(query.getFields())
    .filter((f) => !f.args.some((a) => isNonNullType(a.type)))
    .map((f) => {
      const named = getNamedType(f.type)
      return isObjectType(named) ? `{ ${f.name} { ${select(named, 2)} } }` : `{ ${f.name} }`
    })
}

t.test('no answer and no log line carries a secret', async (t) => {
  const routes: Route[] = []
  const hub = await buildTestApp(t, {
    logLevel: 'trace',
    connectors: [memoConnector('memo')],
    // the introspection query nests type references deeper than the default depth limit
    config: { rateLimit: { max: 100_000 }, graphql: { queryDepth: 20 } },
    setup(app) {
      app.addHook('onRoute', (route: RouteOptions) => {
        for (const method of ([] as HTTPMethods[]).concat(route.method)) {
          routes.push({ method, url: route.url, body: route.schema?.body as TSchema | undefined })
        }
      })
    },
  })

  // seed: a connection with secrets over REST, a value straight into the vault, more tokens
  const created = await hub.inject({
    method: 'POST',
    url: '/api/v1/connections',
    payload: { name: 'seeded', connector: 'memo', settings: settings() },
  })
  t.equal(created.statusCode, 201, created.body)
  const connectionId = created.json<{ id: string }>().id
  t.equal(
    await hub.hub.vault.get(`connection:${connectionId}`, 'password'),
    CONNECTION_PASSWORD,
    'the connection password went into the vault',
  )
  await hub.hub.vault.put('scan:fixture', 'extra', VAULT_ONLY)
  const viewer = await hub.token('viewer')
  const tokenCreated = await hub.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'scan', role: 'operator' },
  })
  const { token: operator, record } = tokenCreated.json<{ token: string; record: { id: string } }>()
  const secrets: Record<string, string> = {
    'admin token': hub.adminToken,
    'master key': hub.masterKey,
    'master key (hex)': Buffer.from(hub.masterKey, 'base64').toString('hex'),
    'connection password': CONNECTION_PASSWORD,
    'connection client secret': CONNECTION_CLIENT_SECRET,
    'vault-only value': VAULT_ONLY,
    'viewer token': viewer,
    'operator token': operator,
  }

  const answers: Array<{ what: string; text: string }> = []
  const call = async (what: string, options: Parameters<typeof hub.inject>[0], token?: string | null) => {
    const res = await hub.inject(options, token)
    answers.push({ what, text: `${JSON.stringify(res.headers)}\n${res.body}` })
    return res
  }

  // every route, deletes last so the others see the seeded records
  const ids = [connectionId, record.id, '00000000-0000-4000-8000-000000000000']
  const ordered = [...routes].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'))
  let calls = 0
  for (const route of ordered) {
    const urls = route.url.includes(':')
      ? ids.map((id) => route.url.replace(/:\w+(\([^)]*\))?/g, id))
      : [route.url.replace(/\*/g, 'index.html')]
    for (const url of urls) {
      const payload = plausibleBody(route.body)
      for (const token of [hub.adminToken, viewer]) {
        await call(
          `${route.method} ${url}`,
          {
            method: route.method,
            url,
            ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
          },
          token,
        )
        calls++
      }
    }
  }
  t.ok(calls > 20, `${calls} calls over ${routes.length} routes`)

  // GraphQL, field by field, when the hub serves it
  if (routes.some((r) => r.url === '/graphql')) {
    const introspection = await call('graphql introspection', {
      method: 'POST',
      url: '/graphql',
      payload: { query: getIntrospectionQuery() },
    })
    const data = introspection.json<{ data: IntrospectionQuery }>().data
    t.ok(data, `introspection answered: ${introspection.body.slice(0, 300)}`)
    const queries = graphqlQueries(data)
    t.ok(queries.length > 0, `${queries.length} GraphQL root fields queried`)
    for (const query of queries)
      await call(`graphql ${query.slice(0, 60)}`, { method: 'POST', url: '/graphql', payload: { query } })
  }

  // the vault still opens its value after all that (the scan had something to find)
  t.equal(await hub.hub.vault.get('scan:fixture', 'extra'), VAULT_ONLY)
  t.ok(hub.logLines.length > 50, `${hub.logLines.length} log lines captured`)

  for (const [name, value] of Object.entries(secrets)) {
    const leaks = answers.filter((a) => a.text.includes(value)).map((a) => a.what)
    t.same(leaks, [], `the ${name} appears in no answer`)
    const logged = hub.logLines.filter((line) => line.includes(value))
    t.same(logged, [], `the ${name} appears in no log line`)
  }
  // the audit log saw the changes, redacted
  const audit = await hub.inject('/api/v1/audit?limit=500')
  t.ok(audit.json<{ total: number }>().total > 3, 'changes were audited')
  for (const value of Object.values(secrets)) t.notOk(audit.body.includes(value))
})

// What one GraphQL request may ask for (issue 11 point 3): cost from aliases, limit arguments and
// nested lists, mutations per request, the answer's size; and what its errors say (points 15
// and 16): a CW_ code on each, a message about the input, never the store's, never a secret.
import { test } from 'tap'
import { getIntrospectionQuery } from 'graphql'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'
import { recordStatements } from '../../helpers/statements.ts'
import type { Connector } from '../../../core/connector/contract.ts'

type GqlError = { message: string; extensions?: { code?: string } }

async function gql(hub: TestApp, query: string, variables: Record<string, unknown> = {}, token?: string | null) {
  const res = await hub.inject({ method: 'POST', url: '/graphql', payload: { query, variables } }, token)
  return {
    status: res.statusCode,
    raw: res.body,
    body: res.json() as { data?: Record<string, unknown> | null; errors?: GqlError[] },
  }
}

const settings = { url: 'https://memo.example.test', username: 'u', password: 'graphql-limits-secret-pw' }

test('aliases of a large list cost what they would fetch: refused before the store is asked', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const viewer = await hub.token('viewer')
  const statements = recordStatements(t, hub.db)
  const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: connections(limit: 500) { items { id name } }`)
  const res = await gql(hub, `{ ${aliases.join(' ')} }`, {}, viewer)
  t.equal(res.status, 400)
  t.equal(res.body.errors?.[0]?.extensions?.code, 'CW_GRAPHQL_TOO_COMPLEX')
  t.match(res.body.errors?.[0]?.message, /cost \d+, more than the 20000/)
  t.notOk(
    statements.some((s) => s.includes('from connections')),
    'no connection was read',
  )

  // the same through a variable, a fragment and nesting: every route to the multiplier counts
  const viaVariable = await gql(
    hub,
    'query ($n: Int) { a: connections(limit: $n) { ...page } b: connections(limit: $n) { ...page } } fragment page on ConnectionPage { items { mappings { runs(limit: 50) { id } } } }',
    { n: 500 },
    viewer,
  )
  t.equal(viaVariable.body.errors?.[0]?.extensions?.code, 'CW_GRAPHQL_TOO_COMPLEX')

  // an ordinary status query passes
  const ordinary = await gql(
    hub,
    '{ connections { items { name connector { name } secretsSet } total } mappings { name lastRun { status } runs(limit: 5) { id } } }',
    {},
    viewer,
  )
  t.notOk(ordinary.body.errors, JSON.stringify(ordinary.body.errors))
})

test('the introspection query is not priced: its answer is the schema', async (t) => {
  const hub = await buildTestApp(t, { config: { graphql: { maxCost: 100 } } })
  const res = await gql(hub, '{ __schema { types { name fields { name args { name type { name } } } } } }')
  t.notOk(res.body.errors, JSON.stringify(res.body.errors))
  t.ok((res.body.data?.__schema as { types: unknown[] }).types.length > 10)
})

test('the standard introspection query is answered; depth still guards data queries', async (t) => {
  // what GraphiQL and code generators send: 13 levels of introspection, under the default depth of 8
  const hub = await buildTestApp(t)
  const introspection = await gql(hub, getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))
  t.equal(introspection.status, 200)
  t.notOk(introspection.body.errors, JSON.stringify(introspection.body.errors))
  const types = (introspection.body.data?.__schema as { types: Array<{ name: string }> }).types
  t.ok(
    types.some((type) => type.name === 'Connection'),
    'the schema is in the answer',
  )
  // a data query as deep, through a fragment and inside __type's neighbour, is refused
  const deep = await gql(
    hub,
    '{ __typename mappings { ...m } } fragment m on Mapping { source { mappings { source { mappings { source { mappings { source { mappings { name } } } } } } } } }',
  )
  t.equal(deep.status, 400)
  t.equal(deep.body.errors?.[0]?.extensions?.code, 'CW_GRAPHQL_TOO_DEEP')
  t.match(deep.body.errors?.[0]?.message, /nests 10 levels deep, more than the 8 allowed/)
  // introspection inside a data query does not hide the data's depth, nor count
  const mixed = await gql(hub, '{ __schema { queryType { name } } mappings { source { name } } }')
  t.notOk(mixed.body.errors, JSON.stringify(mixed.body.errors))
})

test('mutations that reach out are capped per request, aliases included', async (t) => {
  let checks = 0
  const reaching: Connector = {
    ...memoConnector(),
    async check() {
      checks += 1
      return { ok: true, message: 'reached' }
    },
  } as Connector
  const hub = await buildTestApp(t, { connectors: [reaching] })
  const { id } = await hub.app.connections.create({ name: 'c', connector: 'memo', settings })
  const operator = await hub.token('operator')
  const fifty = Array.from({ length: 50 }, (_, i) => `c${i}: checkConnection(id: "${id}") { ok }`).join(' ')
  const refused = await gql(hub, `mutation { ${fifty} }`, {}, operator)
  t.equal(refused.body.errors?.[0]?.extensions?.code, 'CW_GRAPHQL_TOO_MANY_MUTATIONS')
  t.match(refused.body.errors?.[0]?.message, /50 mutations, more than the 5/)
  t.equal(checks, 0, 'no outbound request was made')
  const five = Array.from({ length: 5 }, (_, i) => `c${i}: checkConnection(id: "${id}") { ok }`).join(' ')
  const allowed = await gql(hub, `mutation { ${five} }`, {}, operator)
  t.notOk(allowed.body.errors, JSON.stringify(allowed.body.errors))
  t.equal(checks, 5)
})

test('an answer larger than the bound is replaced by an error saying so', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()], config: { graphql: { maxAnswerBytes: 10_000 } } })
  for (let i = 0; i < 40; i++) {
    await hub.app.connections.create({ name: `connection-${i}-${'x'.repeat(200)}`, connector: 'memo', settings })
  }
  const res = await gql(hub, '{ connections(limit: 40) { items { id name settings } } }')
  t.equal(res.status, 413)
  t.equal(res.body.errors?.[0]?.extensions?.code, 'CW_GRAPHQL_ANSWER_TOO_LARGE')
  t.ok(res.raw.length < 1000, 'the answer is the short error')
  const small = await gql(hub, '{ connections(limit: 5) { items { id } } }')
  t.notOk(small.body.errors)
})

test('arguments the store would refuse are refused first, with a CW code about the input', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const cases: Array<[string, RegExp]> = [
    ['{ connection(id: "not-a-uuid") { id } }', /Argument "id" of field "connection" must be a UUID/],
    ['{ run(id: "1") { id } }', /Argument "id" of field "run" must be a UUID/],
    ['{ connections(limit: -1) { total } }', /Argument "limit" of field "connections" must be between 1 and 500/],
    ['{ connections(limit: 100000) { total } }', /must be between 1 and 500/],
    ['{ connections(offset: -5) { total } }', /Argument "offset" of field "connections" must not be negative/],
    ['{ mappings(limit: 0) { id } }', /must be between 1 and 500/],
    ['{ runs(mappingId: "x; drop table runs") { id } }', /must be a UUID/],
    ['{ connector(name: "a\\u0000b") { name } }', /must not contain NUL/],
  ]
  for (const [query, message] of cases) {
    const res = await gql(hub, query)
    t.equal(res.body.errors?.[0]?.extensions?.code, 'CW_GRAPHQL_ARGUMENT_INVALID', query)
    t.match(res.body.errors?.[0]?.message, message, query)
    t.notMatch(res.raw, /invalid input syntax|LIMIT must not|OFFSET must not|postgres|pglite/i, query)
  }
  // the same through variables
  const viaVariables = await gql(hub, 'query ($id: ID!) { connection(id: $id) { id } }', { id: "1' or '1'='1" })
  t.equal(viaVariables.body.errors?.[0]?.extensions?.code, 'CW_GRAPHQL_ARGUMENT_INVALID')
  t.notMatch(viaVariables.raw, /or '1'='1/, 'the value is not repeated')
  const nulInJson = await gql(hub, 'mutation ($input: ConnectionInput!) { createConnection(input: $input) { id } }', {
    input: { name: 'n', connector: 'memo', settings: { ...settings, username: 'a\u0000b' } },
  })
  // refused by whichever layer sees it first: the body guard (plugins/input-guard.ts) or the arguments
  t.match(nulInJson.body.errors?.[0]?.extensions?.code, /^CW_(TEXT_INVALID|GRAPHQL_ARGUMENT_INVALID)$/)
  t.notOk(nulInJson.raw.includes('graphql-limits-secret-pw'))
  // a well-formed id that does not exist is simply absent
  const absent = await gql(hub, '{ connection(id: "00000000-0000-4000-8000-000000000000") { id } }')
  t.same(absent.body, { data: { connection: null } })
})

test('every GraphQL error carries a CW code; store and library texts stay in the log', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()], logLevel: 'error' })
  // a store failure inside a resolver
  const original = hub.app.connections.list.bind(hub.app.connections)
  hub.app.connections.list = (async () => {
    throw Object.assign(new Error('invalid input syntax for type uuid: "zzz"'), { code: '22P02', severity: 'ERROR' })
  }) as typeof hub.app.connections.list
  t.teardown(() => {
    hub.app.connections.list = original
  })
  const failed = await gql(hub, '{ connections { total } }')
  t.equal(failed.body.errors?.[0]?.extensions?.code, 'CW_INTERNAL')
  t.match(failed.body.errors?.[0]?.message, /Internal error; quote request id/)
  t.notMatch(failed.raw, /invalid input syntax|22P02/)
  t.ok(
    hub.logLines.some((line) => line.includes('invalid input syntax')),
    'the original text is in the log',
  )

  const kinds: Array<[string, Record<string, unknown> | undefined, string]> = [
    ['{ nope }', undefined, 'CW_GRAPHQL_INVALID'],
    ['{ connections { ', undefined, 'CW_GRAPHQL_INVALID'],
    ['query ($l: Int) { connections(limit: $l) { total } }', { l: 'ten' }, 'CW_GRAPHQL_VARIABLES_INVALID'],
    ['query ($id: ID!) { connection(id: $id) { id } }', {}, 'CW_GRAPHQL_VARIABLES_INVALID'],
    [
      '{ mappings { source { mappings { source { mappings { source { mappings { source { mappings { name } } } } } } } } } }',
      undefined,
      'CW_GRAPHQL_TOO_DEEP',
    ],
  ]
  for (const [query, variables, code] of kinds) {
    const res = await gql(hub, query, variables)
    t.equal(res.status, 400, query)
    for (const error of res.body.errors ?? []) t.equal(error.extensions?.code, code, query)
    t.ok(res.body.errors?.length, query)
  }
  // {"query": 5}: not a document
  const notText = await hub.inject({ method: 'POST', url: '/graphql', payload: { query: 5 } })
  t.equal(notText.statusCode, 400)
  t.equal((notText.json() as { errors: GqlError[] }).errors[0]?.extensions?.code, 'CW_GRAPHQL_INVALID')
  // a JSON AST instead of text
  const ast = await hub.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query: JSON.stringify({ kind: 'Document', definitions: [{}] }) },
  })
  t.equal(ast.statusCode, 400)
  t.equal((ast.json() as { errors: GqlError[] }).errors[0]?.extensions?.code, 'CW_GRAPHQL_INVALID')
})

test('variable errors name the variable and the expected type, never the value sent', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const secret = 'sk_live_do-not-echo-7f3a9c'
  const mutation = 'mutation ($input: ConnectionInput!) { createConnection(input: $input) { id } }'
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [
      { input: { name: { password: secret }, connector: 'memo', settings: {} } },
      /"\$input" is invalid: the value at "input.name" does not fit the declared type; expected a value of type String/,
    ],
    [
      { input: { name: 'n', connector: 'memo', settings: {}, password: secret } },
      /field "password" at "input" is not defined by type ConnectionInput|field "password" is not defined by type ConnectionInput/,
    ],
    [{ input: { name: 'n', settings: { password: secret } } }, /field "connector".* is required/],
    [{ input: secret }, /expected a ConnectionInput object/],
    [{ input: [secret, secret] }, /expected a ConnectionInput object/],
  ]
  for (const [variables, message] of cases) {
    const res = await gql(hub, mutation, variables)
    t.equal(res.body.errors?.[0]?.extensions?.code, 'CW_GRAPHQL_VARIABLES_INVALID', JSON.stringify(variables))
    t.match(res.body.errors?.[0]?.message, message, JSON.stringify(variables))
    t.notOk(res.raw.includes(secret), `the secret is not in the answer: ${res.raw}`)
    t.notOk(res.raw.includes('do-not-echo'), 'nor part of it')
  }
  const enumValue = await gql(hub, 'query ($s: RunStatus) { runs(status: $s) { id } }', { s: secret })
  t.match(enumValue.body.errors?.[0]?.message, /expected one of QUEUED, RUNNING/)
  t.notOk(enumValue.raw.includes(secret))
  // a value that itself looks like GraphQL's text does not trick the path out
  const tricky = await gql(hub, 'query ($l: Int) { connections(limit: $l) { total } }', {
    l: `x at "${secret}"; y`,
  })
  t.notOk(tricky.raw.includes(secret), tricky.raw)
  t.notOk(tricky.raw.includes('do-not-echo'), tricky.raw)
})

test('a subscription sent over HTTP is told where subscriptions are served, and nothing runs', async (t) => {
  const hub = await buildTestApp(t)
  const viewer = await hub.token('viewer')
  for (const [query, operationName] of [
    ['subscription { connectionChanged { action } }', undefined],
    ['query Q { connections { total } } subscription S { runFinished { runId } }', 'S'],
  ] as const) {
    const res = await hub.inject(
      { method: 'POST', url: '/graphql', payload: { query, ...(operationName ? { operationName } : {}) } },
      viewer,
    )
    t.equal(res.statusCode, 400, res.body)
    t.equal(res.json().errors?.[0]?.extensions?.code, 'CW_GRAPHQL_SUBSCRIPTION_OVER_HTTP')
    t.match(res.json().errors?.[0]?.message, /WebSocket at \/graphql/)
  }
  // the query of the same document still runs when it is the one named
  const query = await hub.inject(
    {
      method: 'POST',
      url: '/graphql',
      payload: {
        query: 'query Q { connections { total } } subscription S { runFinished { runId } }',
        operationName: 'Q',
      },
    },
    viewer,
  )
  t.equal(query.statusCode, 200, query.body)
})

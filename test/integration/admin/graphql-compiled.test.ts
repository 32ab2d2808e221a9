// GraphQL queries are compiled (graphql-jit) once they come again: the compiled query must answer
// exactly what the first, interpreted run answered, errors included, and never stand in for
// another operation of the same document.
import t from 'tap'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'

t.setTimeout(300_000)

async function ask(hub: TestApp, body: Record<string, unknown>, token?: string) {
  const res = await hub.inject({ method: 'POST', url: '/graphql', payload: body }, token)
  return { status: res.statusCode, body: res.json() as Record<string, unknown> }
}

const settings = { url: 'https://memo.example.test', username: 'u', password: 'graphql-compiled-pw' }

t.test('a query asked again answers as it did the first time, errors included', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  await hub.hub.connections.create({ name: 'alpha', connector: 'memo', settings })
  await hub.hub.connections.create({ name: 'beta', connector: 'memo', settings })
  const viewer = await hub.token('viewer')
  const requests: Array<Record<string, unknown>> = [
    { query: '{ connections(limit: 5) { total items { name connector { name } mappings { name } } } }' },
    { query: 'query ($l: Int) { connections(limit: $l) { items { name } } }', variables: { l: 1 } },
    { query: 'query ($l: Int) { connections(limit: $l) { items { name } } }', variables: { l: 'ten' } },
    { query: 'query ($l: Int) { connections(limit: $l) { items { name } } }', variables: { l: 100_000 } },
    { query: 'query ($id: ID!) { connection(id: $id) { name } }', variables: {} },
    { query: '{ connection(id: "00000000-0000-4000-8000-000000000000") { name health { ok } } }' },
    { query: '{ mappings { name } runs(limit: 3) { id } }' },
  ]
  for (const request of requests) {
    const first = await ask(hub, request, viewer)
    for (let i = 0; i < 3; i++) t.same(await ask(hub, request, viewer), first, JSON.stringify(request))
  }
  // the same document with other variables is judged again: bounds passed for `l: 1` do not carry
  const codeOf = async (request: Record<string, unknown>) =>
    ((await ask(hub, request, viewer)).body.errors as Array<{ extensions: { code: string } }> | undefined)?.[0]
      ?.extensions.code
  t.equal(await codeOf(requests[2] as Record<string, unknown>), 'CW_GRAPHQL_VARIABLES_INVALID')
  t.equal(await codeOf(requests[3] as Record<string, unknown>), 'CW_GRAPHQL_ARGUMENT_INVALID')
  t.equal(await codeOf(requests[1] as Record<string, unknown>), undefined, 'and `l: 1` still passes')
})

t.test('a document of two operations runs the one each request names, with its own bounds', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  await hub.hub.connections.create({ name: 'alpha', connector: 'memo', settings })
  const viewer = await hub.token('viewer')
  const query = `
    query Names { connections(limit: 1) { items { name } } }
    query Many($n: Int!) { connections(limit: $n) { total } }`
  for (let i = 0; i < 3; i++) {
    const names = await ask(hub, { query, operationName: 'Names' }, viewer)
    t.same(names.body, { data: { connections: { items: [{ name: 'alpha' }] } } })
  }
  const many = await ask(hub, { query, operationName: 'Many', variables: { n: 2 } }, viewer)
  t.same(many.body, { data: { connections: { total: 1 } } }, 'the operation named, not the one compiled before')
  const tooMany = await ask(hub, { query, operationName: 'Many', variables: { n: 100_000 } }, viewer)
  t.equal(tooMany.status, 400)
  t.equal(
    (tooMany.body.errors as Array<{ extensions: { code: string } }>)[0]?.extensions.code,
    'CW_GRAPHQL_ARGUMENT_INVALID',
  )
})

// How the emulator's HTTP layer reads requests (issue 17 points 1-5): a POST without Content-Type
// and a text/plain body are JSON, a bodyless DELETE may carry a JSON Content-Type, the token route
// answers with a trailing slash, `after: ""` is the first page, and GraphQL answers carry
// `"errors": null` on success and graphql-java's shape on validation errors.
import { test } from 'tap'
import type { LeanixEmulator } from '../../../connectors/leanix/emulator/index.ts'
import { clientFor, startForTest } from './emulator-client.ts'
import { pythonJsonDumps, pythonRequestsBytes, rawExchange, startTlsEmulator } from './tls-emulator.ts'

const GRAPHQL = '/services/pathfinder/v1/graphql'

test('a GraphQL POST without Content-Type, or as text/plain, is read as JSON', async (t) => {
  const { emulator, ca } = await startTlsEmulator(t, { seed: { seed: 7, factSheets: 60 } })
  const token = await exchangeTokenTls(emulator, ca)
  const body = pythonJsonDumps({ query: '{ allFactSheets(first: 2) { totalCount edges { node { id } } } }' })
  const post = (contentType: string | null, text: string) =>
    rawExchange(
      emulator,
      ca,
      pythonRequestsBytes(
        'POST',
        emulator.host,
        GRAPHQL,
        [
          ['Authorization', `Bearer ${token}`],
          ...(contentType === null ? [] : [['Content-Type', contentType] as [string, string]]),
          ['Content-Length', String(Buffer.byteLength(text))],
        ],
        text,
      ),
    )
  // python-requests with data=<str> sends no Content-Type at all (leanix-public/scripts call())
  const bare = await post(null, body)
  t.equal(bare.status, 200, bare.text)
  t.equal((bare.json().data as { allFactSheets: { edges: unknown[] } }).allFactSheets.edges.length, 2)
  const plain = await post('text/plain;charset=UTF-8', body)
  t.equal(plain.status, 200, plain.text)
  t.equal(plain.json().errors, null)
  const notJson = await post(null, 'not json!')
  t.equal(notJson.status, 400, 'a body that is not JSON is refused')
})

test('a bodyless DELETE with Content-Type: application/json is accepted', async (t) => {
  const { emulator, ca } = await startTlsEmulator(t, { seed: false })
  const token = await exchangeTokenTls(emulator, ca)
  const json = pythonJsonDumps({ identifier: 'to-delete', deliveryType: 'PULL', tagSets: [] })
  const made = await rawExchange(
    emulator,
    ca,
    pythonRequestsBytes(
      'POST',
      emulator.host,
      '/services/webhooks/v1/subscriptions',
      [
        ['Authorization', `Bearer ${token}`],
        ['Content-Type', 'application/json'],
        ['Content-Length', String(Buffer.byteLength(json))],
      ],
      json,
    ),
  )
  t.equal(made.status, 201, made.text)
  const id = (made.json().data as { id: string }).id
  const deleted = await rawExchange(
    emulator,
    ca,
    pythonRequestsBytes('DELETE', emulator.host, `/services/webhooks/v1/subscriptions/${id}`, [
      ['Authorization', `Bearer ${token}`],
      ['Content-Type', 'application/json'],
      ['Content-Length', '0'],
    ]),
  )
  t.equal(deleted.status, 200, deleted.text)
  t.equal(emulator.runtime.webhooks.get(id), undefined)
})

test('the MTM token route answers with and without a trailing slash', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  for (const path of ['/services/mtm/v1/oauth2/token', '/services/mtm/v1/oauth2/token/']) {
    const answer = await fetch(`${emulator.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`apitoken:${emulator.apiToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    })
    t.equal(answer.status, 200, path)
    t.match(await answer.json(), { token_type: 'bearer', access_token: String })
  }
})

test('after: "" is the first page', async (t) => {
  const emulator = await startForTest(t, { seed: { seed: 7, factSheets: 60 } })
  const { gql } = await clientFor(emulator)
  const page = async (after: string | null) =>
    (
      await gql('query($after: String) { allFactSheets(first: 5, after: $after) { edges { node { id } } } }', {
        after,
      })
    ).body
  const empty = await page('')
  const none = await page(null)
  t.equal(empty.errors, null)
  t.same(empty.data, none.data)
  const literal = await gql('{ allFactSheets(first: 5, after: "") { edges { node { id } } } }')
  t.same(literal.body.data, none.data)
})

test('errors is null on success; validation errors have no data and carry extensions.classification', async (t) => {
  const emulator = await startForTest(t, { seed: { seed: 7, factSheets: 60 } })
  const { gql } = await clientFor(emulator)
  const ok = await gql('{ allFactSheets(first: 1) { totalCount } }')
  t.ok('errors' in ok.body)
  t.equal(ok.body.errors, null)
  t.type(ok.body.data, 'object')
  const invalid = await gql('{ allFactSheets { edges { node { nope } } } }')
  t.equal(invalid.status, 200)
  t.notOk('data' in invalid.body)
  t.match(invalid.body.errors?.[0], {
    message: /FieldUndefined/,
    locations: [{ line: 1, column: Number }],
    extensions: { classification: 'ValidationError' },
  })
  t.notOk('path' in (invalid.body.errors?.[0] ?? {}))
  const syntax = await gql('{ allFactSheets {')
  t.notOk('data' in syntax.body)
  t.match(syntax.body.errors?.[0], { extensions: { classification: 'InvalidSyntax' } })
  const badVariable = await gql(
    'mutation($patches: [Patch]!) { updateFactSheet(id: "x", patches: $patches) { factSheet { id } } }',
    { patches: [{ op: 'replace', path: '/description', value: 5 }] },
  )
  t.notOk('data' in badVariable.body)
  t.match(badVariable.body.errors?.[0], { extensions: { classification: 'ValidationError' } })
  const business = await gql('mutation { updateFactSheet(id: "nope", patches: []) { factSheet { id } } }')
  t.same(business.body.data, { updateFactSheet: null }, 'a business error keeps its data')
  t.match(business.body.errors?.[0], { extensions: { errorType: 'NOT_FOUND' } })
})

/** Token exchange as LeanIX's scripts do it (form body, Basic apitoken), over the test CA. */
async function exchangeTokenTls(emulator: LeanixEmulator, ca: string): Promise<string> {
  const form = 'grant_type=client_credentials'
  const answer = await rawExchange(
    emulator,
    ca,
    pythonRequestsBytes(
      'POST',
      emulator.host,
      '/services/mtm/v1/oauth2/token',
      [
        ['Content-Length', String(form.length)],
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Authorization', `Basic ${Buffer.from(`apitoken:${emulator.apiToken}`).toString('base64')}`],
      ],
      form,
    ),
  )
  return String(answer.json().access_token)
}

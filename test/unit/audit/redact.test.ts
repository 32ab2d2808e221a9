import { test } from 'tap'
import { REDACTED, pointerSegments, redact, summarise, type SecretRule } from '../../../core/audit/redact.ts'
import { graphqlAnswerHasData, graphqlMutationOf } from '../../../core/audit/graphql-mutation.ts'

test('secret-looking fields are replaced wherever they sit; plain values stay', async (t) => {
  const body = {
    name: 'prod',
    url: 'https://example.service-now.com',
    password: 'p1',
    auth: { clientSecret: 'p2', client_secret: 'p3', apiKey: 'p4', refreshToken: 'p5', user: 'admin' },
    secrets: { anything: 'p6' },
    list: [{ token: 'p7', keep: 1 }],
    Authorization: 'Bearer p8',
    key: 'p9',
    privateKey: 'p10',
  }
  const out = JSON.stringify(redact(body))
  for (let i = 1; i <= 10; i++) t.notOk(out.includes(`"p${i}"`) || out.includes(`p${i}"`), `p${i} hidden`)
  t.match(redact(body), {
    name: 'prod',
    url: 'https://example.service-now.com',
    password: REDACTED,
    auth: { user: 'admin', clientSecret: REDACTED },
    secrets: REDACTED,
    list: [{ token: REDACTED, keep: 1 }],
  })
})

test('requests about secrets keep only their shape; long strings only their length', async (t) => {
  t.same(summarise('/api/v1/connections/:id/secrets/:name', { value: 'plain-looking' }, {}), {
    body: { value: REDACTED },
  })
  t.same(summarise('/api/v1/x', { note: 'y'.repeat(500) }, { dry: 'true' }), {
    body: { note: '[500 characters]' },
    query: { dry: 'true' },
  })
  t.same(summarise('/api/v1/x', undefined, {}), {})
})

test('GraphQL: only mutations count, and only when something came back', async (t) => {
  t.same(graphqlMutationOf({ query: 'mutation M { createMapping(input: {}) { id } other { id } }' })?.fields, [
    'createMapping',
    'other',
  ])
  t.equal(graphqlMutationOf({ query: '{ connections { id } }' }), undefined)
  t.equal(graphqlMutationOf({ query: 'query A { a } mutation B { b }', operationName: 'A' }), undefined)
  t.same(graphqlMutationOf({ query: 'query A { a } mutation B { b }', operationName: 'B' })?.fields, ['b'])
  t.equal(graphqlMutationOf({ query: 'mutation {' }), undefined, 'unparsable')
  t.ok(graphqlAnswerHasData('{"data":{"createMapping":{"id":"1"}}}'))
  t.notOk(graphqlAnswerHasData('{"data":{"createMapping":null},"errors":[{"message":"no"}]}'))
  t.notOk(graphqlAnswerHasData('{"data":null,"errors":[]}'))
})

test('by schema: a rule names secrets whatever their key, in bodies and in JSON Patch operations', async (t) => {
  const pin: SecretRule = (path) => path.join('.') === 'settings.pin' || path.join('.') === 'attributes.pin'
  t.same(summarise('/api/v1/connections', { settings: { pin: '1234', url: 'https://a.example' } }, {}, pin), {
    body: { settings: { pin: REDACTED, url: 'https://a.example' } },
  })
  const patch = [
    { op: 'replace', path: '/attributes/password', value: 'by-name' },
    { op: 'replace', path: '/attributes/pin', value: 'by-schema' },
    { op: 'replace', path: '/attributes', value: { pin: 'nested', url: 'https://b.example' } },
    { op: 'replace', path: '/description', value: 'plain' },
  ]
  const redacted = summarise('/beta/sim-integrations/:id', { operations: patch }, {}, pin)
  t.notMatch(JSON.stringify(redacted), /by-name|by-schema|nested/)
  t.match(redacted, {
    body: {
      operations: [
        { op: 'replace', path: '/attributes/password', value: REDACTED },
        { op: 'replace', path: '/attributes/pin', value: REDACTED },
        { path: '/attributes', value: { pin: REDACTED, url: 'https://b.example' } },
        { path: '/description', value: 'plain' },
      ],
    },
  })
  t.same(pointerSegments('/a~1b/c~0d'), ['a/b', 'c~d'], 'RFC 6901 escapes')
  t.same(redact('https://user:pw@host.example/x'), `https://${REDACTED}@host.example/x`, 'userinfo of URLs')
})

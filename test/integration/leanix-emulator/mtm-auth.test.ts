// MTM token exchange contract (docs/reference/leanix.md §1, §11): the request variants real clients send, the
// answer's shape, the JWT's claims and signature, 401s, revocation, expiry and token lifetime.
import { createPublicKey, verify } from 'node:crypto'
import { test } from 'tap'
import { clientFor, exchangeToken, graphql, startForTest } from './emulator-client.ts'

const basic = (token: string) => `Basic ${Buffer.from(`apitoken:${token}`).toString('base64')}`
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split('.')
  return {
    header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>,
  }
}

test('token exchange: Basic apitoken with a form body, query string or client credentials in the body', async (t) => {
  const emulator = await startForTest(t)
  const url = `${emulator.url}/services/mtm/v1/oauth2/token`
  const form = await fetch(url, {
    method: 'POST',
    headers: { ...FORM, authorization: basic(emulator.apiToken) },
    body: 'grant_type=client_credentials',
  })
  t.equal(form.status, 200)
  const answer = (await form.json()) as Record<string, unknown>
  t.same(Object.keys(answer).sort(), ['access_token', 'expired', 'expires_in', 'scope', 'token_type'])
  t.match(answer, { scope: '', expired: false, token_type: 'bearer', expires_in: 3599 })

  const query = await fetch(`${url}?grant_type=client_credentials`, {
    method: 'POST',
    headers: { authorization: basic(emulator.apiToken) },
  })
  t.equal(query.status, 200, 'grant_type in the query string, empty body (leanix-sdk-java, reporting-cli)')
  const body = await fetch(url, {
    method: 'POST',
    headers: FORM,
    body: `grant_type=client_credentials&client_id=apitoken&client_secret=${encodeURIComponent(emulator.apiToken)}`,
  })
  t.equal(body.status, 200, 'client_id=apitoken & client_secret in the body')

  const bad = await fetch(url, {
    method: 'POST',
    headers: { ...FORM, authorization: basic('wrong') },
    body: 'grant_type=client_credentials',
  })
  t.equal(bad.status, 401)
  const noGrant = await fetch(url, {
    method: 'POST',
    headers: { ...FORM, authorization: basic(emulator.apiToken) },
    body: '',
  })
  t.equal(noGrant.status, 400)
  const wrongUser = await fetch(url, {
    method: 'POST',
    headers: { ...FORM, authorization: `Basic ${Buffer.from(`someone:${emulator.apiToken}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  })
  t.equal(wrongUser.status, 401, 'the Basic user name must be "apitoken"')
})

test('the access token is an RS256 JWT with the claims clients decode, verifiable with the JWKS', async (t) => {
  const emulator = await startForTest(t)
  const token = await exchangeToken(emulator.url, emulator.apiTokens.MEMBER ?? '')
  const { header, payload } = decodeJwt(token)
  t.equal(header.alg, 'RS256')
  const member = emulator.technicalUsers.find((u) => u.role === 'MEMBER')
  t.match(payload, {
    sub: member?.id,
    jti: String,
    instanceUrl: emulator.url,
    principal: {
      id: member?.id,
      username: 'crosswalk-member',
      permission: {
        workspaceId: emulator.workspace.id,
        workspaceName: emulator.workspace.name,
        role: 'MEMBER',
        status: 'ACTIVE',
      },
    },
  })
  t.equal((payload.exp as number) - (payload.iat as number), 3600)

  const jwks = (await (await fetch(`${emulator.url}/services/mtm/v1/oauth2/jwks`)).json()) as {
    keys: Array<Record<string, unknown>>
  }
  const key = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' })
  const [h, p, s] = token.split('.') as [string, string, string]
  t.ok(verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')), 'signature verifies')
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, principal: { ...(payload.principal as object), permission: { role: 'ADMIN' } } })).toString('base64url')}.${s}`
  t.equal(
    (await graphql(emulator.url, forged, '{ allTags { totalCount } }')).status,
    401,
    'a tampered token is refused',
  )
})

test('Pathfinder answers 401 without a token, and after revocation until the client re-authenticates', async (t) => {
  const emulator = await startForTest(t)
  const noToken = await fetch(`${emulator.url}/services/pathfinder/v1/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ allTags { totalCount } }' }),
  })
  t.equal(noToken.status, 401)
  const { token, gql } = await clientFor(emulator)
  t.equal((await gql('{ allTags { totalCount } }')).status, 200)
  t.equal(emulator.revokeTokens(), 1)
  t.equal((await graphql(emulator.url, token, '{ allTags { totalCount } }')).status, 401)
  const fresh = await clientFor(emulator)
  t.equal((await fresh.gql('{ allTags { totalCount } }')).status, 200, 'a new exchange works again')

  const revokeOverHttp = await fetch(`${emulator.url}/__emulator/tokens/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })
  t.same(await revokeOverHttp.json(), { revoked: 1 })
  t.equal((await fresh.gql('{ allTags { totalCount } }')).status, 401)
})

test('token lifetime is configurable and expired tokens answer 401; expired technical users cannot exchange', async (t) => {
  let now = Date.UTC(2026, 0, 1)
  const emulator = await startForTest(t, {
    tokenLifetimeSeconds: 60,
    now: () => new Date(now),
    technicalUsers: [
      { userName: 'hub', role: 'ADMIN' },
      { userName: 'expiring', role: 'MEMBER', expiresAt: new Date(Date.UTC(2026, 0, 2)) },
    ],
  })
  const tokenAnswer = await fetch(`${emulator.url}/services/mtm/v1/oauth2/token?grant_type=client_credentials`, {
    method: 'POST',
    headers: { authorization: basic(emulator.apiToken) },
  })
  t.equal(((await tokenAnswer.json()) as { expires_in: number }).expires_in, 59)
  const { gql } = await clientFor(emulator)
  t.equal((await gql('{ allTags { totalCount } }')).status, 200)
  now += 61_000
  t.equal((await gql('{ allTags { totalCount } }')).status, 401, 'expired after the lifetime')
  t.equal((await clientFor(emulator, emulator.apiTokens.expiring)).token.length > 0, true)
  now = Date.UTC(2026, 0, 3)
  await t.rejects(
    exchangeToken(emulator.url, emulator.apiTokens.expiring ?? ''),
    /401/,
    'technical user past its expiry date',
  )
})

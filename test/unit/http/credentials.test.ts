// The one token cache (core/http/credentials.ts): one request for everybody waiting, renewal a
// margin before expiry (half the life of a short token), a 401 renews only the token it was
// sent with, and a caller that gives up does not cancel the renewal the others wait for.
import { test } from 'tap'
import { TokenCache, basicCredentials } from '../../../core/http/credentials.ts'
import { gate } from '../../helpers/until.ts'

function issuer(lifetimeMs: number, now: () => number) {
  let n = 0
  const calls: number[] = []
  return {
    calls,
    obtain: async () => {
      calls.push(now())
      n++
      return { value: `tok-${n}`, expiresAt: now() + lifetimeMs }
    },
  }
}

test('concurrent callers share one request; the token is reused until a minute before expiry', async (t) => {
  let now = 0
  const tokens = issuer(3_600_000, () => now)
  const cache = new TokenCache({ obtain: tokens.obtain, now: () => now })
  const headers = await Promise.all(Array.from({ length: 10 }, () => cache.authorization()))
  t.same(new Set(headers), new Set(['Bearer tok-1']))
  t.equal(tokens.calls.length, 1)
  now = 3_539_000
  t.equal(await cache.authorization(), 'Bearer tok-1', '61 s before expiry: still good')
  now = 3_541_000
  t.equal(await cache.authorization(), 'Bearer tok-2', '59 s before expiry: renewed first')
  t.equal(cache.issued, 2)
})

test('a short-lived token is renewed at half its life', async (t) => {
  let now = 0
  const tokens = issuer(60_000, () => now)
  const cache = new TokenCache({ obtain: tokens.obtain, now: () => now })
  await cache.authorization()
  now = 29_000
  await cache.authorization()
  t.equal(tokens.calls.length, 1)
  now = 30_000
  await cache.authorization()
  t.equal(tokens.calls.length, 2)
})

test('a 401 renews the token it was sent with, once for all; a stale 401 only retries', async (t) => {
  const now = 0
  const tokens = issuer(3_600_000, () => now)
  const cache = new TokenCache({ obtain: tokens.obtain, now: () => now })
  const used = await cache.authorization()
  const renewals = await Promise.all([cache.renewAfterUnauthorized(used), cache.renewAfterUnauthorized(used)])
  t.same(renewals, [true, true])
  t.equal(tokens.calls.length, 2, 'one renewal for both')
  t.equal(await cache.renewAfterUnauthorized(used), true, 'sent with the old token: the new one is worth a try')
  t.equal(tokens.calls.length, 2, 'without another renewal')
  t.equal(await basicCredentials('u', 'p').renewAfterUnauthorized('Basic x'), false, 'Basic has nothing to renew')
})

test('a caller that gives up does not cancel the renewal the others wait for', async (t) => {
  const answer = gate<{ value: string; expiresAt: number }>()
  const cache = new TokenCache({ obtain: () => answer.promise, now: () => 0 })
  const controller = new AbortController()
  const impatient = cache.authorization(controller.signal)
  const patient = cache.authorization()
  controller.abort(new Error('gave up'))
  await t.rejects(impatient, { message: 'gave up' })
  answer.open({ value: 'tok', expiresAt: 3_600_000 })
  t.equal(await patient, 'Bearer tok')
})

test('a failed request for a token is not cached: the next caller asks again', async (t) => {
  let fail = true
  const cache = new TokenCache({
    obtain: async () => {
      if (fail) throw new Error('refused')
      return { value: 'tok', expiresAt: 3_600_000 }
    },
    now: () => 0,
  })
  await t.rejects(cache.authorization(), { message: 'refused' })
  fail = false
  t.equal(await cache.authorization(), 'Bearer tok')
})

import t from 'tap'
import { MAX_AGE_MS, VerifiedTokenCache } from '../../../core/auth/verified-tokens.ts'
import type { Principal } from '../../../core/auth/principal.ts'

const viewer: Principal = { tokenId: 't1', name: 'monitoring', role: 'viewer', kind: 'token' }

t.test('nothing is kept or served before the cache is trusted', async (t) => {
  const cache = new VerifiedTokenCache()
  cache.remember('h1', viewer, cache.ticket())
  t.equal(cache.get('h1'), undefined)
  cache.trust()
  t.equal(cache.get('h1'), undefined, 'what was offered before trust is not there')
  cache.remember('h1', viewer, cache.ticket())
  t.same(cache.get('h1'), viewer)
})

t.test('an answer read before a token changed is not remembered', async (t) => {
  const cache = new VerifiedTokenCache()
  cache.trust()
  const ticket = cache.ticket()
  cache.forget('some other token')
  cache.remember('h1', viewer, ticket)
  t.equal(cache.get('h1'), undefined)
})

t.test('forget drops every hash of the token; distrust drops everything and stops serving', async (t) => {
  const cache = new VerifiedTokenCache()
  cache.trust()
  cache.remember('h1', viewer, cache.ticket())
  cache.remember('h2', { ...viewer, tokenId: 't2' }, cache.ticket())
  cache.forget('t1')
  t.equal(cache.get('h1'), undefined)
  t.equal(cache.get('h2')?.tokenId, 't2')
  cache.distrust()
  cache.remember('h3', viewer, cache.ticket())
  t.equal(cache.get('h2'), undefined)
  t.equal(cache.get('h3'), undefined)
})

t.test('the least recently used token goes first once the bound is reached', async (t) => {
  const cache = new VerifiedTokenCache()
  cache.trust()
  for (let i = 0; i < 1_000; i++) cache.remember(`h${i}`, { ...viewer, tokenId: `t${i}` }, cache.ticket())
  t.ok(cache.get('h0'), 'h0 used: now the most recent')
  cache.remember('h1000', { ...viewer, tokenId: 't1000' }, cache.ticket())
  t.ok(cache.get('h0'))
  t.equal(cache.get('h1'), undefined, 'h1 was the least recently used')
  t.ok(cache.get('h1000'))
})

t.test('a verification is trusted for MAX_AGE_MS at most, even when no change is heard', async (t) => {
  let now = 1_000_000
  const cache = new VerifiedTokenCache(() => now)
  cache.trust()
  cache.remember('h1', viewer, cache.ticket())
  now += MAX_AGE_MS - 1
  t.same(cache.get('h1'), viewer)
  now += 1
  t.equal(cache.get('h1'), undefined, 'asked of the store again')
  cache.remember('h1', viewer, cache.ticket())
  t.same(cache.get('h1'), viewer, 'and kept again once it verified')
})

t.test('forgetAll drops every token but keeps the cache trusted', async (t) => {
  const cache = new VerifiedTokenCache()
  cache.trust()
  cache.remember('h1', viewer, cache.ticket())
  const ticket = cache.ticket()
  cache.forgetAll()
  t.equal(cache.get('h1'), undefined)
  cache.remember('h2', viewer, ticket)
  t.equal(cache.get('h2'), undefined, 'a read begun before it is not kept')
  cache.remember('h2', viewer, cache.ticket())
  t.same(cache.get('h2'), viewer)
})

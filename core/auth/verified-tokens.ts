// Hub tokens that verified, kept in memory so an authenticated request costs no store round trip.
// The cache is trusted only while the store's change notifications are heard
// (migrations/014_api_token_changes.sql): a revocation on any instance evicts its token as it
// commits, and while the listening connection is down nothing is served from the cache. Only
// tokens that verified are kept: an unknown token is asked of the store every time, so a token
// created a moment ago works at once and guessing cannot fill memory. An entry is also asked
// again after MAX_AGE_MS whatever was heard: a connection that LISTENs but is never told (a
// transaction-pooling PgBouncer between the hub and PostgreSQL delivers no notification) bounds
// a revocation's delay instead of leaving it unbounded.
import type { Principal } from './principal.ts'

/** tokens held at most; the least recently used goes first */
const MAX_ENTRIES = 1_000
/** how long a verification is trusted without asking the store again */
export const MAX_AGE_MS = 30_000

export class VerifiedTokenCache {
  #trusted = false
  /** bumped by every eviction: a verification that began before one may hold a stale answer */
  #generation = 0
  readonly #byHash = new Map<string, { principal: Principal; verifiedAt: number }>()
  readonly #now: () => number

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  /** the principal of a token hash, when cached, verified less than MAX_AGE_MS ago, and trusted */
  get(tokenHash: string): Principal | undefined {
    if (!this.#trusted) return undefined
    const entry = this.#byHash.get(tokenHash)
    if (!entry) return undefined
    this.#byHash.delete(tokenHash)
    if (this.#now() - entry.verifiedAt >= MAX_AGE_MS) return undefined
    // a Map iterates in insertion order: re-inserting keeps recently used tokens last
    this.#byHash.set(tokenHash, entry)
    return entry.principal
  }

  /** taken before asking the store; `remember` refuses an answer that something evicted since */
  ticket(): number {
    return this.#generation
  }

  remember(tokenHash: string, principal: Principal, ticket: number): void {
    if (!this.#trusted || ticket !== this.#generation) return
    this.#byHash.set(tokenHash, { principal, verifiedAt: this.#now() })
    if (this.#byHash.size > MAX_ENTRIES) {
      const oldest = this.#byHash.keys().next().value
      if (oldest !== undefined) this.#byHash.delete(oldest)
    }
  }

  /** a token changed (revoked, role, deleted) on some instance */
  forget(tokenId: string): void {
    this.#generation++
    for (const [hash, entry] of this.#byHash) {
      if (entry.principal.tokenId === tokenId) this.#byHash.delete(hash)
    }
  }

  /** notifications arrive: entries remembered from now on are kept current */
  trust(): void {
    this.forgetAll()
    this.#trusted = true
  }

  /** notifications may be missed: everything is asked of the store until trust() again */
  distrust(): void {
    this.#trusted = false
    this.forgetAll()
  }

  /** something changed that cannot be told apart: every token is asked of the store again */
  forgetAll(): void {
    this.#generation++
    this.#byHash.clear()
  }
}

// The WebSockets that carry subscriptions, by the credential that opened them, so that a
// credential that stops being valid stops them too. A token revoked through this instance closes
// its sockets at once; a token revoked by another instance sharing the store (or an OAuth access
// token that expired, or whose client was removed) is noticed by re-verifying every open
// socket's credential every `intervalMs`, the way each HTTP request is verified.
import type { Principal } from '../../core/auth/principal.ts'
import { roleAllows } from '../../core/auth/roles.ts'

/** The part of a WebSocket this needs (ws' WebSocket, as @fastify/websocket hands it over). */
export interface ClosableSocket {
  close(code?: number, reason?: string): void
  once(event: 'close', listener: () => void): unknown
}

/** graphql-transport-ws: 4403 Forbidden */
export const REVOKED_CLOSE_CODE = 4403
const REVOKED_REASON = 'Forbidden: the token of this connection is no longer valid'

interface Held {
  principal: Principal
  sockets: Set<ClosableSocket>
}

export class SubscriptionSockets {
  readonly #byCredential = new Map<string, Held>()
  readonly #verify: (authorization: string) => Promise<Principal | undefined>
  #timer: NodeJS.Timeout | undefined
  #checking: Promise<void> | undefined

  constructor(verify: (authorization: string) => Promise<Principal | undefined>) {
    this.#verify = verify
  }

  /** Follows `socket`, opened with the Authorization value `authorization` by `principal`. */
  track(authorization: string, principal: Principal, socket: ClosableSocket): void {
    let held = this.#byCredential.get(authorization)
    if (!held) {
      held = { principal, sockets: new Set() }
      this.#byCredential.set(authorization, held)
    }
    if (held.sockets.has(socket)) return
    held.sockets.add(socket)
    socket.once('close', () => {
      const current = this.#byCredential.get(authorization)
      current?.sockets.delete(socket)
      if (current?.sockets.size === 0) this.#byCredential.delete(authorization)
    })
  }

  /** How many sockets are followed (for tests and metrics). */
  get size(): number {
    let n = 0
    for (const held of this.#byCredential.values()) n += held.sockets.size
    return n
  }

  /** Closes every socket opened with the token `tokenId` (revoked here). */
  revoked(tokenId: string): void {
    for (const [authorization, held] of this.#byCredential) {
      if (held.principal.tokenId === tokenId) this.#close(authorization, held)
    }
  }

  /** Verifies every followed credential again; closes the sockets of those that no longer verify. */
  recheck(): Promise<void> {
    // one pass at a time: a slow store must not pile passes up
    this.#checking ??= this.#recheck().finally(() => {
      this.#checking = undefined
    })
    return this.#checking
  }

  async #recheck(): Promise<void> {
    for (const [authorization, held] of [...this.#byCredential]) {
      let principal: Principal | undefined
      try {
        principal = await this.#verify(authorization)
      } catch {
        continue // the store did not answer: keep the sockets until it does
      }
      const same = principal?.tokenId === held.principal.tokenId && roleAllows(principal.role, 'viewer')
      if (!same) this.#close(authorization, held)
    }
  }

  start(intervalMs: number): void {
    this.stop()
    this.#timer = setInterval(() => void this.recheck(), intervalMs)
    this.#timer.unref()
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
  }

  #close(authorization: string, held: Held): void {
    this.#byCredential.delete(authorization)
    for (const socket of held.sockets) socket.close(REVOKED_CLOSE_CODE, REVOKED_REASON)
  }
}

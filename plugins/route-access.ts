// What a route declares about access, in its `config`: the weakest role that may call it, or
// that it is public. Routes that declare nothing need an admin token (closed by default).
import type { Role } from '../core/auth/roles.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** served without a token */
    public?: boolean
    /** the weakest role allowed; admin when omitted */
    role?: Role
    /** the kinds of principal taken (Principal.kind); hub tokens only when omitted */
    accepts?: readonly string[]
    /**
     * a WebSocket upgrade may arrive without a token and authenticate in its connection_init
     * payload instead: browsers cannot set headers on an upgrade request
     */
    authInConnectionInit?: boolean
    /**
     * the rate-limit bucket the route counts against (plugins/external/rate-limit.ts): probes,
     * token endpoints and webhooks each have their own, so that no kind of traffic starves another
     */
    rateLimitBucket?: RateLimitBucket
  }
}

/** api: the admin API (per token, or per address without one); the others per address */
export type RateLimitBucket = 'api' | 'probes' | 'credentials' | 'webhooks'

export type { Role }

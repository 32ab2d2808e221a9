// Requests per window (@fastify/rate-limit), in buckets that cannot starve each other: the admin
// API per token (per address when no valid token was sent, so guessing tokens is throttled too),
// probes (/health/*, /metrics), token endpoints and webhooks each per address. A route names its
// bucket in its config (`rateLimitBucket`); undeclared routes count as the admin API. Runs in
// onRequest right after authentication and before authorisation; limits from config.rateLimit.
// Token endpoints also lock a client id out after too many wrong secrets (credentialLockout),
// whatever address they come from. Behind a proxy, `trustProxy` says whose X-Forwarded-For to
// believe (server-options.ts); otherwise everyone behind it shares one address.
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AuthErrors } from '../../core/auth/errors.ts'
import type { RateLimitBucket } from '../route-access.ts'

/** Failed client-credential attempts per client id (the token endpoints report theirs here). */
export interface CredentialLockout {
  /** seconds until `clientId` may try again; 0 when it may now */
  lockedFor(request: FastifyRequest, clientId: string): Promise<number>
  /** counts a wrong secret for `clientId` */
  failed(request: FastifyRequest, clientId: string): Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    credentialLockout: CredentialLockout
  }
}

function bucketOf(request: FastifyRequest): RateLimitBucket {
  return request.is404 ? 'api' : (request.routeOptions.config.rateLimitBucket ?? 'api')
}

function keyOf(request: FastifyRequest): string {
  const who = request.principal ? `token:${request.principal.tokenId}` : `ip:${request.ip}`
  return `${bucketOf(request)}|${who}`
}

export default fp(
  async function rateLimitPlugin(app: FastifyInstance) {
    const { max, windowMs, probesMax, credentialsMax, webhooksMax, lockoutAttempts, lockoutWindowMs } =
      app.config.rateLimit
    const limits: Record<RateLimitBucket, number> = {
      api: max,
      probes: probesMax,
      credentials: credentialsMax,
      webhooks: webhooksMax,
    }
    const limitOf = (key: string) => limits[key.slice(0, key.indexOf('|')) as RateLimitBucket] ?? max
    await app.register(rateLimit, {
      // placed by hand below, so that it runs after authentication on every route
      global: false,
      max: (_request, key) => limitOf(key),
      timeWindow: windowMs,
      keyGenerator: keyOf,
      errorResponseBuilder: (request, context) =>
        new AuthErrors.RATE_LIMITED(
          `${context.max} requests in ${Math.round(windowMs / 1000)} s`,
          request.principal ? 'token' : 'address',
          Math.ceil(context.ttl / 1000),
        ),
    })
    app.addHook('onRequest', app.rateLimit())

    // the client id a token endpoint is judging, for the key of the failure counter
    const subjects = new WeakMap<FastifyRequest, string>()
    const failures = app.createRateLimit({
      keyGenerator: (request) => `lockout|${subjects.get(request) ?? ''}`,
      max: lockoutAttempts,
      timeWindow: lockoutWindowMs,
    })
    app.decorate('credentialLockout', {
      async lockedFor(request, clientId) {
        subjects.set(request, clientId)
        const state = await failures(request, { increment: false })
        return !state.isAllowed && state.remaining === 0 ? Math.max(1, state.ttlInSeconds) : 0
      },
      async failed(request, clientId) {
        subjects.set(request, clientId)
        await failures(request)
      },
    } satisfies CredentialLockout)
  },
  { name: 'crosswalk-rate-limit', dependencies: ['crosswalk-config', 'crosswalk-auth'] },
)

// Requests per token per window (@fastify/rate-limit), keyed by the token id, or by the client
// address when no valid token was sent (so guessing tokens is throttled too). Runs in onRequest
// right after authentication and before authorisation; limits from config.rateLimit.
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AuthErrors } from '../../core/auth/errors.ts'

function keyOf(request: FastifyRequest): string {
  return request.principal ? `token:${request.principal.tokenId}` : `ip:${request.ip}`
}

export default fp(
  async function rateLimitPlugin(app: FastifyInstance) {
    const { max, windowMs } = app.config.rateLimit
    await app.register(rateLimit, {
      // placed by hand below, so that it runs after authentication on every route
      global: false,
      max,
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
  },
  { name: 'crosswalk-rate-limit', dependencies: ['crosswalk-config', 'crosswalk-auth'] },
)

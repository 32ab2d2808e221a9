// Bearer-token check shared by the Pathfinder and Webhooks routes: a missing, expired or revoked
// access token answers 401 before anything else runs (docs/reference/leanix.md §3.7 transport errors).
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { UserRecord } from '../workspace/records.ts'
import type { EmulatorRuntime } from '../runtime.ts'

declare module 'fastify' {
  interface FastifyRequest {
    leanixUser?: UserRecord
  }
}

export function bearerAuth(runtime: EmulatorRuntime) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization
    if (header === undefined || !/^bearer /i.test(header)) {
      return reply
        .code(401)
        .send({ error: 'unauthorized', error_description: 'Full authentication is required to access this resource' })
    }
    const result = runtime.tokens.verifyAccessToken(header.slice(7).trim())
    if (!result.ok) return reply.code(401).send({ error: 'invalid_token', error_description: result.reason })
    request.leanixUser = result.user
  }
}

/** The authenticated user; only call from routes behind bearerAuth. */
export function authenticatedUser(request: FastifyRequest): UserRecord {
  const user = request.leanixUser
  if (user === undefined) throw new Error('bearerAuth did not run for this route')
  return user
}

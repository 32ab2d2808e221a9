// Who may call the IdentityNow-compatible API: a bearer token the hub's /oauth/token issued, or
// any token another verifier (the hub's own auth) accepts, with the route's role (viewer for
// reads, admin for writes, as SailPoint's :read / :manage scopes). Answers 401/403 in
// SailPoint's shapes through the scope's error handler.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { roleAllows, type Role } from '../../../core/auth/roles.ts'
import { IdnErrors } from '../errors.ts'

export interface Caller {
  role: Role
  subject: string
  /** shown in records (e.g. who closed a ticket by hand) */
  name: string
}

/** Returns the caller for a token it recognises, undefined for one it does not know. */
export type BearerVerifier = (token: string) => Promise<Caller | undefined>

declare module 'fastify' {
  interface FastifyRequest {
    idnCaller?: Caller
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
  return match?.[1]
}

export function requireCaller(scope: FastifyInstance, verifiers: () => BearerVerifier[]): void {
  scope.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config
    if (config.public) return
    const token = bearerToken(request)
    if (!token) throw new IdnErrors.UNAUTHORIZED('JWT is missing')
    let caller: Caller | undefined
    for (const verify of verifiers()) {
      caller = await verify(token)
      if (caller) break
    }
    if (!caller) throw new IdnErrors.UNAUTHORIZED('JWT is not valid')
    const required: Role = config.role ?? 'admin'
    if (!roleAllows(caller.role, required)) {
      throw new IdnErrors.FORBIDDEN(caller.role, `${request.method} ${request.routeOptions.url ?? request.url}`)
    }
    request.idnCaller = caller
  })
}

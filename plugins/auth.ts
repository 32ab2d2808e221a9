// Access control on every route: the bearer token is resolved to a principal in onRequest (so the
// rate limiter, registered next, can key on it), and the route's required role is enforced in
// preParsing, before any body is read. Verifiers are pluggable: the hub's own tokens first, then
// whatever other plugins add (the IdentityNow-compatible API adds its OAuth access tokens).
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HUB_TOKEN, type Principal } from '../core/auth/principal.ts'
import { roleAllows } from '../core/auth/roles.ts'
import { requiredAccess, type Access } from '../core/auth/route-policy.ts'
import { TokenStore, type TokenRecord } from '../core/auth/token-store.ts'
import { ensureFirstAdmin } from '../core/auth/first-admin.ts'
import { announceGeneratedToken } from '../core/auth/announce-token.ts'
import { AuthErrors } from '../core/auth/errors.ts'
import { VerifiedTokenCache } from '../core/auth/verified-tokens.ts'

/** where the store announces token changes (core/store/migrations/014_api_token_changes.sql) */
const TOKEN_CHANGES_CHANNEL = 'crosswalk_api_tokens'

/** Accepts a bearer credential it recognises (returns the principal) or passes (undefined). */
export type RequestVerifier = (
  bearer: string,
  /** absent when the credential came in a WebSocket connection_init payload */
  request?: FastifyRequest,
) => Promise<Principal | undefined> | Principal | undefined

export interface AuthService {
  tokens: TokenStore
  /** adds a verifier, tried after the hub's own tokens and the verifiers added before it */
  addVerifier(verifier: RequestVerifier): void
  /** the principal of the request's bearer token (memoised per request), undefined when none is valid */
  authenticate(request: FastifyRequest): Promise<Principal | undefined>
  /**
   * the principal of an `Authorization` value sent another way (a WebSocket connection_init
   * payload), when it is of a kind given (hub tokens by default)
   */
  verifyAuthorization(value: string, accepts?: readonly string[]): Promise<Principal | undefined>
  /** what the request's route needs */
  accessOf(request: FastifyRequest): Access
  /** revokes a hub token and tells the listeners (open WebSockets of that token close at once) */
  revoke(id: string): Promise<TokenRecord>
  /** called with the id of each token revoked through this instance */
  onRevoked(listener: (tokenId: string) => void): void
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService
  }
  interface FastifyRequest {
    /** who is calling; set on every route that is not public */
    principal?: Principal
  }
}

export type { Principal }

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i
const REALM = 'Bearer realm="crosswalk"'

type Presented = { kind: 'none' } | { kind: 'malformed' } | { kind: 'bearer'; token: string }

function presented(request: FastifyRequest): Presented {
  return parseAuthorization(request.headers.authorization)
}

function parseAuthorization(header: string | undefined): Presented {
  if (header === undefined || header === '') return { kind: 'none' }
  const match = BEARER.exec(header)
  return match?.[1] ? { kind: 'bearer', token: match[1] } : { kind: 'malformed' }
}

function tokenChange(payload: string): { id: string; revoked: boolean } | undefined {
  try {
    const parsed = JSON.parse(payload) as { id?: unknown; revoked?: unknown }
    if (typeof parsed.id === 'string') return { id: parsed.id, revoked: parsed.revoked === true }
  } catch {
    // not ours: treated as "anything may have changed"
  }
  return undefined
}

export default fp(
  async function auth(app: FastifyInstance) {
    const verified = new VerifiedTokenCache()
    const tokens = new TokenStore(app.db, verified)
    const verifiers: RequestVerifier[] = [(bearer) => tokens.verify(bearer)]
    const resolved = new WeakMap<FastifyRequest, Promise<Principal | undefined>>()
    const revokedListeners: Array<(tokenId: string) => void> = []

    // A token revoked on any instance sharing the store is forgotten here as the revocation
    // commits, and its open WebSockets close; while these notifications may be missed, every
    // request asks the store.
    const unlisten = await app.db.listen(TOKEN_CHANGES_CHANNEL, {
      notify(payload) {
        const change = tokenChange(payload)
        if (!change) {
          verified.forgetAll()
          return
        }
        verified.forget(change.id)
        if (change.revoked) for (const listener of revokedListeners) listener(change.id)
      },
      listening() {
        verified.trust()
        app.log.debug('token changes are heard; verified tokens are cached')
      },
      lost() {
        verified.distrust()
        app.log.warn(
          'lost the store connection that hears token changes; every request asks the store until it is back',
        )
      },
    })
    app.addHook('onClose', () => unlisten())

    async function verify(header: string | undefined, request?: FastifyRequest) {
      const credential = parseAuthorization(header)
      if (credential.kind !== 'bearer') return undefined
      for (const verifier of verifiers) {
        const principal = await verifier(credential.token, request)
        if (principal) return principal
      }
      return undefined
    }

    const service: AuthService = {
      tokens,
      addVerifier(verifier) {
        verifiers.push(verifier)
      },
      authenticate(request) {
        let pending = resolved.get(request)
        if (!pending) {
          pending = verify(request.headers.authorization, request)
          resolved.set(request, pending)
        }
        return pending
      },
      async verifyAuthorization(value, accepts = [HUB_TOKEN]) {
        const principal = await verify(value)
        return principal && accepts.includes(principal.kind) ? principal : undefined
      },
      async revoke(id) {
        const record = await tokens.revoke(id)
        for (const listener of revokedListeners) listener(record.id)
        return record
      },
      onRevoked(listener) {
        revokedListeners.push(listener)
      },
      accessOf(request) {
        return requiredAccess({
          url: request.is404 ? undefined : request.routeOptions.url,
          config: request.routeOptions.config,
        })
      },
    }
    app.decorate('auth', service)
    app.decorateRequest('principal', undefined)

    const outcome = await ensureFirstAdmin(app.db, tokens, app.config.adminToken, (token) => {
      const announced = announceGeneratedToken(token, { dataDir: app.config.dataDir, stderr: process.stderr })
      if (announced.where === 'file') {
        app.log.warn(
          { path: announced.path },
          'generated the first admin token; read it from this file, then delete it',
        )
      } else {
        app.log.warn('generated the first admin token and printed it once to stderr')
      }
    })
    if (outcome.kind === 'configured') {
      app.log.info(
        { tokenId: outcome.tokenId, replaced: outcome.replaced },
        'admin token from CROSSWALK_ADMIN_TOKEN registered',
      )
    } else if (outcome.kind === 'configured-revoked') {
      app.log.warn(
        { tokenId: outcome.tokenId },
        'CROSSWALK_ADMIN_TOKEN names a token that was revoked; it stays revoked, remove it from the configuration',
      )
    }

    app.addHook('onRequest', async (request) => {
      if (service.accessOf(request).public) return
      request.principal = await service.authenticate(request)
    })

    app.addHook('preParsing', async (request, reply) => {
      const access = service.accessOf(request)
      if (access.public) return
      const principal = request.principal
      if (!principal) {
        const credential = presented(request)
        // the WebSocket endpoint checks the token sent in connection_init (plugins/graphql)
        if (
          credential.kind === 'none' &&
          request.routeOptions.config.authInConnectionInit === true &&
          request.headers.upgrade?.toLowerCase() === 'websocket'
        ) {
          return
        }
        const detail =
          credential.kind === 'none'
            ? 'none was sent'
            : credential.kind === 'malformed'
              ? 'the Authorization header is not of the form "Bearer <token>"'
              : 'the token sent is unknown, expired or revoked'
        void reply.header('www-authenticate', credential.kind === 'none' ? REALM : `${REALM}, error="invalid_token"`)
        throw new AuthErrors.REQUIRED(detail)
      }
      if (!access.accepts.includes(principal.kind)) {
        // e.g. an IdentityNow API client's token on the admin API: valid, but not here
        void reply.header('www-authenticate', `${REALM}, error="invalid_token"`)
        throw new AuthErrors.REQUIRED(
          `the token sent is of the kind "${principal.kind}", which this route does not take; use a hub token (POST /api/v1/tokens)`,
        )
      }
      if (!roleAllows(principal.role, access.role)) {
        void reply.header('www-authenticate', `${REALM}, error="insufficient_scope"`)
        throw new AuthErrors.FORBIDDEN(access.role, principal.name, principal.role)
      }
    })
  },
  { name: 'crosswalk-auth', dependencies: ['crosswalk-config', 'crosswalk-store'] },
)

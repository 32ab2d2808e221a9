// Tokens the hub issues at POST /oauth/token: HS256 JWTs shaped like IdentityNow's (claims
// tenant_id, pod, org, user_name, authorities, client_id, scope, exp, jti), because SailPoint
// tooling parses them (sailpoint-cli warns when user_name is missing). `crosswalk_role` carries
// the client's role; `scope` the scopes that role has on the IdentityNow-compatible API, the only
// API these tokens open (oauth/scopes.ts).
import { randomUUID } from 'node:crypto'
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose'
import { Type, type Static } from 'typebox'
import { ROLES, type Role } from '../../../core/auth/roles.ts'
import { IdnErrors } from '../errors.ts'
import { scopesOf } from './scopes.ts'

export const TOKEN_ISSUER = 'crosswalk'
/** Principal.kind of an API client's token: only routes that name it take it (the compatible API) */
export const API_CLIENT_PRINCIPAL = 'identitynow-client'
export const DEFAULT_TOKEN_LIFETIME_S = 749

const AUTHORITIES: Record<Role, string[]> = {
  viewer: ['ORG_ADMIN_READ_ONLY'],
  operator: ['HELPDESK'],
  admin: ['ORG_ADMIN'],
}

export interface TokenSubject {
  clientId: string
  name: string
  role: Role
}

export const IssuedTokenSchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer(),
  scope: Type.String({ description: 'space-separated, as in OAuth 2.0' }),
  tenant_id: Type.String(),
  internal: Type.Boolean(),
  pod: Type.String(),
  org: Type.String(),
  strong_auth_supported: Type.Boolean(),
  jti: Type.String(),
})
export type IssuedToken = Static<typeof IssuedTokenSchema>

export class TokenIssuer {
  readonly #key: Uint8Array
  readonly #lifetimeS: number
  readonly #org: string

  constructor(key: Uint8Array, options: { lifetimeS?: number; org?: string } = {}) {
    this.#key = key
    this.#lifetimeS = options.lifetimeS ?? DEFAULT_TOKEN_LIFETIME_S
    this.#org = options.org ?? 'crosswalk'
  }

  async issue(subject: TokenSubject): Promise<IssuedToken> {
    const jti = randomUUID()
    const claims = {
      tenant_id: this.#org,
      internal: false,
      pod: 'crosswalk',
      org: this.#org,
      user_name: subject.name,
      strong_auth: false,
      authorities: AUTHORITIES[subject.role],
      client_id: subject.clientId,
      strong_auth_supported: false,
      scope: scopesOf(subject.role),
      crosswalk_role: subject.role,
    }
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setSubject(subject.clientId)
      .setJti(jti)
      .setIssuedAt()
      .setExpirationTime(`${this.#lifetimeS}s`)
      .sign(this.#key)
    return {
      access_token: token,
      token_type: 'bearer',
      expires_in: this.#lifetimeS,
      scope: scopesOf(subject.role).join(' '),
      tenant_id: this.#org,
      internal: false,
      pod: 'crosswalk',
      org: this.#org,
      strong_auth_supported: false,
      jti,
    }
  }

  /** The subject of a valid token; undefined when the token is not one of ours; throws when ours but invalid. */
  async verify(token: string): Promise<TokenSubject | undefined> {
    if (token.split('.').length !== 3) return undefined
    try {
      const { payload } = await jwtVerify(token, this.#key, { issuer: TOKEN_ISSUER, algorithms: ['HS256'] })
      const role = payload.crosswalk_role
      if (typeof role !== 'string' || !ROLES.includes(role as Role)) throw new IdnErrors.UNAUTHORIZED('JWT has no role')
      return {
        clientId: String(payload.client_id ?? payload.sub),
        name: String(payload.user_name ?? ''),
        role: role as Role,
      }
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new IdnErrors.UNAUTHORIZED('JWT is expired')
      if (error instanceof joseErrors.JWSSignatureVerificationFailed)
        throw new IdnErrors.UNAUTHORIZED('JWT signature does not match')
      if (error instanceof joseErrors.JOSEError) return undefined
      throw error
    }
  }
}

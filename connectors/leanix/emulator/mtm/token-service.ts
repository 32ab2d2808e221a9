// MTM: technical users, their API tokens, and the access tokens (RS256 JWTs) exchanged for them
// at POST /services/mtm/v1/oauth2/token (docs/reference/leanix.md §1). The JWT carries the claims real clients
// decode: exp, jti, sub, instanceUrl, principal{..., permission{workspaceId, workspaceName, role}}.
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto'
import type { UserRecord, UserRole } from '../workspace/records.ts'
import type { WorkspaceStore } from '../workspace/store.ts'

export interface TechnicalUserSpec {
  userName: string
  role: UserRole
  /** the API token; generated when omitted */
  apiToken?: string
  /** the technical user's expiry date: its token stops working then */
  expiresAt?: Date | null
  id?: string
}

interface ApiTokenEntry {
  userId: string
  expiresAt: Date | null
}

export interface TokenResponse {
  scope: string
  expired: boolean
  access_token: string
  token_type: 'bearer'
  expires_in: number
}

export type VerifyResult = { ok: true; user: UserRecord; claims: AccessTokenClaims } | { ok: false; reason: string }

export interface AccessTokenClaims {
  sub: string
  jti: string
  iat: number
  exp: number
  iss: string
  instanceUrl: string
  region: string
  principal: {
    id: string
    username: string
    role: string
    status: string
    account: { id: string; name: string }
    permission: {
      id: string
      workspaceId: string
      workspaceName: string
      role: UserRole
      status: string
      customerRoles: null
    }
  }
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')

// One RSA key pair per process: generating one costs far more than a test wants to wait.
let processKeyPair: { privateKey: KeyObject; publicKey: KeyObject } | undefined
function signingKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
  processKeyPair ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
  return processKeyPair
}

export class TokenService {
  readonly lifetimeSeconds: number
  private readonly store: WorkspaceStore
  private readonly instanceUrl: () => string
  private readonly privateKey: KeyObject
  private readonly publicKey: KeyObject
  readonly keyId: string
  private readonly apiTokens = new Map<string, ApiTokenEntry>()
  /** jti -> user id, for every access token issued and not revoked */
  private readonly issued = new Map<string, string>()
  private readonly verified = new Map<string, AccessTokenClaims>()

  constructor(options: { store: WorkspaceStore; instanceUrl: () => string; lifetimeSeconds: number }) {
    this.store = options.store
    this.instanceUrl = options.instanceUrl
    this.lifetimeSeconds = options.lifetimeSeconds
    const { privateKey, publicKey } = signingKeys()
    this.privateKey = privateKey
    this.keyId = createHash('sha256')
      .update(publicKey.export({ format: 'der', type: 'spki' }))
      .digest('base64url')
      .slice(0, 16)
    this.publicKey = publicKey
  }

  addTechnicalUser(spec: TechnicalUserSpec): { user: UserRecord; apiToken: string } {
    const user: UserRecord = {
      id: spec.id ?? this.store.newId(),
      userName: spec.userName,
      email: `${spec.userName}@technical-user.local`,
      firstName: null,
      lastName: null,
      technicalUser: true,
      role: spec.role,
      status: 'ACTIVE',
    }
    this.store.putUser(user)
    const apiToken = spec.apiToken ?? randomBytes(30).toString('base64url')
    this.apiTokens.set(apiToken, { userId: user.id, expiresAt: spec.expiresAt ?? null })
    return { user, apiToken }
  }

  /** "Replace token" in the admin area: the old API token stops working at once. */
  replaceApiToken(userId: string): string {
    for (const [token, entry] of this.apiTokens) if (entry.userId === userId) this.apiTokens.delete(token)
    const apiToken = randomBytes(30).toString('base64url')
    this.apiTokens.set(apiToken, { userId, expiresAt: null })
    return apiToken
  }

  /** Makes every access token issued so far (for one user, or all) answer 401; clients must re-authenticate. */
  revokeAccessTokens(userId?: string): number {
    let revoked = 0
    for (const [jti, owner] of this.issued) {
      if (userId === undefined || owner === userId) {
        this.issued.delete(jti)
        revoked++
      }
    }
    this.verified.clear()
    return revoked
  }

  /** The API token exchange; null when the token is unknown, expired or its user is gone (HTTP 401). */
  exchange(apiToken: string): TokenResponse | null {
    const entry = this.apiTokens.get(apiToken)
    if (entry === undefined) return null
    const now = this.store.now()
    if (entry.expiresAt !== null && entry.expiresAt <= now) return null
    const user = this.store.users.get(entry.userId)
    if (user === undefined || user.status !== 'ACTIVE') return null
    const iat = Math.floor(now.getTime() / 1000)
    const jti = randomUUID()
    const { identity } = this.store
    const claims: AccessTokenClaims = {
      sub: user.id,
      jti,
      iat,
      exp: iat + this.lifetimeSeconds,
      iss: this.instanceUrl(),
      instanceUrl: this.instanceUrl(),
      region: 'local',
      principal: {
        id: user.id,
        username: user.userName,
        role: 'ACCOUNTUSER',
        status: 'ACTIVE',
        account: { id: identity.accountId, name: identity.accountName },
        permission: {
          id: `${user.id.slice(0, 8)}-perm`,
          workspaceId: identity.id,
          workspaceName: identity.name,
          role: user.role,
          status: 'ACTIVE',
          customerRoles: null,
        },
      },
    }
    this.issued.set(jti, user.id)
    return {
      scope: '',
      expired: false,
      access_token: this.signJwt(claims),
      token_type: 'bearer',
      // LeanIX answers one second short of the lifetime (3599 for 3600, docs/reference/leanix.md §0)
      expires_in: this.lifetimeSeconds - 1,
    }
  }

  verifyAccessToken(token: string): VerifyResult {
    let claims = this.verified.get(token)
    if (claims === undefined) {
      const parsed = this.parseAndCheckSignature(token)
      if (parsed === null) return { ok: false, reason: 'invalid token' }
      claims = parsed
    }
    if (!this.issued.has(claims.jti)) return { ok: false, reason: 'token revoked' }
    if (claims.exp * 1000 <= this.store.now().getTime()) return { ok: false, reason: 'token expired' }
    const user = this.store.users.get(claims.sub)
    if (user === undefined || user.status !== 'ACTIVE') return { ok: false, reason: 'user inactive' }
    if (this.verified.size > 10_000) this.verified.clear()
    this.verified.set(token, claims)
    return { ok: true, user, claims }
  }

  /** The signing key as a JWKS, for clients that verify tokens. */
  jwks(): { keys: object[] } {
    const jwk = this.publicKey.export({ format: 'jwk' })
    return { keys: [{ ...jwk, kid: this.keyId, alg: 'RS256', use: 'sig' }] }
  }

  private signJwt(claims: AccessTokenClaims): string {
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.keyId }))
    const payload = b64url(JSON.stringify(claims))
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.privateKey)
    return `${header}.${payload}.${b64url(signature)}`
  }

  private parseAndCheckSignature(token: string): AccessTokenClaims | null {
    const parts = token.split('.')
    if (parts.length !== 3) return null
    const [header, payload, signature] = parts as [string, string, string]
    const ok = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      this.publicKey,
      Buffer.from(signature, 'base64url'),
    )
    if (!ok) return null
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims
    } catch {
      return null
    }
  }
}

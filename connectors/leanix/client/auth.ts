// MTM authentication: the technical user's API token is exchanged for a JWT at
// /services/mtm/v1/oauth2/token (Basic apitoken:<token>, grant_type=client_credentials). The JWT
// lives one hour and there is no refresh token, so it is cached and renewed before `exp`, by one
// exchange however many calls wait for it, and once more when a service answers 401.
import { LeanixErrors } from '../errors.ts'
import { parseJson, type Authorizer, type LeanixTransport } from './transport.ts'

export const TOKEN_PATH = '/services/mtm/v1/oauth2/token'

/** The claims of the LeanIX JWT the connector relies on. */
export interface TokenClaims {
  exp?: number
  /** the technical user's id: webhook events it causes carry it as userId */
  userId?: string
  username?: string
  workspaceId?: string
  workspaceName?: string
  instanceUrl?: string
  role?: string
}

interface CachedToken {
  accessToken: string
  header: string
  /** epoch ms after which the token must not be used */
  expiresAt: number
  /** epoch ms from which a new one is fetched */
  renewAt: number
  claims: TokenClaims
}

export interface MtmTokenProviderOptions {
  transport: LeanixTransport
  apiToken: string
  /** renew this long before expiry (LeanIX's Java SDK uses 60 s) */
  renewBeforeMs?: number
  now?: () => number
}

export class MtmTokenProvider implements Authorizer {
  readonly #options: MtmTokenProviderOptions
  #cached: CachedToken | undefined
  #pending: Promise<CachedToken> | undefined
  #exchanges = 0

  constructor(options: MtmTokenProviderOptions) {
    this.#options = options
  }

  /** token exchanges made so far */
  get exchanges(): number {
    return this.#exchanges
  }

  async header(signal?: AbortSignal): Promise<string> {
    return (await this.#current(signal)).header
  }

  async claims(signal?: AbortSignal): Promise<TokenClaims> {
    return (await this.#current(signal)).claims
  }

  rejected(header: string): void {
    if (this.#cached?.header === header) this.#cached = undefined
  }

  #current(signal?: AbortSignal): Promise<CachedToken> {
    const now = (this.#options.now ?? Date.now)()
    if (this.#cached && now < this.#cached.renewAt) return Promise.resolve(this.#cached)
    this.#pending ??= this.#exchange(signal).finally(() => {
      this.#pending = undefined
    })
    return this.#pending
  }

  async #exchange(signal?: AbortSignal): Promise<CachedToken> {
    this.#exchanges++
    const res = await this.#options.transport.send({
      method: 'POST',
      path: TOKEN_PATH,
      headers: {
        authorization: `Basic ${Buffer.from(`apitoken:${this.#options.apiToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      idempotent: true,
      rateLimited: false,
      label: 'MTM token exchange',
      signal,
    })
    if (res.status === 400 || res.status === 401 || res.status === 403) throw new LeanixErrors.AUTH_REJECTED(res.status)
    if (res.status < 200 || res.status >= 300) {
      throw new LeanixErrors.HTTP_STATUS('MTM token exchange', res.status, res.text.slice(0, 200))
    }
    const body = parseJson(res, 'MTM token exchange') as { access_token?: unknown; expires_in?: unknown }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new LeanixErrors.AUTH_RESPONSE_INVALID(res.text.slice(0, 200))
    }
    const now = (this.#options.now ?? Date.now)()
    const claims = decodeClaims(body.access_token)
    const byExpiresIn = typeof body.expires_in === 'number' ? now + body.expires_in * 1000 : Infinity
    const byExp = claims.exp !== undefined ? claims.exp * 1000 : Infinity
    const expiresAt = Math.min(byExpiresIn, byExp, now + 3600_000)
    const lifetime = expiresAt - now
    const renewAt = expiresAt - Math.min(this.#options.renewBeforeMs ?? 60_000, lifetime / 2)
    const cached = { accessToken: body.access_token, header: `Bearer ${body.access_token}`, expiresAt, renewAt, claims }
    this.#cached = cached
    return cached
  }
}

/** Reads the claims of a LeanIX JWT without verifying it (the server verifies; we only route). */
export function decodeClaims(jwt: string): TokenClaims {
  const payload = jwt.split('.')[1]
  if (!payload) return {}
  let raw: Record<string, unknown>
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    return {}
  }
  const principal = asRecord(raw.principal)
  const permission = asRecord(principal.permission)
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
  return {
    exp: typeof raw.exp === 'number' ? raw.exp : undefined,
    userId: str(principal.id) ?? str(raw.sub),
    username: str(principal.username),
    role: str(permission.role) ?? str(principal.role),
    workspaceId: str(permission.workspaceId),
    workspaceName: str(permission.workspaceName),
    instanceUrl: str(raw.instanceUrl),
  }
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {}
}

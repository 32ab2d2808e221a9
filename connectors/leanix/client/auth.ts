// MTM authentication: the technical user's API token is exchanged for a JWT at
// /services/mtm/v1/oauth2/token (Basic apitoken:<token>, grant_type=client_credentials). The JWT
// lives one hour and there is no refresh token. It is kept in the shared token cache
// (core/http/credentials.ts): one exchange however many calls wait for it, renewed before `exp`,
// and once more when a service answers 401. The claims it carries come along with it.
import { TokenCache, type Credentials, type IssuedToken } from '../../../core/http/credentials.ts'
import { LeanixErrors } from '../errors.ts'
import { parseJson, type LeanixTransport } from './transport.ts'

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

interface MtmToken extends IssuedToken {
  claims: TokenClaims
}

export interface MtmTokenProviderOptions {
  transport: LeanixTransport
  apiToken: string
  /** renew this long before expiry (LeanIX's Java SDK uses 60 s) */
  renewBeforeMs?: number
  now?: () => number
}

export class MtmTokenProvider implements Credentials {
  readonly #options: MtmTokenProviderOptions
  readonly #cache: TokenCache<MtmToken>
  #exchanges = 0

  constructor(options: MtmTokenProviderOptions) {
    this.#options = options
    this.#cache = new TokenCache({
      obtain: () => this.#exchange(),
      ...(options.renewBeforeMs !== undefined ? { renewBeforeMs: options.renewBeforeMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    })
  }

  /** token exchanges made so far */
  get exchanges(): number {
    return this.#exchanges
  }

  authorization(signal?: AbortSignal): Promise<string> {
    return this.#cache.authorization(signal)
  }

  renewAfterUnauthorized(used: string | undefined, signal?: AbortSignal): Promise<boolean> {
    return this.#cache.renewAfterUnauthorized(used, signal)
  }

  async claims(signal?: AbortSignal): Promise<TokenClaims> {
    return (await this.#cache.current(signal)).claims
  }

  async #exchange(): Promise<MtmToken> {
    this.#exchanges++
    const res = await this.#options.transport.send({
      method: 'POST',
      path: TOKEN_PATH,
      headers: {
        authorization: `Basic ${Buffer.from(`apitoken:${this.#options.apiToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      // asking twice for a token is harmless
      idempotent: true,
      rateLimited: false,
      label: 'MTM token exchange',
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
    return { value: body.access_token, expiresAt: Math.min(byExpiresIn, byExp, now + 3600_000), claims }
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

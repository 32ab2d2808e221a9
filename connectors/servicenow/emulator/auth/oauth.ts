// OAuth 2.0 at POST /oauth_token.do (docs/reference/servicenow.md §2): form-encoded only; grant types password,
// refresh_token and client_credentials; access tokens expire (default 1800 s), refresh tokens
// last 100 days; every failure is 401 {"error_description":"access_denied","error":"server_error"}.
import { randomBytes } from 'node:crypto'
import type { UserAccount, UserDirectory } from './users.ts'

export interface OAuthClient {
  clientId: string
  clientSecret: string
  /** seconds; the platform default is 1800 */
  accessTokenLifespan?: number
  /** seconds; the platform default is 8 640 000 (100 days) */
  refreshTokenLifespan?: number
  /** user the client_credentials grant acts as ("OAuth Application User"); without it the grant fails */
  clientCredentialsUser?: string
}

interface Token {
  userName: string
  clientId: string
  expiresAt: number
  scope: string
}

export interface TokenResponse {
  access_token: string
  refresh_token?: string
  scope: string
  token_type: 'Bearer'
  expires_in: number
}

export const OAUTH_FAILURE = { error_description: 'access_denied', error: 'server_error' } as const

const newToken = (): string => randomBytes(64).toString('base64url').slice(0, 86)

export class OAuthServer {
  private readonly clients = new Map<string, OAuthClient>()
  private readonly accessTokens = new Map<string, Token>()
  private readonly refreshTokens = new Map<string, Token>()
  private readonly users: UserDirectory
  private readonly now: () => number
  /** glide.oauth.inbound.client.credential.grant_type.enabled */
  clientCredentialsEnabled = true

  constructor(users: UserDirectory, now: () => number) {
    this.users = users
    this.now = now
  }

  addClient(client: OAuthClient): void {
    this.clients.set(client.clientId, client)
  }

  /** the registered clients, secrets left out */
  listClients(): Array<Omit<OAuthClient, 'clientSecret'>> {
    return [...this.clients.values()].map(({ clientSecret: _secret, ...rest }) => rest)
  }

  /** answers a token request; undefined means the 401 failure body */
  grant(form: URLSearchParams): TokenResponse | undefined {
    const client = this.clients.get(form.get('client_id') ?? '')
    if (!client || client.clientSecret !== form.get('client_secret')) return undefined
    const scope = form.get('scope') || 'useraccount'
    switch (form.get('grant_type')) {
      case 'password': {
        const user = this.users.verify(form.get('username') ?? '', form.get('password') ?? '')
        return user ? this.issue(client, user.userName, scope, true) : undefined
      }
      case 'refresh_token': {
        const token = form.get('refresh_token') ?? ''
        const stored = this.refreshTokens.get(token)
        if (!stored || stored.clientId !== client.clientId || stored.expiresAt <= this.now()) return undefined
        if (!this.users.get(stored.userName)?.active) return undefined
        // new access token only; the refresh token is reused until it expires
        const response = this.issue(client, stored.userName, stored.scope, false)
        return { ...response, refresh_token: token }
      }
      case 'client_credentials': {
        if (!this.clientCredentialsEnabled || !client.clientCredentialsUser) return undefined
        if (!this.users.get(client.clientCredentialsUser)?.active) return undefined
        return this.issue(client, client.clientCredentialsUser, scope, false)
      }
      default:
        return undefined
    }
  }

  /** the user a bearer token stands for; undefined when unknown or expired */
  authenticate(accessToken: string): UserAccount | undefined {
    const token = this.accessTokens.get(accessToken)
    if (!token) return undefined
    if (token.expiresAt <= this.now()) {
      this.accessTokens.delete(accessToken)
      return undefined
    }
    const user = this.users.get(token.userName)
    return user?.active && !user.lockedOut ? user : undefined
  }

  /** test hook: make every access token expire now */
  expireAccessTokens(): void {
    for (const t of this.accessTokens.values()) t.expiresAt = 0
  }

  private issue(client: OAuthClient, userName: string, scope: string, withRefresh: boolean): TokenResponse {
    const lifespan = client.accessTokenLifespan ?? 1800
    const access = newToken()
    this.accessTokens.set(access, {
      userName,
      clientId: client.clientId,
      expiresAt: this.now() + lifespan * 1000,
      scope,
    })
    const response: TokenResponse = { access_token: access, scope, token_type: 'Bearer', expires_in: lifespan - 1 }
    if (withRefresh) {
      const refresh = newToken()
      const refreshLifespan = client.refreshTokenLifespan ?? 8_640_000
      this.refreshTokens.set(refresh, {
        userName,
        clientId: client.clientId,
        expiresAt: this.now() + refreshLifespan * 1000,
        scope,
      })
      response.refresh_token = refresh
    }
    return response
  }
}

// Credentials on each request: Basic, or an OAuth 2.0 bearer token from /oauth_token.do
// (password, client_credentials or refresh_token grant, form-encoded as ServiceNow requires).
// Tokens are renewed once for everybody (single flight) a minute before they expire, and once
// more when ServiceNow answers 401 to a token it had accepted.
import { ServiceNowErrors, withInfo } from '../errors.ts'
import { TOKEN_RENEW_MARGIN_MS } from './options.ts'
import type { AuthOptions, OAuthGrant } from './options.ts'

export interface Authenticator {
  /** value of the Authorization header for the next request */
  authorization(): Promise<string>
  /**
   * A request sent with `used` was answered 401. Returns true when a different credential is now
   * available (worth one more try), false when there is nothing new to try.
   */
  renewAfterUnauthorized(used: string): Promise<boolean>
}

/** Posts a form to /oauth_token.do; supplied by the transport (egress, timeouts, retries, no auth). */
export type TokenEndpoint = (form: Record<string, string>) => Promise<{ status: number; body: unknown }>

export class BasicAuthenticator implements Authenticator {
  readonly #header: string

  constructor(username: string, password: string) {
    this.#header = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
  }

  authorization(): Promise<string> {
    return Promise.resolve(this.#header)
  }

  renewAfterUnauthorized(): Promise<boolean> {
    return Promise.resolve(false)
  }
}

interface Token {
  access: string
  /** when to stop using it: a minute before it expires (half its life for short-lived tokens) */
  renewAt: number
}

type OAuthOptions = Extract<AuthOptions, { kind: 'oauth' }>

export class OAuthAuthenticator implements Authenticator {
  readonly #options: OAuthOptions
  readonly #endpoint: TokenEndpoint
  readonly #now: () => number
  #token: Token | undefined
  #refreshToken: string | undefined
  #inflight: Promise<Token> | undefined
  /** how many tokens were obtained, for tests and metrics */
  issued = 0

  constructor(options: OAuthOptions, endpoint: TokenEndpoint, now: () => number = Date.now) {
    this.#options = options
    this.#endpoint = endpoint
    this.#now = now
    this.#refreshToken = options.refreshToken
    if (options.grant === 'password' && (!options.username || !options.password)) {
      throw new ServiceNowErrors.CONFIG_INVALID('the OAuth password grant needs a username and a password')
    }
    if (options.grant === 'refresh_token' && !options.refreshToken) {
      throw new ServiceNowErrors.CONFIG_INVALID('the OAuth refresh_token grant needs a refresh token')
    }
  }

  async authorization(): Promise<string> {
    const token = this.#token
    if (token && this.#now() < token.renewAt) return `Bearer ${token.access}`
    return `Bearer ${(await this.#renew()).access}`
  }

  async renewAfterUnauthorized(used: string): Promise<boolean> {
    // Another request may already have renewed the token this one was sent with.
    if (this.#token && `Bearer ${this.#token.access}` !== used) return true
    this.#token = undefined
    await this.#renew()
    return true
  }

  #renew(): Promise<Token> {
    this.#inflight ??= this.#obtain().finally(() => {
      this.#inflight = undefined
    })
    return this.#inflight
  }

  async #obtain(): Promise<Token> {
    const { clientId, clientSecret } = this.#options
    if (this.#refreshToken) {
      try {
        return await this.#grant('refresh_token', {
          client_id: clientId,
          client_secret: clientSecret,
          refresh_token: this.#refreshToken,
        })
      } catch (error) {
        // a password grant can start over when its refresh token has expired or was revoked
        if (this.#options.grant !== 'password') throw error
        this.#refreshToken = undefined
      }
    }
    const scope: Record<string, string> = this.#options.scope ? { scope: this.#options.scope } : {}
    if (this.#options.grant === 'password') {
      return this.#grant('password', {
        client_id: clientId,
        client_secret: clientSecret,
        username: this.#options.username ?? '',
        password: this.#options.password ?? '',
        ...scope,
      })
    }
    if (this.#options.grant === 'client_credentials') {
      return this.#grant('client_credentials', { client_id: clientId, client_secret: clientSecret, ...scope })
    }
    throw new ServiceNowErrors.OAUTH_FAILED(
      'refresh_token',
      'the refresh token was rejected or is missing; issue a new one',
    )
  }

  async #grant(grant: OAuthGrant, form: Record<string, string>): Promise<Token> {
    const { status, body } = await this.#endpoint({ grant_type: grant, ...form })
    const answer = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
    if (status !== 200 || typeof answer.access_token !== 'string' || answer.access_token === '') {
      const said = [answer.error, answer.error_description].filter((v) => typeof v === 'string').join(': ')
      throw withInfo(new ServiceNowErrors.OAUTH_FAILED(grant, said || `HTTP ${status}`), {
        httpStatus: status,
        retryable: false,
        ...(typeof answer.error_description === 'string' ? { snMessage: answer.error_description } : {}),
      })
    }
    const expiresIn = Number(answer.expires_in)
    if (typeof answer.refresh_token === 'string' && answer.refresh_token !== '') {
      this.#refreshToken = answer.refresh_token
    }
    // ServiceNow's default lifetime is 1800 s; assume it when the answer omits expires_in
    const lifetimeMs = (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 1800) * 1000
    const token = {
      access: answer.access_token,
      renewAt: this.#now() + lifetimeMs - Math.min(TOKEN_RENEW_MARGIN_MS, lifetimeMs / 2),
    }
    this.#token = token
    this.issued++
    return token
  }
}

export function createAuthenticator(
  options: AuthOptions,
  endpoint: TokenEndpoint,
  clock: () => number = Date.now,
): Authenticator {
  if (options.kind === 'basic') return new BasicAuthenticator(options.username, options.password)
  return new OAuthAuthenticator(options, endpoint, clock)
}

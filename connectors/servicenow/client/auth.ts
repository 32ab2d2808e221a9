// Credentials on each request: Basic, or an OAuth 2.0 bearer token from /oauth_token.do
// (password, client_credentials or refresh_token grant, form-encoded as ServiceNow requires),
// kept in the shared token cache (core/http/credentials.ts): obtained once for everybody,
// renewed a minute before it expires, and once more when ServiceNow answers 401 to a token it
// had accepted. What is ServiceNow's own is here: the grants, and the refresh token a password
// grant gets, used first and dropped when the instance refuses it.
import { TokenCache, basicCredentials } from '../../../core/http/credentials.ts'
import type { Credentials, IssuedToken } from '../../../core/http/credentials.ts'
import { ServiceNowErrors, withInfo } from '../errors.ts'
import { TOKEN_RENEW_MARGIN_MS } from './options.ts'
import type { AuthOptions, OAuthGrant } from './options.ts'

/** Posts a form to /oauth_token.do; supplied by the transport (egress, timeouts, retries, no auth). */
export type TokenEndpoint = (form: Record<string, string>) => Promise<{ status: number; body: unknown }>

type OAuthOptions = Extract<AuthOptions, { kind: 'oauth' }>

/** ServiceNow's default access token lifetime, assumed when an answer omits expires_in */
const DEFAULT_LIFETIME_S = 1800

export function createCredentials(options: AuthOptions, endpoint: TokenEndpoint, now: () => number): Credentials {
  if (options.kind === 'basic') return basicCredentials(options.username, options.password)
  if (options.grant === 'password' && (!options.username || !options.password)) {
    throw new ServiceNowErrors.CONFIG_INVALID('the OAuth password grant needs a username and a password')
  }
  if (options.grant === 'refresh_token' && !options.refreshToken) {
    throw new ServiceNowErrors.CONFIG_INVALID('the OAuth refresh_token grant needs a refresh token')
  }
  const grants = new OAuthGrants(options, endpoint, now)
  return new TokenCache({ obtain: () => grants.obtain(), renewBeforeMs: TOKEN_RENEW_MARGIN_MS, now })
}

class OAuthGrants {
  readonly #options: OAuthOptions
  readonly #endpoint: TokenEndpoint
  readonly #now: () => number
  #refreshToken: string | undefined

  constructor(options: OAuthOptions, endpoint: TokenEndpoint, now: () => number) {
    this.#options = options
    this.#endpoint = endpoint
    this.#now = now
    this.#refreshToken = options.refreshToken
  }

  async obtain(): Promise<IssuedToken> {
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

  async #grant(grant: OAuthGrant, form: Record<string, string>): Promise<IssuedToken> {
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
    if (typeof answer.refresh_token === 'string' && answer.refresh_token !== '') {
      this.#refreshToken = answer.refresh_token
    }
    const expiresIn = Number(answer.expires_in)
    const lifetimeS = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_LIFETIME_S
    return { value: answer.access_token, expiresAt: this.#now() + lifetimeS * 1000 }
  }
}

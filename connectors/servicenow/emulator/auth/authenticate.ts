// Who is calling: Basic credentials or an OAuth bearer token, else nobody (401).
import type { OAuthServer } from './oauth.ts'
import type { UserAccount, UserDirectory } from './users.ts'

export function authenticate(
  authorization: string | undefined,
  users: UserDirectory,
  oauth: OAuthServer,
): UserAccount | undefined {
  if (!authorization) return undefined
  const space = authorization.indexOf(' ')
  if (space < 0) return undefined
  const scheme = authorization.slice(0, space).toLowerCase()
  const credentials = authorization.slice(space + 1).trim()
  if (scheme === 'bearer') return oauth.authenticate(credentials)
  if (scheme !== 'basic') return undefined
  const decoded = Buffer.from(credentials, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return users.verify(decoded.slice(0, colon), decoded.slice(colon + 1))
}

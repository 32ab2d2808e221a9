// The scopes the tokens of an API client carry, after SailPoint's names for the service desk
// integration API (the spec's `idn:service-desk-integration:read` and `:manage`). They say what
// the client's role allows on the IdentityNow-compatible API, the only API these tokens open.
import type { Role } from '../../../core/auth/roles.ts'

export const READ_SCOPE = 'idn:service-desk-integration:read'
export const MANAGE_SCOPE = 'idn:service-desk-integration:manage'

/** viewer and operator read; admin also creates, changes and deletes integrations. */
export function scopesOf(role: Role): string[] {
  return role === 'admin' ? [READ_SCOPE, MANAGE_SCOPE] : [READ_SCOPE]
}

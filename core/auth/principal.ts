// Who is calling: attached to every authenticated request as `request.principal`.
import type { Role } from './roles.ts'

export interface Principal {
  /** the hub token's id, or the id of the credential another verifier accepted (an OAuth client id) */
  tokenId: string
  /** human name of the token or client, shown in the audit log */
  name: string
  role: Role
  /** HUB_TOKEN for the hub's bearer tokens; other verifiers name their own kind */
  kind: string
}

/** The kind of principal a hub bearer token (POST /api/v1/tokens) stands for: the only kind a route accepts unless it says otherwise. */
export const HUB_TOKEN = 'token'

/** Given the bearer credential, a principal when this verifier accepts it, undefined otherwise. */
export type Verifier = (bearer: string) => Promise<Principal | undefined>

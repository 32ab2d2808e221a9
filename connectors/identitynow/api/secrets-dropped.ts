// How the IdentityNow-compatible API says that a change dropped stored secrets (a URL attribute
// moved to another origin and they were not sent again): SailPoint's DTO has no field for it,
// so it goes in a header, like the hub's error code (X-Crosswalk-Error-Code).
import type { FastifyReply } from 'fastify'
import type { ReplaceOutcome } from '../integrations/repository.ts'

export const SECRETS_DROPPED_HEADER = 'x-crosswalk-secrets-dropped'

export function announceDroppedSecrets(reply: FastifyReply, outcome: ReplaceOutcome): void {
  if (outcome.secretsDropped.length > 0) void reply.header(SECRETS_DROPPED_HEADER, outcome.secretsDropped.join(', '))
}

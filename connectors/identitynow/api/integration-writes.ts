// How the IdentityNow-compatible routes write an integration: in one transaction with the
// request's audit entry (when the hub keeps an audit log), saying when a change dropped stored
// secrets (a URL attribute moved to another origin and they were not sent again). SailPoint's
// DTO has no field for that, so it goes in a header, like the hub's error code
// (X-Crosswalk-Error-Code).
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ServiceDeskIntegrationDto } from '../integrations/model.ts'
import type { IntegrationChange, IntegrationRepository, IntegrationWriteOptions } from '../integrations/repository.ts'

export const SECRETS_DROPPED_HEADER = 'x-crosswalk-secrets-dropped'

/** The request's audit entry, written in the transaction of its change. */
export function auditedWrite(request: FastifyRequest): IntegrationWriteOptions {
  const { server } = request
  return server.hasDecorator('audit') ? { audit: server.audit.inTransaction(request) } : {}
}

/** Replaces integration `id` for a request; the answer's header names the secrets dropped. */
export async function replaceIntegration(
  integrations: IntegrationRepository,
  id: string,
  change: IntegrationChange,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<ServiceDeskIntegrationDto> {
  const { integration, secretsDropped } = await integrations.replace(id, change, auditedWrite(request))
  if (secretsDropped.length > 0) void reply.header(SECRETS_DROPPED_HEADER, secretsDropped.join(', '))
  return integration
}

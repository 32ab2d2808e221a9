// The IdentityNow-compatible configuration API as one encapsulated Fastify plugin: the service
// desk resource on every path family real tools use, the SIM endpoints, SailPoint's error shape
// and bearer checks, none of which leak into the rest of the hub.
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../../core/store/db.ts'
import type { IntegrationRepository } from '../integrations/repository.ts'
import { requireCaller, type BearerVerifier } from './access.ts'
import { useSailPointErrors } from './error-shape.ts'
import { serviceDeskRoutes } from './service-desk-routes.ts'
import { simRoutes } from './sim-routes.ts'

/** Versioned families that carry `/service-desk-integrations`: https://github.com/sailpoint-oss/api-specs/blob/main/idn/v3/paths, /beta, /v2024.. */
export const VERSIONED_FAMILIES = ['/v3', '/beta', '/v2024', '/v2025', '/v2026'] as const
export const SIM_FAMILIES = ['/beta', '/v2024', '/v2025', '/v2026'] as const

export interface CompatibleApiOptions {
  db: Db
  integrations: IntegrationRepository
  /** checks bearer tokens here when the hub's auth plugin is absent; undefined when the hub checks them */
  verifiers: (() => BearerVerifier[]) | undefined
}

export default async function compatibleApi(scope: FastifyInstance, options: CompatibleApiOptions): Promise<void> {
  useSailPointErrors(scope)
  if (options.verifiers) requireCaller(scope, options.verifiers)
  scope.addContentTypeParser(
    'application/json-patch+json',
    { parseAs: 'string' },
    scope.getDefaultJsonParser('error', 'ignore'),
  )
  const { db, integrations } = options
  const tag = 'IdentityNow: Service Desk Integration'
  for (const family of VERSIONED_FAMILIES) {
    serviceDeskRoutes(scope, { base: `${family}/service-desk-integrations`, integrations, db, tag })
  }
  serviceDeskRoutes(scope, { base: '/service-desk-integrations/v1', integrations, db, tag })
  const simTag = 'IdentityNow: SIM Integrations'
  for (const family of SIM_FAMILIES) simRoutes(scope, { base: `${family}/sim-integrations`, integrations, tag: simTag })
  simRoutes(scope, { base: '/sim-integrations/v1', integrations, tag: simTag })
}

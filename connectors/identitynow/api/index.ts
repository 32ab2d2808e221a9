// The IdentityNow-compatible configuration API as one encapsulated Fastify plugin: the service
// desk resource on every path family real tools use, the SIM endpoints and SailPoint's error
// shape, none of which leak into the rest of the hub. Callers are checked by the hub's auth like
// on every route (the role each route declares); here, and only here, the tokens of IdentityNow
// API clients (POST /oauth/token) are accepted besides the hub's own.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Db } from '../../../core/store/db.ts'
import { HUB_TOKEN } from '../../../core/auth/principal.ts'
import type { IntegrationRepository } from '../integrations/repository.ts'
import { API_CLIENT_PRINCIPAL } from '../oauth/jwt.ts'
import { useSailPointErrors } from './error-shape.ts'
import { serviceDeskRoutes } from './service-desk-routes.ts'
import { simRoutes } from './sim-routes.ts'

/** 'V3', 'Beta', 'V2024', 'V1': a route's path family, as SailPoint suffixes its operation ids. */
export function familySuffix(url: string): string {
  const family = url.split('/').find((segment) => /^(v\d+|beta)$/.test(segment)) ?? ''
  return family.charAt(0).toUpperCase() + family.slice(1)
}

/** Versioned families that carry `/service-desk-integrations`: https://github.com/sailpoint-oss/api-specs/blob/main/idn/v3/paths, /beta, /v2024.. */
export const VERSIONED_FAMILIES = ['/v3', '/beta', '/v2024', '/v2025', '/v2026'] as const
export const SIM_FAMILIES = ['/beta', '/v2024', '/v2025', '/v2026'] as const

export interface CompatibleApiOptions {
  db: Db
  integrations: IntegrationRepository
}

const compatibleApi: FastifyPluginAsyncTypebox<CompatibleApiOptions> = async (scope, options) => {
  useSailPointErrors(scope)
  scope.addHook('onRoute', (route) => {
    // SailPoint's rules here: unknown members are accepted and not kept
    route.config = { ...(route.config ?? {}), accepts: [HUB_TOKEN, API_CLIENT_PRINCIPAL], ignoreUnknownMembers: true }
  })
  scope.addContentTypeParser(
    'application/json-patch+json',
    { parseAs: 'string' },
    scope.getDefaultJsonParser('error', 'ignore'),
  )
  // these routes make the IdentityNow-compatible API's own OpenAPI document, not the admin API's;
  // one operation is served on several path families, each named with the family's suffix
  scope.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), openapiDocument: 'identitynow' }
    if (route.schema?.operationId) {
      route.schema = { ...route.schema, operationId: `${route.schema.operationId}${familySuffix(route.url)}` }
    }
  })
  const { db, integrations } = options
  const tag = 'IdentityNow: Service Desk Integration'
  for (const family of VERSIONED_FAMILIES) {
    await scope.register(serviceDeskRoutes, { prefix: `${family}/service-desk-integrations`, integrations, db, tag })
  }
  await scope.register(serviceDeskRoutes, { prefix: '/service-desk-integrations/v1', integrations, db, tag })
  const simTag = 'IdentityNow: SIM Integrations'
  for (const family of SIM_FAMILIES) {
    await scope.register(simRoutes, { prefix: `${family}/sim-integrations`, integrations, tag: simTag })
  }
  await scope.register(simRoutes, { prefix: '/sim-integrations/v1', integrations, tag: simTag })
}

export default compatibleApi

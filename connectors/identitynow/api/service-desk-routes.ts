// The service desk integration resource, mounted once per path family (/v3, /beta, /v202x,
// /service-desk-integrations/v1). Static routes (types, templates, status-check-configuration)
// are matched before /{id} by Fastify's router.
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../../core/store/db.ts'
import { IdnErrors } from '../errors.ts'
import type { ServiceDeskIntegrationInput } from '../integrations/model.ts'
import type { IntegrationRepository } from '../integrations/repository.ts'
import { readStatusCheck, validateStatusCheck, writeStatusCheck } from '../integrations/status-check.ts'
import { parseFilters, parseSorters } from './collection-params.ts'
import { applyReplacePatch } from './json-patch.ts'
import {
  IdParams,
  JsonPatchBody,
  ListQuery,
  ScriptNameParams,
  ServiceDeskIntegrationBody,
  StatusCheckBody,
  type JsonPatchBodyType,
  type ListQueryType,
} from './schemas.ts'
import { INTEGRATION_TYPES, integrationTemplate } from './service-desk-types.ts'

export interface ServiceDeskRouteOptions {
  base: string
  integrations: IntegrationRepository
  db: Db
  tag: string
}

export function serviceDeskRoutes(scope: FastifyInstance, options: ServiceDeskRouteOptions): void {
  const { base, integrations, db, tag } = options
  const read = { role: 'viewer' as const }
  const manage = { role: 'admin' as const }
  // SailPoint's own OpenAPI files describe these routes; the hub's document leaves them out
  const tags = [tag]
  const hide = true

  scope.get(base, { config: read, schema: { hide, tags, querystring: ListQuery } }, async (request, reply) => {
    const query = request.query as ListQueryType
    const { items, total } = await integrations.list({
      offset: query.offset,
      limit: query.limit,
      filters: parseFilters(query.filters),
      sorters: parseSorters(query.sorters),
    })
    if (query.count) void reply.header('x-total-count', String(total))
    return items
  })

  scope.post(base, { config: manage, schema: { hide, tags, body: ServiceDeskIntegrationBody } }, async (request) =>
    integrations.create(request.body as ServiceDeskIntegrationInput),
  )

  scope.get(`${base}/types`, { config: read, schema: { hide, tags } }, async () => INTEGRATION_TYPES)

  scope.get(
    `${base}/templates/:scriptName`,
    { config: read, schema: { hide, tags, params: ScriptNameParams } },
    async (request) => {
      const { scriptName } = request.params as { scriptName: string }
      const template = integrationTemplate(scriptName)
      if (!template) throw new IdnErrors.TEMPLATE_NOT_FOUND(scriptName)
      return template
    },
  )

  scope.get(`${base}/status-check-configuration`, { config: read, schema: { hide, tags } }, async () =>
    readStatusCheck(db),
  )

  scope.put(
    `${base}/status-check-configuration`,
    { config: manage, schema: { hide, tags, body: StatusCheckBody } },
    async (request) => writeStatusCheck(db, validateStatusCheck(request.body as Record<string, unknown>)),
  )

  scope.get(`${base}/:id`, { config: read, schema: { hide, tags, params: IdParams } }, async (request) =>
    integrations.get((request.params as { id: string }).id),
  )

  scope.put(
    `${base}/:id`,
    { config: manage, schema: { hide, tags, params: IdParams, body: ServiceDeskIntegrationBody } },
    async (request) =>
      integrations.replace((request.params as { id: string }).id, request.body as ServiceDeskIntegrationInput),
  )

  scope.patch(
    `${base}/:id`,
    { config: manage, schema: { hide, tags, params: IdParams, body: JsonPatchBody } },
    async (request) => {
      const { id } = request.params as { id: string }
      const current = await integrations.get(id)
      const patched = applyReplacePatch(current, request.body as JsonPatchBodyType)
      return integrations.replace(id, patched)
    },
  )

  scope.delete(`${base}/:id`, { config: manage, schema: { hide, tags, params: IdParams } }, async (request, reply) => {
    await integrations.delete((request.params as { id: string }).id)
    return reply.code(204).send()
  })
}

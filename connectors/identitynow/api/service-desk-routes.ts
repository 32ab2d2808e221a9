// The service desk integration resource, registered once per path family (prefix /v3, /beta,
// /v202x + /service-desk-integrations, or /service-desk-integrations/v1). Static routes (types,
// templates, status-check-configuration) are matched before /{id} by Fastify's router.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Db } from '../../../core/store/db.ts'
import { IdnErrors } from '../errors.ts'
import { ServiceDeskIntegrationDtoSchema } from '../integrations/model.ts'
import type { IntegrationRepository } from '../integrations/repository.ts'
import { readStatusCheck, validateStatusCheck, writeStatusCheck } from '../integrations/status-check.ts'
import { parseFilters, parseSorters } from './collection-params.ts'
import { applyReplacePatch } from './json-patch.ts'
import { auditedWrite, replaceIntegration } from './integration-writes.ts'
import {
  IdParams,
  IntegrationList,
  JsonPatchBody,
  ListQuery,
  NoContent,
  ScriptNameParams,
  ServiceDeskIntegrationBody,
  StatusCheckBody,
  StatusCheckConfigSchema,
  TemplateSchema,
  TemplateTypeSchema,
  sailPointErrors,
} from './schemas.ts'
import { INTEGRATION_TYPES, integrationTemplate } from './service-desk-types.ts'

export interface ServiceDeskRouteOptions {
  integrations: IntegrationRepository
  db: Db
  tag: string
}

const read = { role: 'viewer' as const }
const manage = { role: 'admin' as const }

export const serviceDeskRoutes: FastifyPluginAsyncTypebox<ServiceDeskRouteOptions> = async (scope, options) => {
  const { integrations, db } = options
  // in the compatible API's own OpenAPI document, under SailPoint's operation ids and summaries
  // (api/index.ts adds each path family's suffix)
  const operation = (operationId: string, summary: string) => ({ tags: [options.tag], operationId, summary })

  scope.get(
    '',
    {
      config: read,
      schema: {
        ...operation('getServiceDeskIntegrations', 'List existing service desk integrations'),
        querystring: ListQuery,
        response: { 200: IntegrationList, ...sailPointErrors },
      },
    },
    async (request, reply) => {
      const query = request.query
      const { items, total } = await integrations.list({
        offset: query.offset,
        limit: query.limit,
        filters: parseFilters(query.filters),
        sorters: parseSorters(query.sorters),
      })
      if (query.count) void reply.header('x-total-count', String(total))
      return items
    },
  )

  scope.post(
    '',
    {
      config: manage,
      schema: {
        ...operation('createServiceDeskIntegration', 'Create new service desk integration'),
        body: ServiceDeskIntegrationBody,
        response: { 200: ServiceDeskIntegrationDtoSchema, ...sailPointErrors },
      },
    },
    async (request) => integrations.create(request.body, auditedWrite(request)),
  )

  scope.get(
    '/types',
    {
      config: read,
      schema: {
        ...operation('getServiceDeskIntegrationTypes', 'List service desk integration types'),
        response: { 200: Type.Array(TemplateTypeSchema), ...sailPointErrors },
      },
    },
    async () => INTEGRATION_TYPES,
  )

  scope.get(
    '/templates/:scriptName',
    {
      config: read,
      schema: {
        ...operation('getServiceDeskIntegrationTemplate', 'Service desk integration template by scriptName'),
        params: ScriptNameParams,
        response: { 200: TemplateSchema, ...sailPointErrors },
      },
    },
    async (request) => {
      const template = integrationTemplate(request.params.scriptName)
      if (!template) throw new IdnErrors.TEMPLATE_NOT_FOUND(request.params.scriptName)
      return template
    },
  )

  scope.get(
    '/status-check-configuration',
    {
      config: read,
      schema: {
        ...operation('getStatusCheckDetails', 'Get the time check configuration'),
        response: { 200: StatusCheckConfigSchema, ...sailPointErrors },
      },
    },
    async () => readStatusCheck(db),
  )

  scope.put(
    '/status-check-configuration',
    {
      config: manage,
      schema: {
        ...operation('updateStatusCheckDetails', 'Update the time check configuration'),
        body: StatusCheckBody,
        response: { 200: StatusCheckConfigSchema, ...sailPointErrors },
      },
    },
    async (request) => writeStatusCheck(db, validateStatusCheck(request.body)),
  )

  scope.get(
    '/:id',
    {
      config: read,
      schema: {
        ...operation('getServiceDeskIntegration', 'Get a service desk integration'),
        params: IdParams,
        response: { 200: ServiceDeskIntegrationDtoSchema, ...sailPointErrors },
      },
    },
    async (request) => integrations.get(request.params.id),
  )

  scope.put(
    '/:id',
    {
      config: manage,
      schema: {
        ...operation('putServiceDeskIntegration', 'Update a service desk integration'),
        params: IdParams,
        body: ServiceDeskIntegrationBody,
        response: { 200: ServiceDeskIntegrationDtoSchema, ...sailPointErrors },
      },
    },
    async (request, reply) => replaceIntegration(integrations, request.params.id, request.body, request, reply),
  )

  scope.patch(
    '/:id',
    {
      config: manage,
      schema: {
        ...operation('patchServiceDeskIntegration', 'Patch a service desk integration'),
        params: IdParams,
        body: JsonPatchBody,
        response: { 200: ServiceDeskIntegrationDtoSchema, ...sailPointErrors },
      },
    },
    // the patch applies to the integration as it is locked in the write's transaction
    async (request, reply) =>
      replaceIntegration(
        integrations,
        request.params.id,
        (current) => applyReplacePatch(current, request.body),
        request,
        reply,
      ),
  )

  scope.delete(
    '/:id',
    {
      config: manage,
      schema: {
        ...operation('deleteServiceDeskIntegration', 'Delete a service desk integration'),
        params: IdParams,
        response: { 204: NoContent, ...sailPointErrors },
      },
    },
    async (request, reply) => {
      await integrations.delete(request.params.id, auditedWrite(request))
      return reply.code(204).send()
    },
  )
}

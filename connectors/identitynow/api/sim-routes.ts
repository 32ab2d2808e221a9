// The SIM-style endpoints (/beta/sim-integrations, /v202x/sim-integrations,
// /sim-integrations/v1): the older ServiceNow-only body (SimIntegrationDetails: sources, cluster,
// statusMap, request) stored as the same ServiceDeskIntegrationDto, which is what they answer
// with. DELETE answers 200 here (204 on the service desk resource), as SailPoint's spec says.
// The X-SailPoint-Experimental header real tenants require on v2024+ is accepted, not required.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ServiceDeskIntegrationDtoSchema, type ServiceDeskIntegrationInput } from '../integrations/model.ts'
import type { IntegrationRepository } from '../integrations/repository.ts'
import { applyReplacePatch } from './json-patch.ts'
import { auditedWrite, replaceIntegration } from './integration-writes.ts'
import {
  IdParams,
  IntegrationList,
  JsonPatchBody,
  NoContent,
  SimIntegrationBody,
  sailPointErrors,
  type JsonPatchBodyType,
  type SimIntegrationBodyType,
} from './schemas.ts'

export function simToServiceDesk(body: SimIntegrationBodyType): ServiceDeskIntegrationInput {
  const sources = body.sources ?? []
  const attributes: Record<string, unknown> = { ...(body.attributes ?? {}) }
  if (body.statusMap !== undefined) attributes.statusMap = body.statusMap
  if (body.request !== undefined) attributes.request = body.request
  return {
    name: body.name,
    description: body.description ?? '',
    type: body.type ?? 'ServiceNow Service Desk',
    attributes,
    managedSources: sources,
    provisioningConfig: { managedResourceRefs: sources.map((id) => ({ type: 'SOURCE', id })) },
    ...(body.cluster !== undefined ? { cluster: body.cluster, clusterRef: { type: 'CLUSTER', id: body.cluster } } : {}),
    ...(body.beforeProvisioningRule !== undefined ? { beforeProvisioningRule: body.beforeProvisioningRule } : {}),
  }
}

export interface SimRouteOptions {
  integrations: IntegrationRepository
  tag: string
}

const read = { role: 'viewer' as const }
const manage = { role: 'admin' as const }

export const simRoutes: FastifyPluginAsyncTypebox<SimRouteOptions> = async (scope, options) => {
  const { integrations } = options
  // in the compatible API's own OpenAPI document, under SailPoint's operation ids and summaries
  // (api/index.ts adds each path family's suffix)
  const operation = (operationId: string, summary: string) => ({ tags: [options.tag], operationId, summary })
  const answers = { 200: ServiceDeskIntegrationDtoSchema, ...sailPointErrors }

  scope.get(
    '',
    {
      config: read,
      schema: {
        ...operation('getSIMIntegrations', 'List the existing SIM integrations'),
        response: { 200: IntegrationList, ...sailPointErrors },
      },
    },
    async () => integrations.all(),
  )

  scope.post(
    '',
    {
      config: manage,
      schema: {
        ...operation('createSIMIntegration', 'Create new SIM integration'),
        body: SimIntegrationBody,
        response: answers,
      },
    },
    async (request) => integrations.create(simToServiceDesk(request.body), auditedWrite(request)),
  )

  scope.get(
    '/:id',
    {
      config: read,
      schema: { ...operation('getSIMIntegration', 'Get a SIM integration'), params: IdParams, response: answers },
    },
    async (request) => integrations.get(request.params.id),
  )

  scope.put(
    '/:id',
    {
      config: manage,
      schema: {
        ...operation('putSIMIntegration', 'Update an existing SIM integration'),
        params: IdParams,
        body: SimIntegrationBody,
        response: answers,
      },
    },
    async (request, reply) =>
      replaceIntegration(integrations, request.params.id, simToServiceDesk(request.body), request, reply),
  )

  // the patch applies to the integration as it is locked in the write's transaction
  const patch = async (id: string, body: JsonPatchBodyType, request: FastifyRequest, reply: FastifyReply) =>
    replaceIntegration(integrations, id, (current) => applyReplacePatch(current, body), request, reply)

  scope.patch(
    '/:id',
    {
      config: manage,
      schema: {
        ...operation('patchSIMAttributes', 'Patch a SIM attribute'),
        params: IdParams,
        body: JsonPatchBody,
        response: answers,
      },
    },
    async (request, reply) => patch(request.params.id, request.body, request, reply),
  )

  scope.patch(
    '/:id/beforeProvisioningRule',
    {
      config: manage,
      schema: {
        ...operation('patchBeforeProvisioningRule', 'Patch a SIM beforeProvisioningRule attribute'),
        params: IdParams,
        body: JsonPatchBody,
        response: answers,
      },
    },
    async (request, reply) => patch(request.params.id, request.body, request, reply),
  )

  scope.delete(
    '/:id',
    {
      config: manage,
      schema: {
        ...operation('deleteSIMIntegration', 'Delete a SIM integration'),
        params: IdParams,
        response: { 200: NoContent, ...sailPointErrors },
      },
    },
    async (request, reply) => {
      await integrations.delete(request.params.id, auditedWrite(request))
      return reply.code(200).send()
    },
  )
}

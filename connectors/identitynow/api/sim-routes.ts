// The SIM-style endpoints (/beta/sim-integrations, /v202x/sim-integrations,
// /sim-integrations/v1): the older ServiceNow-only body (SimIntegrationDetails: sources, cluster,
// statusMap, request) stored as the same ServiceDeskIntegrationDto, which is what they answer
// with. DELETE answers 200 here (204 on the service desk resource), as SailPoint's spec says.
// The X-SailPoint-Experimental header real tenants require on v2024+ is accepted, not required.
import type { FastifyInstance } from 'fastify'
import type { ServiceDeskIntegrationDto, ServiceDeskIntegrationInput } from '../integrations/model.ts'
import type { IntegrationRepository } from '../integrations/repository.ts'
import { applyReplacePatch } from './json-patch.ts'
import {
  IdParams,
  JsonPatchBody,
  SimIntegrationBody,
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
    provisioningConfig: { managedResourceRefs: sources.map((id) => ({ type: 'SOURCE' as const, id })) },
    ...(body.cluster !== undefined
      ? { cluster: body.cluster, clusterRef: { type: 'CLUSTER' as const, id: body.cluster } }
      : {}),
    ...(body.beforeProvisioningRule !== undefined
      ? { beforeProvisioningRule: body.beforeProvisioningRule as ServiceDeskIntegrationDto['beforeProvisioningRule'] }
      : {}),
  }
}

export interface SimRouteOptions {
  base: string
  integrations: IntegrationRepository
  tag: string
}

export function simRoutes(scope: FastifyInstance, options: SimRouteOptions): void {
  const { base, integrations, tag } = options
  const read = { role: 'viewer' as const }
  const manage = { role: 'admin' as const }
  // SailPoint's own OpenAPI files describe these routes; the hub's document leaves them out
  const tags = [tag]
  const hide = true

  scope.get(base, { config: read, schema: { hide, tags } }, async () => integrations.all())

  scope.post(base, { config: manage, schema: { hide, tags, body: SimIntegrationBody } }, async (request) =>
    integrations.create(simToServiceDesk(request.body as SimIntegrationBodyType)),
  )

  scope.get(`${base}/:id`, { config: read, schema: { hide, tags, params: IdParams } }, async (request) =>
    integrations.get((request.params as { id: string }).id),
  )

  scope.put(
    `${base}/:id`,
    { config: manage, schema: { hide, tags, params: IdParams, body: SimIntegrationBody } },
    async (request) =>
      integrations.replace(
        (request.params as { id: string }).id,
        simToServiceDesk(request.body as SimIntegrationBodyType),
      ),
  )

  const patch = async (id: string, body: JsonPatchBodyType) =>
    integrations.replace(id, applyReplacePatch(await integrations.get(id), body))

  scope.patch(
    `${base}/:id`,
    { config: manage, schema: { hide, tags, params: IdParams, body: JsonPatchBody } },
    async (request) => patch((request.params as { id: string }).id, request.body as JsonPatchBodyType),
  )

  scope.patch(
    `${base}/:id/beforeProvisioningRule`,
    { config: manage, schema: { hide, tags, params: IdParams, body: JsonPatchBody } },
    async (request) => patch((request.params as { id: string }).id, request.body as JsonPatchBodyType),
  )

  scope.delete(`${base}/:id`, { config: manage, schema: { hide, tags, params: IdParams } }, async (request, reply) => {
    await integrations.delete((request.params as { id: string }).id)
    return reply.code(200).send()
  })
}

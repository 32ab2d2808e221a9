// The hub's own REST surface for IdentityNow provisioning (under /api/v1/identitynow): plan
// intake, a record with its Provisioning Completed shape, manual close, a poll pass on demand,
// and API clients for POST /oauth/token.
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import { ROLES, type Role } from '../../../core/auth/roles.ts'
import { provisioningCompleted } from '../completion/provisioning-completed.ts'
import { IdnErrors } from '../errors.ts'
import { checkServiceNow } from '../servicenow-version/release.ts'
import { ticketSettings } from '../tickets/settings.ts'
import { requireCaller, type BearerVerifier } from '../api/access.ts'
import type { IntegrationRepository } from '../integrations/repository.ts'
import type { ApiClientRepository } from '../oauth/clients.ts'
import { ProvisioningPlanSchema, type ProvisioningPlan } from './plan.ts'
import type { ProvisioningRecords } from './records.ts'
import type { ProvisioningService } from './service.ts'

export interface ProvisioningRouteOptions {
  service: ProvisioningService
  records: ProvisioningRecords
  integrations: IntegrationRepository
  clients: ApiClientRepository
  /** checks bearer tokens here when the hub's auth plugin is absent */
  verifiers: (() => BearerVerifier[]) | undefined
}

const CloseBody = Type.Object({
  result: Type.Union([Type.Literal('Committed'), Type.Literal('Failed')]),
  message: Type.Optional(Type.String({ maxLength: 1000 })),
})
const ClientBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
})
const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) })
const tags = ['IdentityNow provisioning']

export default async function provisioningRoutes(
  scope: FastifyInstance,
  options: ProvisioningRouteOptions,
): Promise<void> {
  const { service, records, integrations, clients } = options
  if (options.verifiers) requireCaller(scope, options.verifiers)

  scope.post(
    '/provisioning-plans',
    {
      config: { role: 'operator' },
      schema: {
        tags,
        summary: 'Route a provisioning plan: managed sources become tickets, others are answered not-ours',
        body: ProvisioningPlanSchema,
      },
    },
    async (request) => ({ sources: await service.intake(request.body as ProvisioningPlan) }),
  )

  scope.get(
    '/provisioning/:id',
    {
      config: { role: 'viewer' },
      schema: { tags, summary: 'A provisioning record by correlation id or ticket number', params: IdParams },
    },
    async (request) => {
      const { id } = request.params as Static<typeof IdParams>
      const record = await records.find(id)
      if (!record) throw new IdnErrors.PROVISIONING_NOT_FOUND(id)
      const target = await integrations.get(record.integrationId).then(
        (dto) => dto.name,
        () => record.integrationId,
      )
      return { ...record, completion: provisioningCompleted(record, target) }
    },
  )

  scope.post(
    '/provisioning/:id/close',
    {
      config: { role: 'operator' },
      schema: { tags, summary: 'Close a ticketed provisioning by hand', params: IdParams, body: CloseBody },
    },
    async (request) => {
      const { id } = request.params as Static<typeof IdParams>
      const body = request.body as Static<typeof CloseBody>
      const by = request.principal?.name ?? request.idnCaller?.name ?? 'api'
      return service.closeManually(id, body.result, by, body.message)
    },
  )

  scope.post(
    '/provisioning/poll',
    { config: { role: 'operator' }, schema: { tags, summary: 'Run one status-check pass now' } },
    async () => service.poll(),
  )

  scope.get(
    '/provisioning',
    { config: { role: 'viewer' }, schema: { tags, summary: 'Counts of provisioning records by state' } },
    async () => records.counts(),
  )

  scope.get(
    '/integrations/:id/servicenow-release',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        summary:
          'Check the ServiceNow release of an integration (New York and later supported) and that its catalog items define correlation_id',
        params: IdParams,
      },
    },
    async (request) => {
      const dto = await integrations.get((request.params as Static<typeof IdParams>).id)
      const assessment = await service.withClient(dto, (client) =>
        checkServiceNow(client, ticketSettings(dto.attributes)),
      )
      if (assessment.level === 'warning') {
        request.log.warn({ integration: dto.id, catalogWarnings: assessment.catalogWarnings }, assessment.message)
      }
      return assessment
    },
  )

  scope.post(
    '/api-clients',
    {
      config: { role: 'admin' },
      schema: { tags, summary: 'Create an API client for POST /oauth/token (secret shown once)', body: ClientBody },
    },
    async (request) => {
      const body = request.body as { name: string; role: Role }
      return clients.create(body.name, body.role)
    },
  )
}

// The hub's own REST surface for IdentityNow provisioning (under /api/v1/identitynow): plan
// intake, the records page by page, a record with its Provisioning Completed shape, manual close,
// a poll pass on demand, the service desk integrations in brief (for the console),
// and the API clients of POST /oauth/token (create, list, revoke). Admin API routes: hub tokens
// only, as everywhere under /api/v1.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { provisioningCompleted } from '../completion/provisioning-completed.ts'
import { IdnErrors } from '../errors.ts'
import { ReleaseAssessmentSchema, checkServiceNow } from '../servicenow-version/release.ts'
import { ticketSettings } from '../tickets/settings.ts'
import type { IntegrationRepository } from '../integrations/repository.ts'
import { managedSourceIds, type ServiceDeskIntegrationDto } from '../integrations/model.ts'
import { ApiClientSchema, NewApiClientSchema, type ApiClientRepository } from '../oauth/clients.ts'
import { ProvisioningPlanSchema } from './plan.ts'
import type { ProvisioningRecord, ProvisioningRecords } from './records.ts'
import {
  ApiClientBody,
  ApiClientListQuery,
  ClientIdParams,
  CloseBody,
  IdParams,
  IntakeAnswer,
  IntegrationSummaryList,
  type IntegrationSummarySchema,
  PollSummarySchema,
  ProvisioningRecordSchema,
  RecordList,
  RecordListQuery,
  RecordWithCompletion,
  StateCounts,
} from './schemas.ts'
import type { ProvisioningService } from './service.ts'

export interface ProvisioningRouteOptions {
  service: ProvisioningService
  records: ProvisioningRecords
  integrations: IntegrationRepository
  clients: ApiClientRepository
}

const tags = ['IdentityNow provisioning']
const errors = (...codes: number[]) =>
  Object.fromEntries([400, 401, 403, 429, 500, ...codes].map((code) => [code, Type.Ref('ErrorResponse')]))

/** A record as the API shows it: timestamps in ISO 8601. */
function recordAnswer(record: ProvisioningRecord): Static<typeof ProvisioningRecordSchema> {
  return {
    ...record,
    createdAt: record.createdAt.toISOString(),
    nextCheckAt: record.nextCheckAt?.toISOString() ?? null,
    closedAt: record.closedAt?.toISOString() ?? null,
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : null)

/** An integration in brief: its attributes stay behind (only the ticket type and instance URL show). */
function integrationSummary(dto: ServiceDeskIntegrationDto): Static<typeof IntegrationSummarySchema> {
  return {
    id: dto.id,
    name: dto.name,
    description: dto.description,
    type: dto.type,
    ticketType: text(dto.attributes['ticketType']),
    instance: text(dto.attributes['url']),
    managedSources: managedSourceIds(dto),
    created: dto.created,
    modified: dto.modified,
  }
}

const provisioningRoutes: FastifyPluginAsyncTypebox<ProvisioningRouteOptions> = async (scope, options) => {
  const { service, records, integrations, clients } = options

  scope.post(
    '/provisioning-plans',
    {
      config: { role: 'operator' },
      schema: {
        tags,
        operationId: 'routeProvisioningPlan',
        summary: 'Route a provisioning plan: managed sources become tickets, others are answered not-ours',
        body: ProvisioningPlanSchema,
        response: { 200: IntakeAnswer, ...errors(404) },
      },
    },
    async (request) => ({ sources: await service.intake(request.body) }),
  )

  scope.get(
    '/provisioning-records',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        operationId: 'listProvisioningRecords',
        summary: 'Provisioning records, newest first, with their ticket and state; of one state or integration',
        querystring: RecordListQuery,
        response: { 200: RecordList, ...errors() },
      },
    },
    async (request) => {
      const { items, total } = await records.list(request.query)
      return { items: items.map(recordAnswer), total }
    },
  )

  scope.get(
    '/integrations',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        operationId: 'listServiceDeskIntegrations',
        summary: 'The service desk integrations in brief: name, type, ticket type, instance and managed sources',
        response: { 200: IntegrationSummaryList, ...errors() },
      },
    },
    async () => {
      const items = (await integrations.all()).map(integrationSummary)
      return { items, total: items.length }
    },
  )

  scope.get(
    '/provisioning/:id',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        operationId: 'getProvisioningRecord',
        summary: 'A provisioning record by correlation id or ticket number',
        params: IdParams,
        response: { 200: RecordWithCompletion, ...errors(404) },
      },
    },
    async (request) => {
      const { id } = request.params
      const record = await records.find(id)
      if (!record) throw new IdnErrors.PROVISIONING_NOT_FOUND(id)
      const target = await integrations.get(record.integrationId).then(
        (dto) => dto.name,
        () => record.integrationId,
      )
      return { ...recordAnswer(record), completion: provisioningCompleted(record, target) }
    },
  )

  scope.post(
    '/provisioning/:id/close',
    {
      config: { role: 'operator' },
      schema: {
        tags,
        operationId: 'closeProvisioning',
        summary: 'Close a ticketed provisioning by hand',
        params: IdParams,
        body: CloseBody,
        response: { 200: ProvisioningRecordSchema, ...errors(404, 409) },
      },
    },
    async (request) => {
      const by = request.principal?.name ?? 'api'
      const { result, message } = request.body
      return recordAnswer(await service.closeManually(request.params.id, result, by, message))
    },
  )

  scope.post(
    '/provisioning/poll',
    {
      config: { role: 'operator' },
      schema: {
        tags,
        operationId: 'pollProvisioning',
        summary: 'Run one status-check pass now',
        response: { 200: PollSummarySchema, ...errors() },
      },
    },
    async () => service.poll(),
  )

  scope.get(
    '/provisioning',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        operationId: 'countProvisioningRecords',
        summary: 'Counts of provisioning records by state',
        response: { 200: StateCounts, ...errors() },
      },
    },
    async () => records.counts(),
  )

  scope.get(
    '/integrations/:id/servicenow-release',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        operationId: 'checkServiceNowRelease',
        summary:
          'Check the ServiceNow release of an integration (New York and later supported) and that its catalog items define correlation_id',
        params: IdParams,
        response: { 200: ReleaseAssessmentSchema, ...errors(404, 502, 503) },
      },
    },
    async (request) => {
      const dto = await integrations.get(request.params.id)
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
      schema: {
        tags,
        operationId: 'createApiClient',
        summary:
          'Create an API client for POST /oauth/token (secret shown once); its tokens open the IdentityNow-compatible API only',
        body: ApiClientBody,
        response: { 200: NewApiClientSchema, ...errors() },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store')
      return clients.create(request.body.name, request.body.role)
    },
  )

  scope.get(
    '/api-clients',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        operationId: 'listApiClients',
        summary: 'List the API clients of POST /oauth/token (never their secrets)',
        querystring: ApiClientListQuery,
        response: {
          200: Type.Object(
            { items: Type.Array(ApiClientSchema), total: Type.Integer({ minimum: 0 }) },
            { title: 'IdentityNowApiClientList' },
          ),
          ...errors(),
        },
      },
    },
    async (request) => {
      const items = await clients.list({ includeRevoked: request.query.includeRevoked })
      return { items, total: items.length }
    },
  )

  scope.delete(
    '/api-clients/:clientId',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        operationId: 'revokeApiClient',
        summary: 'Revoke an API client: no new tokens, and the tokens it holds stop working at once',
        params: ClientIdParams,
        response: { 200: ApiClientSchema, ...errors(404) },
      },
    },
    async (request) => clients.revoke(request.params.clientId),
  )
}

export default provisioningRoutes

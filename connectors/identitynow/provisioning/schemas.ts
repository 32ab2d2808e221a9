// Schemas of the hub's IdentityNow provisioning routes (/api/v1/identitynow): what they take and
// what they answer, the one source of the answer types too.
import { Type, type Static } from 'typebox'
import { ROLES } from '../../../core/auth/roles.ts'
import { literals } from '../../../core/schema/literals.ts'
import { ProvisioningCompletedSchema } from '../completion/provisioning-completed.ts'
import { ProvisioningPlanSchema } from './plan.ts'

const RECORD_STATES = ['creating', 'queued', 'committed', 'failed', 'expired'] as const
const RecordState = literals(RECORD_STATES)
const Timestamp = Type.String({ format: 'date-time' })
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()])

export const SourceOutcomeSchema = Type.Object(
  {
    sourceId: Type.String(),
    sourceName: Type.String(),
    routing: Type.Union([Type.Literal('not-ours'), Type.Literal('ticket')], {
      description: "not-ours: provision through the source's own connector; ticket: a ServiceNow ticket tracks it",
    }),
    integrationId: Type.Optional(Type.String()),
    correlationId: Type.Optional(Type.String()),
    state: Type.Optional(RecordState),
    ticketId: Type.Optional(Nullable(Type.String())),
    duplicate: Type.Optional(Type.Boolean({ description: 'true when this intake found the record of an earlier one' })),
    message: Type.Optional(Nullable(Type.String())),
  },
  { additionalProperties: false },
)
export type SourceOutcome = Static<typeof SourceOutcomeSchema>

export const IntakeAnswer = Type.Object({ sources: Type.Array(SourceOutcomeSchema) }, { title: 'ProvisioningIntake' })

export const PollSummarySchema = Type.Object(
  {
    checked: Type.Integer(),
    completed: Type.Integer(),
    expired: Type.Integer(),
    repaired: Type.Integer(),
    warnings: Type.Integer(),
  },
  { title: 'ProvisioningPollSummary', additionalProperties: false },
)
export type PollSummary = Static<typeof PollSummarySchema>

export const ProvisioningRecordSchema = Type.Object(
  {
    correlationId: Type.String(),
    integrationId: Type.String(),
    sourceId: Type.String(),
    sourceName: Type.String(),
    plan: ProvisioningPlanSchema,
    state: RecordState,
    ticketType: Type.String(),
    ticketTable: Nullable(Type.String()),
    ticketNumber: Nullable(Type.String()),
    ticketSysId: Nullable(Type.String()),
    externalState: Nullable(Type.String()),
    result: Nullable(Type.String()),
    createdAt: Timestamp,
    nextCheckAt: Nullable(Timestamp),
    closedAt: Nullable(Timestamp),
    closedBy: Nullable(Type.String()),
    message: Nullable(Type.String()),
  },
  { title: 'ProvisioningRecord', additionalProperties: false },
)

export const RecordListQuery = Type.Object(
  {
    state: Type.Optional(RecordState),
    integrationId: Type.Optional(Type.String({ minLength: 1 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
)

export const RecordList = Type.Object(
  { items: Type.Array(ProvisioningRecordSchema), total: Type.Integer({ minimum: 0 }) },
  { title: 'ProvisioningRecordPage' },
)

/** A service desk integration as the admin API lists it: what it is and routes, never its attributes. */
export const IntegrationSummarySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    type: Type.String(),
    ticketType: Nullable(Type.String({ description: 'attributes.ticketType: serviceRequest, incident, generic' })),
    instance: Nullable(Type.String({ description: 'attributes.url: the ServiceNow instance tickets go to' })),
    managedSources: Type.Array(Type.String(), { description: 'ids of the sources whose provisioning it tickets' }),
    created: Type.String(),
    modified: Type.String(),
  },
  { title: 'ServiceDeskIntegrationSummary', additionalProperties: false },
)

export const IntegrationSummaryList = Type.Object(
  { items: Type.Array(IntegrationSummarySchema), total: Type.Integer({ minimum: 0 }) },
  { title: 'ServiceDeskIntegrationSummaryList' },
)

export const RecordWithCompletion = Type.Object(
  { ...ProvisioningRecordSchema.properties, completion: ProvisioningCompletedSchema },
  { title: 'ProvisioningRecordWithCompletion', additionalProperties: false },
)

export const StateCounts = Type.Record(Type.String(), Type.Integer(), {
  title: 'ProvisioningCounts',
  description: 'records by state (creating, queued, committed, failed, expired); states with none are left out',
})

export const CloseBody = Type.Object(
  {
    result: Type.Union([Type.Literal('Committed'), Type.Literal('Failed')]),
    message: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
)

export const ApiClientBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: literals(ROLES, {
      description: 'viewer and operator read integrations on the compatible API; admin also writes them',
    }),
  },
  { additionalProperties: false },
)

export const ApiClientListQuery = Type.Object(
  { includeRevoked: Type.Boolean({ default: false, description: 'list revoked clients too' }) },
  { additionalProperties: false },
)

export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) })
export const ClientIdParams = Type.Object({ clientId: Type.String({ minLength: 1 }) })

// Request and response schemas of the IdentityNow-compatible API, after SailPoint's own OpenAPI
// files (https://github.com/sailpoint-oss/api-specs/blob/main/idn/apis/{service-desk-integration,sim-integrations};
// the ones the tests check against are pinned in test/fixtures/sailpoint-api-specs).
// Bodies declare their members; one they do not declare is accepted and not kept (the routes declare
// ignoreUnknownMembers), because real clients send read-only and newer fields back; what matters
// is checked in integrations/validate.ts. JSON Patch operations ignore members they do not define
// (RFC 6902 §4).
import { Type, type Static } from 'typebox'
import { RefSchema, ServiceDeskIntegrationDtoSchema, ServiceDeskIntegrationInputSchema } from '../integrations/model.ts'

export const ServiceDeskIntegrationBody = ServiceDeskIntegrationInputSchema

export const SimIntegrationBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1 }),
    created: Type.Optional(Type.String()),
    modified: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    type: Type.Optional(Type.String()),
    attributes: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
    sources: Type.Optional(Type.Array(Type.String())),
    cluster: Type.Optional(Type.String()),
    statusMap: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    request: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    beforeProvisioningRule: Type.Optional(RefSchema),
  },
  { additionalProperties: false },
)
export type SimIntegrationBodyType = Static<typeof SimIntegrationBody>

export const JsonPatchOperationSchema = Type.Object(
  { op: Type.String(), path: Type.String(), value: Type.Optional(Type.Unknown()), from: Type.Optional(Type.String()) },
  { additionalProperties: true },
)

/** Both forms real clients send: the bare RFC 6902 array, and `{"operations": [...]}` (sailpoint-api-client 1.4.x, SIM). */
export const JsonPatchBody = Type.Union([
  Type.Array(JsonPatchOperationSchema),
  Type.Object({ operations: Type.Array(JsonPatchOperationSchema) }, { additionalProperties: true }),
])
export type JsonPatchBodyType = Static<typeof JsonPatchBody>

export const StatusCheckBody = Type.Object(
  {
    provisioningStatusCheckIntervalMinutes: Type.Union([Type.String(), Type.Integer()]),
    provisioningMaxStatusCheckDays: Type.Union([Type.String(), Type.Integer()]),
  },
  { additionalProperties: false },
)

/** QueuedCheckConfigDetails: SailPoint sends and answers the two numbers as strings. */
export const StatusCheckConfigSchema = Type.Object({
  provisioningStatusCheckIntervalMinutes: Type.String(),
  provisioningMaxStatusCheckDays: Type.String(),
})

export const ListQuery = Type.Object({
  offset: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 0, maximum: 250, default: 250 }),
  count: Type.Boolean({ default: false }),
  filters: Type.Optional(Type.String()),
  sorters: Type.Optional(Type.String()),
})

export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) })
export const ScriptNameParams = Type.Object({ scriptName: Type.String({ minLength: 1 }) })

export const IntegrationList = Type.Array(ServiceDeskIntegrationDtoSchema)

/** An answer without a body (DELETE) */
export const NoContent = Type.Unsafe<undefined>({ description: 'No content' })

export const TemplateTypeSchema = Type.Object({ name: Type.String(), type: Type.String(), scriptName: Type.String() })
export type TemplateType = Static<typeof TemplateTypeSchema>

/** ServiceDeskIntegrationTemplateDto */
export const TemplateSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created: Type.String(),
  modified: Type.String(),
  type: Type.String(),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  provisioningConfig: Type.Object({
    universalManager: Type.Boolean(),
    managedResourceRefs: Type.Array(RefSchema),
    noProvisioningRequests: Type.Boolean(),
  }),
})
export type Template = Static<typeof TemplateSchema>

// SailPoint's error bodies (https://github.com/sailpoint-oss/api-specs/blob/main/idn/apis/shared/responses)
const ErrorMessageDto = Type.Object({
  locale: Type.Union([Type.String(), Type.Null()]),
  localeOrigin: Type.Union([Type.Literal('DEFAULT'), Type.Literal('REQUEST'), Type.Null()]),
  text: Type.String(),
})
export const ErrorResponseDtoSchema = Type.Object({
  detailCode: Type.String(),
  trackingId: Type.String(),
  messages: Type.Array(ErrorMessageDto),
  causes: Type.Array(ErrorMessageDto),
})
export type ErrorResponseDto = Static<typeof ErrorResponseDtoSchema>
export const JwtErrorSchema = Type.Object({ error: Type.String() })
export const RateLimitErrorSchema = Type.Object({ message: Type.String() })

/** The errors every route of the compatible API can answer, in SailPoint's shapes. */
export const sailPointErrors = {
  400: ErrorResponseDtoSchema,
  401: JwtErrorSchema,
  403: ErrorResponseDtoSchema,
  404: ErrorResponseDtoSchema,
  429: RateLimitErrorSchema,
  500: ErrorResponseDtoSchema,
}

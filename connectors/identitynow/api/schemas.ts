// Request schemas of the IdentityNow-compatible API, after SailPoint's own OpenAPI files
// (https://github.com/sailpoint-oss/api-specs/blob/main/idn/apis/{service-desk-integration,sim-integrations}; the ones the tests check against are
// pinned in test/fixtures/sailpoint-api-specs).
// Bodies stay open (additional properties allowed) because real clients send read-only and
// newer fields back; what matters is checked in integrations/validate.ts.
import { Type, type Static } from '@sinclair/typebox'

const Ref = (type: string) =>
  Type.Object(
    {
      type: Type.Optional(Type.String({ examples: [type] })),
      id: Type.Optional(Type.String()),
      name: Type.Optional(Type.String()),
    },
    { additionalProperties: true },
  )

export const ProvisioningConfigSchema = Type.Object(
  {
    universalManager: Type.Optional(Type.Boolean()),
    managedResourceRefs: Type.Optional(Type.Array(Ref('SOURCE'))),
    planInitializerScript: Type.Optional(
      Type.Union([Type.Object({ source: Type.Optional(Type.String()) }, { additionalProperties: true }), Type.Null()]),
    ),
    noProvisioningRequests: Type.Optional(Type.Boolean()),
    provisioningRequestExpiration: Type.Optional(Type.Integer()),
  },
  { additionalProperties: true },
)

export const ServiceDeskIntegrationBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    name: Type.String({ minLength: 1 }),
    created: Type.Optional(Type.String()),
    modified: Type.Optional(Type.String()),
    description: Type.String(),
    type: Type.String({ minLength: 1 }),
    ownerRef: Type.Optional(Ref('IDENTITY')),
    clusterRef: Type.Optional(Ref('CLUSTER')),
    cluster: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    managedSources: Type.Optional(Type.Array(Type.String())),
    provisioningConfig: Type.Optional(ProvisioningConfigSchema),
    attributes: Type.Record(Type.String(), Type.Unknown()),
    beforeProvisioningRule: Type.Optional(Ref('RULE')),
  },
  { additionalProperties: true },
)
export type ServiceDeskIntegrationBodyType = Static<typeof ServiceDeskIntegrationBody>

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
    beforeProvisioningRule: Type.Optional(Ref('RULE')),
  },
  { additionalProperties: true },
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
  { additionalProperties: true },
)

export const ListQuery = Type.Object({
  offset: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 0, maximum: 250, default: 250 }),
  count: Type.Boolean({ default: false }),
  filters: Type.Optional(Type.String()),
  sorters: Type.Optional(Type.String()),
})
export type ListQueryType = Static<typeof ListQuery>

export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) })
export const ScriptNameParams = Type.Object({ scriptName: Type.String({ minLength: 1 }) })

// The stored object, in SailPoint's ServiceDeskIntegrationDto shape
// (https://github.com/sailpoint-oss/api-specs/blob/main/idn/apis/service-desk-integration/schemas/servicedeskintegrationdto.yaml).
// The schema is the one source of the type and of what the compatible API answers with. Like
// SailPoint's typed DTO, it keeps only the members it declares (`attributes` is free-form, as in
// SailPoint's spec): a member a client adds is accepted on the way in and not kept.
import { Type, type Static } from 'typebox'

export const RefSchema = Type.Object(
  {
    type: Type.Optional(Type.String({ examples: ['SOURCE'] })),
    id: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)

export const ProvisioningConfigSchema = Type.Object(
  {
    universalManager: Type.Optional(Type.Boolean()),
    managedResourceRefs: Type.Optional(Type.Array(RefSchema)),
    planInitializerScript: Type.Optional(
      Type.Union([Type.Object({ source: Type.Optional(Type.String()) }, { additionalProperties: false }), Type.Null()]),
    ),
    noProvisioningRequests: Type.Optional(Type.Boolean()),
    provisioningRequestExpiration: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
)
export type ProvisioningConfig = Static<typeof ProvisioningConfigSchema>

const dtoProperties = {
  name: Type.String({ minLength: 1 }),
  description: Type.String(),
  type: Type.String({ minLength: 1 }),
  ownerRef: Type.Optional(RefSchema),
  clusterRef: Type.Optional(RefSchema),
  cluster: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  managedSources: Type.Optional(Type.Array(Type.String())),
  provisioningConfig: Type.Optional(ProvisioningConfigSchema),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  beforeProvisioningRule: Type.Optional(RefSchema),
}

export const ServiceDeskIntegrationDtoSchema = Type.Object(
  { id: Type.String(), created: Type.String(), modified: Type.String(), ...dtoProperties },
  { additionalProperties: false },
)
export type ServiceDeskIntegrationDto = Static<typeof ServiceDeskIntegrationDtoSchema>

/** What a client may send on create or full replace; the read-only fields are ignored. */
export const ServiceDeskIntegrationInputSchema = Type.Object(
  {
    id: Type.Optional(Type.String()),
    created: Type.Optional(Type.String()),
    modified: Type.Optional(Type.String()),
    ...dtoProperties,
  },
  { additionalProperties: false },
)
export type ServiceDeskIntegrationInput = Static<typeof ServiceDeskIntegrationInputSchema>

/** The sources an integration manages: managedResourceRefs and the deprecated managedSources. */
export function managedSourceIds(
  dto: Pick<ServiceDeskIntegrationDto, 'managedSources' | 'provisioningConfig'>,
): string[] {
  const ids = new Set<string>(dto.managedSources ?? [])
  for (const ref of dto.provisioningConfig?.managedResourceRefs ?? []) if (ref.id) ids.add(ref.id)
  return [...ids]
}

// The stored object, in SailPoint's ServiceDeskIntegrationDto shape
// (https://github.com/sailpoint-oss/api-specs/blob/main/idn/apis/service-desk-integration/schemas/servicedeskintegrationdto.yaml).

export interface Ref<T extends string> {
  type?: T
  id?: string
  name?: string
}

export interface ProvisioningConfig {
  universalManager?: boolean
  managedResourceRefs?: Array<Ref<'SOURCE'>>
  planInitializerScript?: { source?: string } | null
  noProvisioningRequests?: boolean
  provisioningRequestExpiration?: number
}

export interface ServiceDeskIntegrationDto {
  id: string
  name: string
  created: string
  modified: string
  description: string
  type: string
  ownerRef?: Ref<'IDENTITY'>
  clusterRef?: Ref<'CLUSTER'>
  cluster?: string | null
  managedSources?: string[]
  provisioningConfig?: ProvisioningConfig
  attributes: Record<string, unknown>
  beforeProvisioningRule?: Ref<'RULE'>
}

/** What a client may send on create or full replace; read-only fields are ignored. */
export type ServiceDeskIntegrationInput = Omit<ServiceDeskIntegrationDto, 'id' | 'created' | 'modified'> &
  Partial<Pick<ServiceDeskIntegrationDto, 'id' | 'created' | 'modified'>>

/** The sources an integration manages: managedResourceRefs and the deprecated managedSources. */
export function managedSourceIds(
  dto: Pick<ServiceDeskIntegrationDto, 'managedSources' | 'provisioningConfig'>,
): string[] {
  const ids = new Set<string>(dto.managedSources ?? [])
  for (const ref of dto.provisioningConfig?.managedResourceRefs ?? []) if (ref.id) ids.add(ref.id)
  return [...ids]
}

// The integration types and templates the hub offers at .../types and .../templates/{scriptName}.
// SailPoint publishes no real scriptName values (the spec's examples only), so these are ours:
// https://github.com/sailpoint-oss/api-specs/blob/main/idn/apis/service-desk-integration/schemas/servicedeskintegrationtemplatetype.yaml
import { INCIDENT_STATE_MAP, REQUEST_STATE_MAP } from '../status/status-map.ts'
import type { Template, TemplateType } from './schemas.ts'

export const INTEGRATION_TYPES: TemplateType[] = [
  { name: 'ServiceNow Service Desk', type: 'ServiceNowSDIM', scriptName: 'ServiceNowSDIM' },
  { name: 'ServiceNow Service Desk (SIM)', type: 'ServiceNow Service Desk', scriptName: 'ServiceNowSIM' },
  { name: 'Generic Service Desk', type: 'Generic SDIM', scriptName: 'GenericSDIM' },
]

const STARTED = '2026-01-01T00:00:00.000Z'

export function integrationTemplate(scriptName: string): Template | undefined {
  const kind = INTEGRATION_TYPES.find((t) => t.scriptName === scriptName)
  if (!kind) return undefined
  const generic = kind.type === 'Generic SDIM'
  return {
    id: scriptName,
    name: kind.name,
    created: STARTED,
    modified: STARTED,
    type: kind.type,
    attributes: {
      url: 'https://instance.service-now.com',
      authType: 'Basic',
      username: '',
      ticketType: generic ? 'generic' : 'serviceRequest',
      ...(generic ? { table: 'incident' } : { catalogItem: {} }),
      request: {
        short_description: 'SailPoint Access Request $!plan.arguments.identityRequestId',
      },
      statusMap: generic ? INCIDENT_STATE_MAP : REQUEST_STATE_MAP,
    },
    provisioningConfig: { universalManager: false, managedResourceRefs: [], noProvisioningRequests: false },
  }
}

// How an integration's `attributes` describe ticketing, under SailPoint's own names so that
// SailPoint-shaped configurations round-trip (IdentityIQ's ServiceNow SDIM settings,
// https://documentation.sailpoint.com/connectors/identityiq/servicenow/sdim/help/integrating_servicenow_sdim/configuring__to_integrat.html,
// and ISC's beta TicketType / BasicProvision / CheckStatus schemas, https://github.com/sailpoint-oss/api-specs/blob/main/idn/beta/schemas):
//   url, authType|authenticationType (Basic | OAuth2), username, password, clientId, clientSecret,
//   tokenUrl, refreshToken; ticketType serviceRequest | incident | generic; catalogItem
//   {sourceId: catalog item sys_id}; table (generic); request {field: template}; statusMap
//   {ServiceNow state: Queued|Committed|Failed}; descriptionLimit; maxDaysOutcome.
import { IdnErrors } from '../errors.ts'
import {
  INCIDENT_STATE_MAP,
  REQUEST_STATE_MAP,
  TASK_STATE_MAP,
  validateStatusMap,
  type StatusMap,
} from '../status/status-map.ts'

export const TICKET_TYPES = ['serviceRequest', 'incident', 'generic'] as const
export type TicketType = (typeof TICKET_TYPES)[number]

/** What happens to a ticket still open after provisioningMaxStatusCheckDays. */
export const MAX_DAYS_OUTCOMES = ['Failed', 'Committed', 'Pending'] as const
export type MaxDaysOutcome = (typeof MAX_DAYS_OUTCOMES)[number]

export interface TicketSettings {
  ticketType: TicketType
  /** serviceRequest: catalog item sys_id per source id */
  catalogItem: Record<string, string>
  /** serviceRequest: what is tracked, the request (REQ, request_state) or the item (RITM, state) */
  trackTable: string
  /** generic: the table records are created in */
  table: string
  /** field -> template */
  request: Record<string, string>
  statusMap: StatusMap
  /** the field of the tracked record read as its state */
  stateField: string
  descriptionLimit: number
  maxDaysOutcome: MaxDaysOutcome
}

const DEFAULT_REQUEST: Record<string, string> = {
  short_description: 'SailPoint Access Request $!plan.arguments.identityRequestId',
  description:
    '#foreach($request in $plan.requests)$!request.operation account $!request.nativeIdentity on $!request.application#foreach($item in $request.items)\n  $!item.operation $!item.name = $!item.value#end\n#end',
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (!isRecord(value)) throw new IdnErrors.INTEGRATION_INVALID(`attributes.${where} must be an object`)
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new IdnErrors.INTEGRATION_INVALID(`attributes.${where}.${k} must be a string`)
    out[k] = v
  }
  return out
}

/** Reads ticket settings from attributes; throws CW_IDN_INTEGRATION_INVALID / STATUS_MAP_INVALID. */
export function ticketSettings(attributes: Record<string, unknown>): TicketSettings {
  const ticketType = (attributes.ticketType ?? 'serviceRequest') as TicketType
  if (!TICKET_TYPES.includes(ticketType)) {
    throw new IdnErrors.INTEGRATION_INVALID(`attributes.ticketType must be one of ${TICKET_TYPES.join(', ')}`)
  }
  const perType = isRecord(attributes[ticketType]) ? (attributes[ticketType] as Record<string, unknown>) : {}
  const checkStatus = isRecord(perType.checkStatus) ? perType.checkStatus : {}
  const trackTable = ticketType === 'serviceRequest' ? String(attributes.trackTable ?? 'sc_request') : ''
  if (ticketType === 'serviceRequest' && !['sc_request', 'sc_req_item'].includes(trackTable)) {
    throw new IdnErrors.INTEGRATION_INVALID('attributes.trackTable must be sc_request or sc_req_item')
  }
  const table =
    ticketType === 'incident' ? 'incident' : ticketType === 'generic' ? String(attributes.table ?? '') : trackTable
  if (ticketType === 'generic' && !/^[a-z][a-z0-9_]*$/.test(table)) {
    throw new IdnErrors.INTEGRATION_INVALID('attributes.table must name the ServiceNow table of a generic ticket')
  }
  const defaultMap =
    ticketType === 'incident' ? INCIDENT_STATE_MAP : trackTable === 'sc_request' ? REQUEST_STATE_MAP : TASK_STATE_MAP
  const givenMap = checkStatus.statusMap ?? attributes.statusMap
  const statusMap = givenMap === undefined ? defaultMap : validateStatusMap(givenMap, 'attributes.statusMap')
  const stateField = String(
    attributes.stateField ??
      (ticketType === 'serviceRequest' && trackTable === 'sc_request' ? 'request_state' : 'state'),
  )
  const limit = attributes.descriptionLimit ?? 4000
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 100) {
    throw new IdnErrors.INTEGRATION_INVALID('attributes.descriptionLimit must be a whole number of at least 100')
  }
  const maxDaysOutcome = (attributes.maxDaysOutcome ?? 'Failed') as MaxDaysOutcome
  if (!MAX_DAYS_OUTCOMES.includes(maxDaysOutcome)) {
    throw new IdnErrors.INTEGRATION_INVALID(`attributes.maxDaysOutcome must be one of ${MAX_DAYS_OUTCOMES.join(', ')}`)
  }
  const provision = isRecord(perType.provision) ? perType.provision : {}
  const request = {
    ...DEFAULT_REQUEST,
    ...stringMap(attributes.request, 'request'),
    ...stringMap(provision.request, `${ticketType}.provision.request`),
  }
  return {
    ticketType,
    catalogItem: {
      ...stringMap(attributes.catalogItem, 'catalogItem'),
      ...stringMap(provision.catalogItem, `${ticketType}.provision.catalogItem`),
    },
    trackTable,
    table,
    request,
    statusMap,
    stateField,
    descriptionLimit: limit,
    maxDaysOutcome,
  }
}

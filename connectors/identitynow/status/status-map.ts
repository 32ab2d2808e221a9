// Status maps turn a ServiceNow state into IdentityNow's provisioning status vocabulary:
// Queued (keep polling), Committed (done), Failed. SailPoint requires at least one Committed
// value. Unknown states stay Queued, with a warning, so a renamed state never closes a ticket.
import { IdnErrors } from '../errors.ts'

export const PROVISIONING_STATUSES = ['Queued', 'Committed', 'Failed'] as const
export type ProvisioningStatus = (typeof PROVISIONING_STATUSES)[number]
export type StatusMap = Record<string, ProvisioningStatus>

/** SailPoint's default ServiceNow map, keyed by sc_request.request_state (SIM spec example). */
export const REQUEST_STATE_MAP: StatusMap = {
  requested: 'Queued',
  in_process: 'Queued',
  closed_complete: 'Committed',
  closed_incomplete: 'Failed',
  closed_cancelled: 'Failed',
  closed_rejected: 'Failed',
  closed_skipped: 'Failed',
}

/** sc_req_item.state / task states: -5 pending, 1 open, 2 work in progress, 3 closed complete, 4 closed incomplete, 7 closed skipped. */
export const TASK_STATE_MAP: StatusMap = {
  '-5': 'Queued',
  '1': 'Queued',
  '2': 'Queued',
  '3': 'Committed',
  '4': 'Failed',
  '7': 'Failed',
}

/** incident.state: 1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled. */
export const INCIDENT_STATE_MAP: StatusMap = {
  '1': 'Queued',
  '2': 'Queued',
  '3': 'Queued',
  '6': 'Committed',
  '7': 'Committed',
  '8': 'Failed',
}

/** Checks a map as given by a client; returns it typed, or throws naming the first fault. */
export function validateStatusMap(map: unknown, where = 'statusMap'): StatusMap {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    throw new IdnErrors.STATUS_MAP_INVALID(`${where} must be an object of ServiceNow state -> Queued|Committed|Failed`)
  }
  const entries = Object.entries(map as Record<string, unknown>)
  for (const [state, status] of entries) {
    if (!PROVISIONING_STATUSES.includes(status as ProvisioningStatus)) {
      throw new IdnErrors.STATUS_MAP_INVALID(
        `${where}["${state}"] is ${JSON.stringify(status)}; use Queued, Committed or Failed`,
      )
    }
  }
  if (!entries.some(([, status]) => status === 'Committed')) {
    throw new IdnErrors.STATUS_MAP_INVALID(`${where} must map at least one state to Committed`)
  }
  return map as StatusMap
}

export interface MappedStatus {
  status: ProvisioningStatus
  /** set when the state is not in the map */
  warning?: string
}

export function mapStatus(map: StatusMap, externalState: string | undefined): MappedStatus {
  const state = externalState ?? ''
  const status = Object.hasOwn(map, state) ? map[state] : undefined
  if (status) return { status }
  return { status: 'Queued', warning: `ServiceNow state "${state}" is not in the status map; treated as Queued` }
}

// The "Provisioning Completed" shape of IdentityNow's event trigger
// (https://github.com/sailpoint-oss/api-specs/blob/main/idn/apis/triggers/schemas/provisioningcompleted.yaml), built from a closed record:
// ticketId, provisioningTarget (the integration's name) and provisioningResult per account request.
import type { ProvisioningRecord } from '../provisioning/records.ts'

export type ProvisioningResult = 'SUCCESS' | 'PENDING' | 'FAILED'

export interface ProvisioningCompleted {
  trackingNumber: string
  sources: string
  action: string | null
  errors: string[] | null
  warnings: string[] | null
  recipient: { type: 'IDENTITY'; id: string; name: string }
  requester: { type: 'IDENTITY'; id: string; name: string } | null
  accountRequests: Array<{
    source: { id: string; type: 'SOURCE'; name: string }
    accountId?: string
    accountOperation: string
    provisioningResult: ProvisioningResult
    provisioningTarget: string
    ticketId: string | null
    attributeRequests: Array<{
      attributeName: string
      attributeValue: string | null
      operation: 'Add' | 'Set' | 'Remove'
    }> | null
  }>
}

export function resultOf(state: ProvisioningRecord['state']): ProvisioningResult {
  return state === 'committed' ? 'SUCCESS' : state === 'failed' ? 'FAILED' : 'PENDING'
}

export function provisioningCompleted(record: ProvisioningRecord, provisioningTarget: string): ProvisioningCompleted {
  const plan = record.plan
  const result = resultOf(record.state)
  const requests = plan.accountRequests.filter((r) => r.source.id === record.sourceId)
  return {
    trackingNumber: plan.requestId ?? record.correlationId,
    sources: record.sourceName,
    action: typeof plan.arguments?.action === 'string' ? plan.arguments.action : null,
    errors: result === 'FAILED' && record.message ? [record.message] : null,
    warnings: null,
    recipient: { type: 'IDENTITY', id: plan.identity.id, name: plan.identity.name },
    requester: plan.requester ? { type: 'IDENTITY', id: plan.requester.id, name: plan.requester.name } : null,
    accountRequests: requests.map((r) => ({
      source: { id: r.source.id, type: 'SOURCE', name: r.source.name },
      ...(r.nativeIdentity ? { accountId: r.nativeIdentity } : {}),
      accountOperation: r.operation,
      provisioningResult: result,
      provisioningTarget,
      ticketId: record.ticketNumber,
      attributeRequests: r.attributeRequests
        ? r.attributeRequests.map((a) => ({
            attributeName: a.name,
            attributeValue:
              a.value === undefined || a.value === null
                ? null
                : Array.isArray(a.value)
                  ? a.value.join(',')
                  : String(a.value),
            operation: a.operation,
          }))
        : null,
    })),
  }
}

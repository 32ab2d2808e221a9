// The "Provisioning Completed" shape of IdentityNow's event trigger
// (https://github.com/sailpoint-oss/api-specs/blob/main/idn/apis/triggers/schemas/provisioningcompleted.yaml), built from a closed record:
// ticketId, provisioningTarget (the integration's name) and provisioningResult per account request.
import { Type, type Static } from 'typebox'
import type { ProvisioningRecord } from '../provisioning/records.ts'

const ProvisioningResultSchema = Type.Union([Type.Literal('SUCCESS'), Type.Literal('PENDING'), Type.Literal('FAILED')])
export type ProvisioningResult = Static<typeof ProvisioningResultSchema>

const Identity = Type.Object({ type: Type.Literal('IDENTITY'), id: Type.String(), name: Type.String() })
const Strings = Type.Union([Type.Array(Type.String()), Type.Null()])

export const ProvisioningCompletedSchema = Type.Object(
  {
    trackingNumber: Type.String(),
    sources: Type.String(),
    action: Type.Union([Type.String(), Type.Null()]),
    errors: Strings,
    warnings: Strings,
    recipient: Identity,
    requester: Type.Union([Identity, Type.Null()]),
    accountRequests: Type.Array(
      Type.Object({
        source: Type.Object({ id: Type.String(), type: Type.Literal('SOURCE'), name: Type.String() }),
        accountId: Type.Optional(Type.String()),
        accountOperation: Type.String(),
        provisioningResult: ProvisioningResultSchema,
        provisioningTarget: Type.String(),
        ticketId: Type.Union([Type.String(), Type.Null()]),
        attributeRequests: Type.Union([
          Type.Array(
            Type.Object({
              attributeName: Type.String(),
              attributeValue: Type.Union([Type.String(), Type.Null()]),
              operation: Type.Union([Type.Literal('Add'), Type.Literal('Set'), Type.Literal('Remove')]),
            }),
          ),
          Type.Null(),
        ]),
      }),
    ),
  },
  { title: 'ProvisioningCompleted' },
)
export type ProvisioningCompleted = Static<typeof ProvisioningCompletedSchema>

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

// The provisioning plan the hub accepts (a JSON projection of sailpoint.object.ProvisioningPlan,
// https://developer.sailpoint.com/docs/extensibility/rules/cloud-rules/before-provisioning-rule): identity, arguments (identityRequestId, uid, displayName ...),
// and account requests with their operation and attribute requests.
import { createHash } from 'node:crypto'
import { Type, type Static } from 'typebox'
import { literals } from '../../../core/schema/literals.ts'

export const ACCOUNT_OPERATIONS = ['Create', 'Modify', 'Enable', 'Disable', 'Unlock', 'Delete'] as const
export const ATTRIBUTE_OPERATIONS = ['Add', 'Remove', 'Set'] as const

const Named = Type.Object({ id: Type.String({ minLength: 1 }), name: Type.String() }, { additionalProperties: true })

export const AttributeRequestSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    value: Type.Optional(Type.Unknown()),
    operation: literals(ATTRIBUTE_OPERATIONS),
  },
  { additionalProperties: true },
)

export const AccountRequestSchema = Type.Object(
  {
    source: Named,
    nativeIdentity: Type.Optional(Type.String()),
    operation: literals(ACCOUNT_OPERATIONS),
    attributeRequests: Type.Optional(Type.Array(AttributeRequestSchema)),
  },
  { additionalProperties: true },
)

export const ProvisioningPlanSchema = Type.Object(
  {
    /** IdentityNow's tracking number / identity request id; keys retried intake */
    requestId: Type.Optional(Type.String({ minLength: 1 })),
    identity: Named,
    requester: Type.Optional(Named),
    arguments: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    accountRequests: Type.Array(AccountRequestSchema, { minItems: 1 }),
  },
  { additionalProperties: true },
)

export type ProvisioningPlan = Static<typeof ProvisioningPlanSchema>
export type AccountRequest = Static<typeof AccountRequestSchema>

/** Stable JSON (sorted keys) so that equal plans hash equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/**
 * The correlation value of the part of a plan that goes to one source: the same plan sent twice
 * gives the same value, so a retried intake finds the first ticket. It is written on the ticket.
 */
export function correlationId(plan: ProvisioningPlan, sourceId: string, requests: AccountRequest[]): string {
  const digest = createHash('sha256')
    .update(canonical({ requestId: plan.requestId ?? null, identity: plan.identity.id, sourceId, requests }))
    .digest('hex')
  return `cw-idn-${digest.slice(0, 40)}`
}

/** Account requests grouped by source id, in plan order. */
export function bySource(plan: ProvisioningPlan): Map<string, AccountRequest[]> {
  const groups = new Map<string, AccountRequest[]>()
  for (const request of plan.accountRequests) {
    const list = groups.get(request.source.id) ?? []
    list.push(request)
    groups.set(request.source.id, list)
  }
  return groups
}

/** What templates see: SailPoint's `$plan.arguments`, `$plan.requests` (with `items`) and the rest. */
export function templateContext(plan: ProvisioningPlan, requests: AccountRequest[]): Record<string, unknown> {
  const arguments_ = {
    identityRequestId: plan.requestId,
    uid: plan.identity.name,
    displayName: plan.identity.name,
    ...(plan.arguments ?? {}),
  }
  const shaped = requests.map((r) => ({
    ...r,
    application: r.source.name,
    applicationId: r.source.id,
    op: r.operation,
    items: (r.attributeRequests ?? []).map((a) => ({ ...a, op: a.operation, value: displayValue(a.value) })),
  }))
  return {
    plan: { ...plan, arguments: arguments_, requests: shaped, identity: plan.identity },
    identity: plan.identity,
    requester: plan.requester,
  }
}

function displayValue(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.map(displayValue).join(', ')
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

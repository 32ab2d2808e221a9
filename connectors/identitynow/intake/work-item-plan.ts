// A manual work item (ISC Task Manager) as the provisioning plan the hub's intake takes. ISC
// creates one for each operation it cannot run on a disconnected source; its approval items name
// the account, the source (by name), the attribute, the operation and the value. The plan is a pure
// function of the work item, and its requestId is the work item's id, so the intake's
// correlation id is the same at every poll and on every hub instance: re-polling finds the
// first ticket instead of making a second.
import type { AccountRequest, ProvisioningPlan } from '../provisioning/plan.ts'
import { ACCOUNT_OPERATIONS, ATTRIBUTE_OPERATIONS } from '../provisioning/plan.ts'
import type { WorkItem } from '../tenant/client.ts'

/** requestId of plans made from work items; the tenant notifier skips these (they are not access requests). */
export const WORK_ITEM_REQUEST_PREFIX = 'work-item:'

export function workItemIdOf(plan: Pick<ProvisioningPlan, 'requestId'>): string | undefined {
  const id = plan.requestId
  return id?.startsWith(WORK_ITEM_REQUEST_PREFIX) ? id.slice(WORK_ITEM_REQUEST_PREFIX.length) : undefined
}

export type Conversion =
  | { kind: 'plan'; plan: ProvisioningPlan }
  /** on no managed source: left for people in Task Manager */
  | { kind: 'not-ours' }
  /** ours, but not expressible as a plan (an operation we cannot read, mixed sources) */
  | { kind: 'unreadable'; reason: string }

type AccountOperation = AccountRequest['operation']
type AttributeOperation = (typeof ATTRIBUTE_OPERATIONS)[number]

const accountOps = new Map(ACCOUNT_OPERATIONS.map((op) => [op.toLowerCase(), op as AccountOperation]))
const attributeOps = new Map(ATTRIBUTE_OPERATIONS.map((op) => [op.toLowerCase(), op as AttributeOperation]))

interface Line {
  sourceName: string
  account: string
  attribute: string | null
  operation: string
  value: string | null
}

function lines(item: WorkItem): Line[] {
  if (item.approvalItems && item.approvalItems.length > 0) {
    return sortedByContent(
      item.approvalItems.map((a) => ({
        sourceName: a.application ?? '',
        account: a.account ?? '',
        attribute: a.name ? a.name : null,
        operation: a.operation ?? '',
        value: a.value ?? null,
      })),
    )
  }
  return sortedByContent(
    (item.remediationItems ?? []).map((r) => ({
      sourceName: r.applicationName ?? '',
      account: r.nativeIdentity ?? '',
      attribute: r.attributeName ? r.attributeName : null,
      // a certification revocation removes the item
      operation: r.attributeOperation ?? 'Remove',
      value: r.attributeValue ?? null,
    })),
  )
}

/**
 * Lines in an order fixed by their content (source, account, account line first, attribute,
 * value, operation): the plan, and so its correlation id, must not depend on the order the tenant
 * answers in.
 */
function sortedByContent(all: Line[]): Line[] {
  const key = (l: Line) =>
    [l.sourceName, l.account, l.attribute === null ? '0' : `1${l.attribute}`, l.value ?? '', l.operation].join('\u0000')
  return all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

/**
 * Converts a pending work item. `managed` maps the names of the sources the hub's integrations
 * manage to their ids (approval items carry the source's name only).
 */
export function planOf(item: WorkItem, managed: ReadonlyMap<string, string>): Conversion {
  const all = lines(item)
  if (all.length === 0) return { kind: 'not-ours' }
  const ours = all.filter((l) => managed.has(l.sourceName))
  if (ours.length === 0) return { kind: 'not-ours' }
  if (ours.length !== all.length)
    return { kind: 'unreadable', reason: 'the work item mixes managed and unmanaged sources' }

  const requests = new Map<string, AccountRequest>()
  for (const line of ours) {
    const sourceId = managed.get(line.sourceName) as string
    const key = `${sourceId}\u0000${line.account}`
    const request: AccountRequest = requests.get(key) ?? {
      source: { id: sourceId, name: line.sourceName },
      ...(line.account ? { nativeIdentity: line.account } : {}),
      operation: 'Modify',
    }
    requests.set(key, request)
    const op = line.operation.trim().toLowerCase()
    const accountOp = accountOps.get(op)
    const attributeOp = attributeOps.get(op)
    if (line.attribute === null) {
      if (!accountOp) return { kind: 'unreadable', reason: `account operation "${line.operation}" is not known` }
      request.operation = accountOp
    } else if (attributeOp || accountOp) {
      // an attribute line under an account operation (e.g. the values of a Create) sets the value
      const attributeRequests = request.attributeRequests ?? []
      attributeRequests.push({
        name: line.attribute,
        ...(line.value !== null ? { value: line.value } : {}),
        operation: attributeOp ?? 'Set',
      })
      request.attributeRequests = attributeRequests
    } else {
      return { kind: 'unreadable', reason: `attribute operation "${line.operation}" is not known` }
    }
  }

  const target = item.remediationItems?.find((r) => r.targetId)
  const account = ours.find((l) => l.account)?.account
  // WorkItems carry no identity id for manual actions: the account name stands in for it
  const identity = target?.targetId
    ? { id: target.targetId, name: target.targetDisplayName ?? target.targetName ?? target.targetId }
    : { id: account ?? item.id, name: account ?? item.id }
  const plan: ProvisioningPlan = {
    requestId: `${WORK_ITEM_REQUEST_PREFIX}${item.id}`,
    identity,
    ...(item.requesterId
      ? { requester: { id: item.requesterId, name: item.requesterDisplayName ?? item.requesterId } }
      : {}),
    arguments: {
      identityRequestId: item.id,
      workItemId: item.id,
      workItemType: item.type ?? null,
      workItemName: item.name ?? null,
      description: item.description ?? null,
      action: 'ManualWorkItem',
    },
    accountRequests: [...requests.values()],
  }
  return { kind: 'plan', plan }
}

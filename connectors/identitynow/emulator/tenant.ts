// The state of an emulated IdentityNow tenant: sources, identities with a lifecycle state,
// roles (entitlements on sources), account activities, and the completions the hub reported.
// Actions (lifecycle change, role grant, access request) produce provisioning plans in the shape
// the hub's intake takes (a JSON ProvisioningPlan, see provisioning/plan.ts). A source marked
// manual (disconnected) is not provisioned: its part of a plan becomes a Pending manual work item
// in Task Manager (v3 WorkItems shape), which someone (or the hub) completes.
import { randomBytes } from 'node:crypto'
import type { AccountRequest, ProvisioningPlan } from '../provisioning/plan.ts'

export interface EmulatedSource {
  id: string
  name: string
  /** accounts created on this source when an identity becomes Active */
  birthright: boolean
  /** disconnected: ISC opens manual work items instead of provisioning */
  manual: boolean
  /** the identity that owns the source, and so its manual work items */
  ownerId: string
}

export interface EmulatedIdentity {
  id: string
  name: string
  lifecycleState: string
  accounts: Record<string, string>
}

export interface EmulatedRole {
  id: string
  name: string
  entitlements: Array<{ sourceId: string; attribute: string; value: string }>
}

export type ActivityItemStatus = 'PENDING' | 'COMMITED' | 'FAILED'

export interface AccountActivityItem {
  sourceId: string
  operation: AccountRequest['operation']
  provisioningStatus: ActivityItemStatus
  /** set when the item went to a service desk integration */
  ticketId: string | null
  provisioningTarget: string
}

export interface AccountActivity {
  id: string
  type: 'LifecycleStateChange' | 'appRequest' | 'AccountAttributeUpdate'
  identityId: string
  completionStatus: 'PENDING' | 'SUCCESS' | 'FAILURE' | 'INCOMPLETE'
  items: AccountActivityItem[]
  plan: ProvisioningPlan
}

export type WorkItemState = 'Finished' | 'Rejected' | 'Returned' | 'Expired' | 'Pending' | 'Canceled'

/** ApprovalItemDetails: one account or attribute operation of a manual work item. */
export interface EmulatedApprovalItem {
  id: string
  account: string | null
  application: string
  name: string | null
  operation: string
  value: string | null
  state: WorkItemState
}

/** The v3 WorkItems object as the tenant keeps it. */
export interface EmulatedWorkItem {
  id: string
  requesterId: string | null
  requesterDisplayName: string | null
  ownerId: string
  ownerName: string
  created: string
  modified: string | null
  description: string
  state: WorkItemState
  type: 'ManualAction'
  remediationItems: []
  approvalItems: EmulatedApprovalItem[]
  name: string
  completed: string | null
  numItems: number
  errors: string[]
  /** not in the public shape: where the work item came from */
  activityId: string
  sourceId: string
}

export const newObjectId = (): string => randomBytes(16).toString('hex')

// Task Manager's task names (documentation.sailpoint.com/saas/user-help/task_manager.html)
const TASK_NAMES: Record<string, string> = {
  Create: 'Create an Account',
  Delete: 'Delete an Account',
  Disable: 'Disable an Account',
  Enable: 'Enable an Account',
  Unlock: 'Unlock an Account',
  Add: 'Add an Attribute',
  Remove: 'Remove an Attribute',
  Set: 'Set an Attribute',
}

export class EmulatedTenant {
  readonly sources = new Map<string, EmulatedSource>()
  readonly identities = new Map<string, EmulatedIdentity>()
  readonly roles = new Map<string, EmulatedRole>()
  readonly activities = new Map<string, AccountActivity>()
  /** bodies of POST /v2024/access-requests/close, in order */
  readonly closeRequests: Array<Record<string, unknown>> = []
  readonly workItems = new Map<string, EmulatedWorkItem>()
  /** HTTP statuses (429, 5xx) the next requests are answered with, one each, before any other handling */
  readonly faults: number[] = []
  /** POST /v3/work-items/{id} calls that completed a work item: id, body (the comment), time */
  readonly workItemCompletions: Array<{ id: string; comment: unknown; at: string }> = []
  /** the identity behind the emulator's API clients; owns sources unless told otherwise */
  readonly adminIdentityId = newObjectId()
  readonly adminName = 'Tenant Admin'

  addSource(
    name: string,
    options: { id?: string; birthright?: boolean; manual?: boolean; ownerId?: string } = {},
  ): EmulatedSource {
    const source = {
      id: options.id ?? newObjectId(),
      name,
      birthright: options.birthright ?? true,
      manual: options.manual ?? false,
      ownerId: options.ownerId ?? this.adminIdentityId,
    }
    this.sources.set(source.id, source)
    return source
  }

  /**
   * The manual-source part of a plan as Pending work items, one per account request, owned by the
   * source's owner: an account line (name null) for the account operation and one line per
   * attribute request.
   */
  openWorkItems(plan: ProvisioningPlan, activityId: string): EmulatedWorkItem[] {
    const opened: EmulatedWorkItem[] = []
    for (const request of plan.accountRequests) {
      const source = this.sources.get(request.source.id)
      if (!source?.manual) continue
      const account = request.nativeIdentity ?? null
      const line = (name: string | null, operation: string, value: unknown): EmulatedApprovalItem => ({
        id: newObjectId(),
        account,
        application: source.name,
        name,
        operation,
        value: value === undefined || value === null ? null : Array.isArray(value) ? value.join(',') : String(value),
        state: 'Pending',
      })
      const attributes = request.attributeRequests ?? []
      const approvalItems = [
        ...(request.operation === 'Modify' ? [] : [line(null, request.operation, null)]),
        ...attributes.map((a) => line(a.name, a.operation, a.value)),
      ]
      const first = request.operation === 'Modify' ? (attributes[0]?.operation ?? 'Set') : request.operation
      const owner = this.identities.get(source.ownerId)
      const item: EmulatedWorkItem = {
        id: newObjectId(),
        requesterId: plan.requester?.id ?? null,
        requesterDisplayName: plan.requester?.name ?? null,
        ownerId: source.ownerId,
        ownerName: owner?.name ?? this.adminName,
        created: new Date().toISOString(),
        modified: null,
        description: `${TASK_NAMES[first] ?? first} for ${plan.identity.name} on ${source.name}`,
        state: 'Pending',
        type: 'ManualAction',
        remediationItems: [],
        approvalItems,
        name: TASK_NAMES[first] ?? first,
        completed: null,
        numItems: approvalItems.length,
        errors: [],
        activityId,
        sourceId: source.id,
      }
      this.workItems.set(item.id, item)
      opened.push(item)
    }
    return opened
  }

  /** Marks a work item done (as Task Manager's Mark Complete) and settles its account activity item. */
  completeWorkItem(id: string, comment: unknown): EmulatedWorkItem {
    const item = this.workItems.get(id)
    if (!item) throw new Error(`no work item ${id}`)
    const at = new Date().toISOString()
    for (const approval of item.approvalItems) if (approval.state === 'Pending') approval.state = 'Finished'
    item.state = 'Finished'
    item.completed = at
    item.modified = at
    this.workItemCompletions.push({ id, comment, at })
    const activity = this.activities.get(item.activityId)
    const activityItem = activity?.items.find((i) => i.sourceId === item.sourceId && i.provisioningStatus === 'PENDING')
    if (activity && activityItem) {
      activityItem.provisioningStatus = item.approvalItems.some((a) => a.state === 'Rejected') ? 'FAILED' : 'COMMITED'
      if (activity.items.every((i) => i.provisioningStatus !== 'PENDING')) {
        activity.completionStatus = activity.items.every((i) => i.provisioningStatus === 'COMMITED')
          ? 'SUCCESS'
          : 'FAILURE'
      }
    }
    return item
  }

  addIdentity(name: string, lifecycleState = 'prehire'): EmulatedIdentity {
    const identity = { id: newObjectId(), name, lifecycleState, accounts: {} }
    this.identities.set(identity.id, identity)
    return identity
  }

  addRole(name: string, entitlements: EmulatedRole['entitlements']): EmulatedRole {
    const role = { id: newObjectId(), name, entitlements }
    this.roles.set(role.id, role)
    return role
  }

  #identity(id: string): EmulatedIdentity {
    const identity = this.identities.get(id)
    if (!identity) throw new Error(`no identity ${id}`)
    return identity
  }

  #source(id: string): { id: string; name: string } {
    const source = this.sources.get(id)
    if (!source) throw new Error(`no source ${id}`)
    return { id: source.id, name: source.name }
  }

  #plan(identity: EmulatedIdentity, requests: AccountRequest[], action: string): ProvisioningPlan {
    return {
      requestId: newObjectId(),
      identity: { id: identity.id, name: identity.name },
      arguments: {
        identityRequestId: newObjectId(),
        uid: identity.name.toLowerCase().replace(/\s+/g, '.'),
        displayName: identity.name,
        action,
      },
      accountRequests: requests,
    }
  }

  /** Pre-Hire -> Active creates the birthright accounts; Active -> Inactive disables them. */
  lifecycleChange(identityId: string, state: string): ProvisioningPlan {
    const identity = this.#identity(identityId)
    const previous = identity.lifecycleState
    identity.lifecycleState = state
    const uid = identity.name.toLowerCase().replace(/\s+/g, '.')
    const requests: AccountRequest[] = []
    for (const source of this.sources.values()) {
      if (!source.birthright) continue
      if (state === 'active' && previous === 'prehire') {
        requests.push({
          source: this.#source(source.id),
          nativeIdentity: uid,
          operation: 'Create',
          attributeRequests: [
            { name: 'displayName', value: identity.name, operation: 'Set' },
            { name: 'department', value: 'Engineering', operation: 'Set' },
          ],
        })
      } else if (state === 'active') {
        requests.push({ source: this.#source(source.id), nativeIdentity: uid, operation: 'Enable' })
      } else if (state === 'inactive') {
        requests.push({ source: this.#source(source.id), nativeIdentity: uid, operation: 'Disable' })
      }
    }
    return this.#plan(identity, requests, 'LifecycleStateChange')
  }

  /** A role grant adds the role's entitlements on their sources. */
  grantRole(identityId: string, roleId: string): ProvisioningPlan {
    const identity = this.#identity(identityId)
    const role = this.roles.get(roleId)
    if (!role) throw new Error(`no role ${roleId}`)
    const bySource = new Map<string, AccountRequest>()
    for (const e of role.entitlements) {
      const request = bySource.get(e.sourceId) ?? {
        source: this.#source(e.sourceId),
        nativeIdentity: identity.name.toLowerCase().replace(/\s+/g, '.'),
        operation: 'Modify' as const,
        attributeRequests: [],
      }
      request.attributeRequests?.push({ name: e.attribute, value: e.value, operation: 'Add' })
      bySource.set(e.sourceId, request)
    }
    return this.#plan(identity, [...bySource.values()], 'RoleGrant')
  }

  /** An access request for one entitlement (or removal of it). */
  accessRequest(
    identityId: string,
    sourceId: string,
    attribute: string,
    value: string,
    remove = false,
  ): ProvisioningPlan {
    const identity = this.#identity(identityId)
    return this.#plan(
      identity,
      [
        {
          source: this.#source(sourceId),
          nativeIdentity: identity.name.toLowerCase().replace(/\s+/g, '.'),
          operation: 'Modify',
          attributeRequests: [{ name: attribute, value, operation: remove ? 'Remove' : 'Add' }],
        },
      ],
      'AccessRequest',
    )
  }
}

// The state of an emulated IdentityNow tenant: sources, identities with a lifecycle state,
// roles (entitlements on sources), account activities, and the completions the hub reported.
// Actions (lifecycle change, role grant, access request) produce provisioning plans in the shape
// the hub's intake takes (a JSON ProvisioningPlan, reference identitynow.md §2.2).
import { randomBytes } from 'node:crypto'
import type { AccountRequest, ProvisioningPlan } from '../provisioning/plan.ts'

export interface EmulatedSource {
  id: string
  name: string
  /** accounts created on this source when an identity becomes Active */
  birthright: boolean
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

export const newObjectId = (): string => randomBytes(16).toString('hex')

export class EmulatedTenant {
  readonly sources = new Map<string, EmulatedSource>()
  readonly identities = new Map<string, EmulatedIdentity>()
  readonly roles = new Map<string, EmulatedRole>()
  readonly activities = new Map<string, AccountActivity>()
  /** bodies of POST /v2024/access-requests/close, in order */
  readonly closeRequests: Array<Record<string, unknown>> = []

  addSource(name: string, options: { id?: string; birthright?: boolean } = {}): EmulatedSource {
    const source = { id: options.id ?? newObjectId(), name, birthright: options.birthright ?? true }
    this.sources.set(source.id, source)
    return source
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

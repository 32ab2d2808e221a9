// Public entry of the IdentityNow tenant emulator: sources, identities, roles and their actions
// become provisioning plans; the tenant routes them to the hub's intake (which answers which
// sources are managed by a service desk integration), provisions the others itself, and records
// what the hub reports back when tickets close. Manual (disconnected) sources never reach the
// hub's REST intake: their part of a plan becomes Pending manual work items (Work Items API).
import type { ProvisioningPlan } from '../provisioning/plan.ts'
import { buildTenantServer, type TenantClient } from './server.ts'
import { EmulatedTenant, newObjectId, type AccountActivity } from './tenant.ts'

export { EmulatedTenant, type TenantClient }

export interface HubLink {
  /** the hub's base URL */
  url: string
  /** a bearer token the hub accepts with at least the operator role */
  token: string
}

interface IntakeOutcome {
  sourceId: string
  routing: 'not-ours' | 'ticket'
  ticketId?: string | null
  integrationId?: string
  state?: string
}

export interface RunningTenant {
  url: string
  tenant: EmulatedTenant
  client: TenantClient
  /** sends a plan through the hub and records the account activity it produced */
  provision(plan: ProvisioningPlan, type?: AccountActivity['type']): Promise<AccountActivity>
  close(): Promise<void>
}

export async function startIdentityNowEmulator(options: {
  hub: HubLink
  client?: TenantClient
}): Promise<RunningTenant> {
  const tenant = new EmulatedTenant()
  const client = options.client ?? { clientId: newObjectId(), clientSecret: newObjectId() }
  const app = await buildTenantServer(tenant, [client])
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    url,
    tenant,
    client,
    async provision(plan, type = 'LifecycleStateChange') {
      const activityId = plan.requestId ?? newObjectId()
      const manualItems = tenant.openWorkItems(plan, activityId).map((w) => ({
        sourceId: w.sourceId,
        operation: plan.accountRequests.find((r) => r.source.id === w.sourceId)?.operation ?? ('Modify' as const),
        provisioningStatus: 'PENDING' as const,
        ticketId: null,
        provisioningTarget: w.ownerName,
      }))
      const routed = plan.accountRequests.filter((r) => !tenant.sources.get(r.source.id)?.manual)
      const sources = routed.length > 0 ? await routeToHub({ ...plan, accountRequests: routed }) : []
      const items = sources.map((outcome) => {
        const request = plan.accountRequests.find((r) => r.source.id === outcome.sourceId)
        const ticketed = outcome.routing === 'ticket'
        return {
          sourceId: outcome.sourceId,
          operation: request?.operation ?? 'Modify',
          // a source no integration manages is provisioned by its own connector at once
          provisioningStatus: ticketed ? ('PENDING' as const) : ('COMMITED' as const),
          ticketId: ticketed ? (outcome.ticketId ?? null) : null,
          provisioningTarget: ticketed ? (outcome.integrationId ?? '') : (request?.source.name ?? outcome.sourceId),
        }
      })
      items.push(...manualItems)
      const activity: AccountActivity = {
        id: activityId,
        type,
        identityId: plan.identity.id,
        completionStatus: items.every((i) => i.provisioningStatus === 'COMMITED') ? 'SUCCESS' : 'PENDING',
        items,
        plan,
      }
      tenant.activities.set(activity.id, activity)
      return activity
    },
    async close() {
      await app.close()
    },
  }

  async function routeToHub(plan: ProvisioningPlan): Promise<IntakeOutcome[]> {
    const res = await fetch(new URL('/api/v1/identitynow/provisioning-plans', options.hub.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${options.hub.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(plan),
      signal: AbortSignal.timeout(30_000),
    })
    if (!res.ok) throw new Error(`hub intake answered ${res.status}: ${await res.text()}`)
    return ((await res.json()) as { sources: IntakeOutcome[] }).sources
  }
}

// Public entry of the IdentityNow tenant emulator: sources, identities, roles and their actions
// become provisioning plans; the tenant routes them to the hub's intake (which answers which
// sources are managed by a service desk integration), provisions the others itself, and records
// what the hub reports back when tickets close.
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
      const res = await fetch(new URL('/api/v1/identitynow/provisioning-plans', options.hub.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${options.hub.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(plan),
        signal: AbortSignal.timeout(30_000),
      })
      if (!res.ok) throw new Error(`hub intake answered ${res.status}: ${await res.text()}`)
      const { sources } = (await res.json()) as { sources: IntakeOutcome[] }
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
      const activity: AccountActivity = {
        id: plan.requestId ?? newObjectId(),
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
}

// A hub with the IdentityNow module for tests: config, store (PGlite or the test server),
// kernel, the hub's auth and the module, with an in-memory vault standing in for app.vault.
// Gives an admin and a viewer token from the module's POST /oauth/token (for the compatible API)
// and a hub admin token (for the admin API under /api/v1, which API clients' tokens do not open).
import { randomBytes } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import { HUB_MIGRATIONS, validateConfig } from '../../../modules.ts'
import type { SecretStore } from '../../../core/vault/types.ts'
import configPlugin from '../../../plugins/config.ts'
import storePlugin from '../../../plugins/store.ts'
import kernel from '../../../plugins/kernel.ts'
import auth from '../../../plugins/auth.ts'
import swagger from '../../../plugins/external/swagger.ts'
import errorHandler from '../../../plugins/error-handler.ts'
import identitynow, { type IdentityNowPluginOptions } from '../../../connectors/identitynow/plugin.ts'
import type { ProvisioningPlan } from '../../../connectors/identitynow/provisioning/plan.ts'
import { testStore } from '../../helpers/store.ts'

/** The vault contract kept in a Map: tests look inside it to prove secrets were sealed there. */
export class MemoryVault implements SecretStore {
  readonly values = new Map<string, string>()
  async put(owner: string, name: string, value: string) {
    this.values.set(`${owner}\u0000${name}`, value)
  }
  async get(owner: string, name: string) {
    return this.values.get(`${owner}\u0000${name}`)
  }
  async getAll(owner: string) {
    const out: Record<string, string> = {}
    for (const [key, value] of this.values)
      if (key.startsWith(`${owner}\u0000`)) out[key.slice(owner.length + 1)] = value
    return out
  }
  async names(owner: string) {
    return Object.keys(await this.getAll(owner))
  }
  async namesByOwner(owners: readonly string[]) {
    return new Map(await Promise.all(owners.map(async (owner) => [owner, await this.names(owner)] as const)))
  }
  async remove(owner: string, name: string) {
    this.values.delete(`${owner}\u0000${name}`)
  }
  async removeAll(owner: string) {
    for (const name of await this.names(owner)) await this.remove(owner, name)
  }
}

export interface Hub {
  app: FastifyInstance
  vault: MemoryVault
  /** an IdentityNow API client's token (admin role), for the compatible API */
  adminToken: string
  /** an IdentityNow API client's token (viewer role), for the compatible API */
  viewerToken: string
  /** a hub token (admin role), for the admin API under /api/v1 */
  hubToken: string
  admin: { clientId: string; clientSecret: string }
  url: string
}

export async function startHub(
  t: { teardown(fn: () => unknown): void },
  options: Omit<IdentityNowPluginOptions, 'vault'> & { listen?: boolean } = {},
): Promise<Hub> {
  const db = await testStore(t)
  const vault = new MemoryVault()
  const app = Fastify({ logger: false })
  const hubToken = `cw_test_admin_${randomBytes(24).toString('base64url')}`
  await app.register(configPlugin, {
    config: validateConfig({ dataDir: ':memory:', logLevel: 'silent', adminToken: hubToken }),
  })
  // the hub's error answer, its schema (with the API document) and handler, as in app.ts
  await app.register(errorHandler)
  await app.register(swagger)
  await app.register(storePlugin, { db, migrations: HUB_MIGRATIONS })
  await app.register(kernel)
  await app.register(auth)
  await app.register(identitynow, { ...options, vault })
  t.teardown(() => app.close())
  let url = ''
  if (options.listen) url = await app.listen({ host: '127.0.0.1', port: 0 })
  else await app.ready()
  const admin = await app.identitynow.clients.create('sdk-admin', 'admin')
  const viewer = await app.identitynow.clients.create('sdk-viewer', 'viewer')
  const token = async (c: { clientId: string; clientSecret: string }) => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret,
    })
    const res = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    })
    return (res.json() as { access_token: string }).access_token
  }
  return { app, vault, adminToken: await token(admin), viewerToken: await token(viewer), hubToken, admin, url }
}

/** A clock the test moves by hand, shared by the hub and the ServiceNow emulator. */
export function manualClock(start = '2026-11-24T08:00:00Z'): { now: () => Date; advance(ms: number): void } {
  let current = new Date(start)
  return {
    now: () => current,
    advance: (ms) => {
      current = new Date(current.getTime() + ms)
    },
  }
}

/** Integration attributes that reach a ServiceNow emulator as its admin. */
export const emulatorConnection = (url: string) => ({ url, authType: 'Basic', username: 'admin', password: 'admin' })

/** POST /api/v1/identitynow/provisioning-plans with the hub token: the status and the per-source answers. */
export async function postPlan(
  hub: Hub,
  plan: ProvisioningPlan,
): Promise<{ status: number; sources: Array<Record<string, unknown>> }> {
  const res = await hub.app.inject({
    method: 'POST',
    url: '/api/v1/identitynow/provisioning-plans',
    headers: { authorization: `Bearer ${hub.hubToken}` },
    payload: plan,
  })
  return { status: res.statusCode, sources: (res.json() as { sources?: Array<Record<string, unknown>> }).sources ?? [] }
}

// The sandbox: when nothing real is configured, start seeded emulators of ServiceNow and LeanIX
// in-process and point connections at them, so that `npm start` on a fresh machine shows a hub
// with live systems behind it. Sandbox connections are named "sandbox-*"; they are re-pointed at
// each start (the emulators' ports change) and never touched otherwise.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { startServiceNowEmulator } from '../connectors/servicenow/emulator/index.ts'
import { startLeanixEmulator } from '../connectors/leanix/emulator/index.ts'

export const SANDBOX_PREFIX = 'sandbox-'
const SERVICENOW_PASSWORD = 'sandbox-admin'

export async function sandboxWanted(app: FastifyInstance): Promise<boolean> {
  const mode = app.config.sandbox
  if (mode === 'off') return false
  if (mode === 'on') return true
  if (app.config.production) return false
  const { items } = await app.connections.list({ limit: 500 })
  return items.every((c) => c.name.startsWith(SANDBOX_PREFIX))
}

async function upsertConnection(
  app: FastifyInstance,
  name: string,
  connector: string,
  settings: Record<string, unknown>,
): Promise<string> {
  const { items } = await app.connections.list({ connector, limit: 500 })
  const existing = items.find((c) => c.name === name)
  if (existing) return (await app.connections.update(existing.id, { settings })).id
  return (await app.connections.create({ name, connector, settings })).id
}

export default fp(
  async function sandbox(app: FastifyInstance) {
    if (!(await sandboxWanted(app))) return
    const started = performance.now()
    const servicenow = await startServiceNowEmulator({
      adminPassword: SERVICENOW_PASSWORD,
      seed: { seed: 1, relations: 2_000 },
    })
    const leanix = await startLeanixEmulator({ seed: { seed: 1, factSheets: 400 } })
    app.addHook('onClose', async () => {
      await Promise.allSettled([servicenow.close(), leanix.close()])
    })
    await upsertConnection(app, `${SANDBOX_PREFIX}servicenow`, 'servicenow', {
      instanceUrl: servicenow.url,
      allowHttp: true,
      authKind: 'basic',
      username: 'admin',
      password: SERVICENOW_PASSWORD,
    })
    await upsertConnection(app, `${SANDBOX_PREFIX}leanix`, 'leanix', {
      instanceUrl: leanix.url,
      allowHttp: true,
      apiToken: leanix.apiToken,
    })
    app.log.info(
      {
        servicenow: servicenow.url,
        leanix: leanix.url,
        connections: [`${SANDBOX_PREFIX}servicenow`, `${SANDBOX_PREFIX}leanix`],
        ms: Math.round(performance.now() - started),
      },
      'sandbox: seeded ServiceNow and LeanIX emulators started; set CROSSWALK_SANDBOX=off to run without them',
    )
  },
  { name: 'crosswalk-sandbox', dependencies: ['crosswalk-connections'] },
)

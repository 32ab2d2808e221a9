// The sandbox: when nothing real is configured, start seeded emulators of ServiceNow and LeanIX
// in-process, each through its connector's `emulator` capability (loaded only then: a production
// start loads no emulator code), and point connections at them, so that `npm start` on a fresh
// machine shows a hub with live systems behind it, the CSDM default mappings between them and a
// first sync. The emulators keep their data, credentials and ports in <dataDir>/sandbox, so the
// sandbox comes back as it was after a restart. Sandbox connections are named "sandbox-*"; they
// are re-pointed at each start and never touched otherwise.
import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { EmulatorHandle, EmulatorPerson } from '../core/connector/contract.ts'
import { SandboxStateDir } from './sandbox/state.ts'
import { startFirstSync } from './sandbox/first-sync.ts'
import { subscribeLeanixPush } from './sandbox/leanix-push.ts'

export const SANDBOX_PREFIX = 'sandbox-'
/** the systems the sandbox stands in for, by connector name; each gets the people of those before it */
export const SANDBOX_CONNECTORS = ['leanix', 'servicenow'] as const
type SandboxConnector = (typeof SANDBOX_CONNECTORS)[number]

/** Whether to start the sandbox, and why not when it does not start. */
export async function sandboxDecision(app: FastifyInstance): Promise<{ start: boolean; reason: string }> {
  const mode = app.config.sandbox
  if (mode === 'off') return { start: false, reason: 'sandbox is "off" (CROSSWALK_SANDBOX)' }
  if (mode === 'on') return { start: true, reason: 'sandbox is "on" (CROSSWALK_SANDBOX)' }
  if (app.config.production) {
    return { start: false, reason: 'production mode (CROSSWALK_PRODUCTION) never starts it on its own' }
  }
  const { items } = await app.connections.list({ limit: 500 })
  const real = items.filter((c) => !c.name.startsWith(SANDBOX_PREFIX)).map((c) => c.name)
  if (real.length > 0) {
    const shown = real.slice(0, 5).map((n) => `"${n}"`)
    return {
      start: false,
      reason: `connection(s) ${shown.join(', ')}${real.length > 5 ? ` and ${real.length - 5} more` : ''} are configured`,
    }
  }
  return { start: true, reason: 'no connection is configured' }
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

/** Starts one emulator on its remembered port, or on a free one when that port is taken. */
async function startEmulator(
  app: FastifyInstance,
  state: SandboxStateDir,
  name: SandboxConnector,
  people: EmulatorPerson[],
  log: FastifyBaseLogger,
): Promise<EmulatorHandle> {
  const connector = app.connectors.require(name, 'emulator')
  const stateDir = state.emulatorDir(name)
  const options = { host: '127.0.0.1', logger: log, people, ...(stateDir ? { stateDir } : {}) }
  const port = await state.port(name)
  try {
    return await (connector.emulator as NonNullable<typeof connector.emulator>)({ ...options, port })
  } catch (error) {
    if (port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    log.warn(
      { connector: name, port },
      `sandbox: port ${port} of the ${name} emulator is taken; it starts on another one and sandbox-${name} follows it`,
    )
    return (connector.emulator as NonNullable<typeof connector.emulator>)({ ...options, port: 0 })
  }
}

export default fp(
  async function sandbox(app: FastifyInstance) {
    const log = app.log.child({ component: 'sandbox' })
    const decision = await sandboxDecision(app)
    if (!decision.start) {
      if (app.config.sandbox === 'auto')
        log.info(`sandbox: auto mode stands down: ${decision.reason}; CROSSWALK_SANDBOX=on starts it anyway`)
      return
    }
    const started = performance.now()
    const state = new SandboxStateDir(app.config.dataDir)
    const handles = new Map<SandboxConnector, EmulatorHandle>()
    app.addHook('onClose', async () => {
      await Promise.allSettled([...handles.values()].map((h) => h.close()))
    })
    for (const name of SANDBOX_CONNECTORS) {
      const people = [...handles.values()].flatMap((h) => h.people)
      handles.set(name, await startEmulator(app, state, name, people, log))
    }
    await state.rememberPorts(
      Object.fromEntries([...handles].map(([name, handle]) => [name, Number(new URL(handle.url).port)])),
    )
    const connections: Record<string, string> = {}
    for (const [name, handle] of handles) {
      connections[name] = await upsertConnection(app, `${SANDBOX_PREFIX}${name}`, name, handle.connectionSettings)
    }
    // The emulators' credentials go in the message on purpose (fields named password or apiToken
    // are redacted): they open only these local stand-ins, and a newcomer needs them to look in.
    for (const [name, handle] of handles) {
      const credentials = Object.entries(handle.credentials)
        .map(([key, value]) => `${key} ${value}`)
        .join(', ')
      log.info({ connector: name, url: handle.url }, `sandbox: ${name} emulator at ${handle.url}; ${credentials}`)
    }
    log.info(
      { reason: decision.reason, stateDir: state.root ?? null, ms: Math.round(performance.now() - started) },
      'sandbox: seeded ServiceNow and LeanIX emulators started behind the connections sandbox-servicenow and sandbox-leanix; CROSSWALK_SANDBOX=off runs without them',
    )

    // the defaults and the first sync start once the hub is ready, without holding its start up
    let stopRunLog = () => {}
    let firstSync: Promise<void> = Promise.resolve()
    app.addHook('onReady', async () => {
      firstSync = startFirstSync(
        app,
        { leanix: connections.leanix as string, servicenow: connections.servicenow as string },
        log,
      ).then(
        (stop) => {
          stopRunLog = stop
        },
        (err: unknown) =>
          log.error({ err }, 'sandbox: the CSDM default mappings or their first sync could not be started'),
      )
    })
    app.addHook('onListen', async () => {
      try {
        await subscribeLeanixPush(
          app,
          connections.leanix as string,
          (handles.get('leanix') as EmulatorHandle).connectionSettings,
          log,
        )
      } catch (err) {
        log.error({ err }, 'sandbox: the LeanIX emulator could not be subscribed to push its webhooks to the hub')
      }
    })
    app.addHook('onClose', async () => {
      await firstSync
      stopRunLog()
    })
  },
  { name: 'crosswalk-sandbox', dependencies: ['crosswalk-connections', 'crosswalk-sync'] },
)

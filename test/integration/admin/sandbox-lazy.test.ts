// Emulators are loaded only when the sandbox starts (issue 18 point 5): a hub that does not start
// the sandbox has loaded no module of any emulator, and one that does has loaded them (which
// shows this test can see a load). Each hub runs in a process of its own, with a module hook that
// records every module loaded.
import t, { test } from 'tap'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'

// two hubs starting their embedded store: slow on a busy machine
t.setTimeout(600_000)

const root = new URL('../../../', import.meta.url)

const script = `
import { registerHooks } from 'node:module'
const loaded = []
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })
const { default: Fastify } = await import('fastify')
const { default: crosswalk } = await import(new URL('app.ts', process.env.CW_ROOT).href)
const { validateConfig } = await import(new URL('modules.ts', process.env.CW_ROOT).href)
const app = Fastify({ pluginTimeout: 500_000 })
await app.register(crosswalk, { config: validateConfig(JSON.parse(process.env.CW_CONFIG)) })
await app.ready()
await app.close()
process.stdout.write(JSON.stringify(loaded.filter((url) => url.startsWith(process.env.CW_ROOT))))
`

async function modulesLoaded(config: Record<string, unknown>): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root.pathname,
    env: {
      ...process.env,
      CW_ROOT: root.href,
      CW_CONFIG: JSON.stringify({
        dataDir: ':memory:',
        logLevel: 'silent',
        adminToken: randomBytes(24).toString('hex'),
        masterKey: randomBytes(32).toString('base64'),
        ...config,
      }),
    },
    timeout: 540_000,
  })
  return (JSON.parse(stdout) as string[]).map((url) => url.slice(root.href.length))
}

const isEmulator = (path: string) => /^connectors\/[^/]+\/emulator\//.test(path)

test('a production start loads no emulator module; a sandbox start does', async (t) => {
  const [production, sandbox] = await Promise.all([
    modulesLoaded({ production: true, sandbox: 'auto' }),
    modulesLoaded({ sandbox: 'on' }),
  ])
  t.ok(
    production.some((p) => p.startsWith('connectors/servicenow/')),
    'the connectors themselves are loaded',
  )
  t.same(production.filter(isEmulator), [], 'no emulator module is loaded')

  const emulators = sandbox.filter(isEmulator)
  t.ok(emulators.includes('connectors/servicenow/emulator/sandbox.ts'), 'the ServiceNow emulator is loaded on demand')
  t.ok(emulators.includes('connectors/leanix/emulator/sandbox.ts'), 'the LeanIX emulator is loaded on demand')
})

// Builds the hub for a test exactly as production does (`app.register(crosswalk, { config, db })`)
// on a fresh migrated store, with a known admin token and vault key. Closed by t.teardown.
//
//   const hub = await buildTestApp(t)
//   const res = await hub.inject({ method: 'GET', url: '/api/v1/tokens' })        // as admin
//   const viewer = await hub.token('viewer')
//   await hub.inject({ method: 'POST', url: '/api/v1/...', payload }, viewer)      // as viewer
//   await hub.inject({ url: '/api/v1/...' }, null)                                 // no token
import { Writable } from 'node:stream'
import { randomBytes } from 'node:crypto'
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify'
import crosswalk from '../../app.ts'
import { serverErrorOptions } from '../../plugins/server-errors.ts'
import { validateConfig } from '../../modules.ts'
import type { Config } from '../../core/config/schema.ts'
import type { Role } from '../../core/auth/roles.ts'
import type { Db } from '../../core/store/db.ts'
import type { Connector } from '../../core/connector/contract.ts'
import type { SyncPluginOptions } from '../../plugins/sync.ts'
import { loggerOptions } from '../../core/log.ts'
import { testStore } from './store.ts'
import { trustProxyOf } from '../../server-options.ts'

export interface TestAppOptions {
  /** settings on top of the test defaults (raw, as in a config file; validated like one) */
  config?: Record<string, unknown>
  /** capture the log at this level into `logLines` (default: no logging) */
  logLevel?: string
  /** runs on the bare Fastify instance before the hub is registered (onRoute hooks, extra routes) */
  setup?: (app: FastifyInstance) => void | Promise<void>
  /** an existing store (e.g. to restart the hub on the same data); default: a fresh one */
  db?: Db
  /** connectors to install besides the built-in ones */
  connectors?: Connector[]
  /** the sync engine's test seams (hooks, clock) */
  sync?: SyncPluginOptions
}

export interface TestApp {
  /** the bare Fastify instance the hub is registered on (inject, close, onRoute) */
  app: FastifyInstance
  /** the hub's own instance, where its plugins put app.vault, app.auth, app.db, app.connections... */
  hub: FastifyInstance
  db: Db
  config: Config
  /** the admin bearer token (CROSSWALK_ADMIN_TOKEN of this app) */
  adminToken: string
  /** the vault master key (base64) */
  masterKey: string
  /** every log line written so far (JSON text), when `logLevel` was given */
  logLines: string[]
  /** a new bearer token with `role` */
  token(role: Role, name?: string): Promise<string>
  /** app.inject with "Authorization: Bearer <token>"; the admin token by default, none with null */
  inject(options: InjectOptions | string, token?: string | null): Promise<LightMyRequestResponse>
}

export async function buildTestApp(
  t: { teardown(fn: () => unknown): void },
  options: TestAppOptions = {},
): Promise<TestApp> {
  const db = options.db ?? (await testStore(t))
  const adminToken = `cw_test_admin_${randomBytes(24).toString('base64url')}`
  const masterKey = randomBytes(32).toString('base64')
  const config = validateConfig({
    dataDir: ':memory:',
    sandbox: 'off',
    logLevel: options.logLevel ?? 'silent',
    adminToken,
    masterKey,
    ...options.config,
  })
  const logLines: string[] = []
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
      done()
    },
  })
  const app = Fastify({
    // how production answers what Fastify refuses before routing
    ...serverErrorOptions,
    // the production logger settings (redaction included), written to a stream the test reads
    logger: options.logLevel ? { ...loggerOptions(options.logLevel, false), stream: logStream } : false,
    pluginTimeout: 120_000,
    // whose X-Forwarded-For to believe, as the server does (config trustProxy)
    trustProxy: trustProxyOf(config.trustProxy),
  })
  t.teardown(() => app.close())
  if (options.setup) await options.setup(app)
  // The hub's decorations (app.auth, app.vault...) are on `app` when crosswalk is not encapsulated;
  // otherwise on its own instance, the one holding `auth` itself rather than through its prototype.
  const instances: FastifyInstance[] = []
  app.addHook('onRegister', (instance) => {
    instances.push(instance)
  })
  await app.register(crosswalk, {
    config,
    db,
    ...(options.connectors ? { connectors: options.connectors } : {}),
    ...(options.sync ? { sync: options.sync } : {}),
  })
  await app.ready()
  const decorated = app.hasDecorator('auth') ? app : instances.find((instance) => Object.hasOwn(instance, 'auth'))
  if (!decorated) throw new Error('no instance of the hub carries app.auth')

  const admin = config.adminToken ?? adminToken
  let made = 0
  return {
    app,
    hub: decorated,
    db,
    config,
    adminToken: admin,
    masterKey: config.masterKey ?? masterKey,
    logLines,
    async token(role, name) {
      made += 1
      const created = await decorated.auth.tokens.create({
        name: name ?? `test ${role} ${made}`,
        role,
        createdBy: 'test helper',
      })
      return created.token
    },
    inject(request, token = admin) {
      const base: InjectOptions = typeof request === 'string' ? { method: 'GET', url: request } : request
      if (token === null) return app.inject(base)
      return app.inject({ ...base, headers: { ...base.headers, authorization: `Bearer ${token}` } })
    },
  }
}

// startLeanixEmulator: a seeded LeanIX workspace on its own port, for tests (in-process, port 0)
// and the sandbox (main.ts). Returns the URL, the workspace, the technical users' API tokens and
// handles to steer it (faults, token revocation, the store itself).
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { LeanixEmulatorErrors } from './errors.ts'
import { FaultSwitches } from './faults.ts'
import { buildMetaModel } from './meta-model.ts'
import { TokenService, type TechnicalUserSpec } from './mtm/token-service.ts'
import { PathfinderGraphQL } from './pathfinder/graphql-endpoint.ts'
import type { EmulatorRuntime } from './runtime.ts'
import { SeededRandom } from './seed/prng.ts'
import { seedWorkspace, type SeedSummary } from './seed/workspace-seed.ts'
import { buildLeanixEmulatorApp } from './server.ts'
import type { UserRole } from './workspace/records.ts'
import { WebhookService, type WebhookServiceOptions } from './webhooks/webhook-service.ts'
import { purgeExpiredArchives, SYSTEM_USER_ID } from './workspace/retention.ts'
import { WorkspaceStore } from './workspace/store.ts'
import { persistWorkspace } from './workspace/persistence.ts'

export interface LeanixEmulatorOptions {
  host?: string
  /** 0 (default) picks a free port */
  port?: number
  /** serve https (leanix-js only speaks https) */
  https?: { cert: string | Buffer; key: string | Buffer }
  /** 'v4' (Organization, Initiative, BusinessContext) or 'v3' (UserGroup, Project, Process) type keys */
  metaModel?: 'v4' | 'v3'
  /** deterministic seed; false for an empty workspace */
  seed?: { seed: number; factSheets: number } | false
  workspace?: { id?: string; name?: string }
  /** defaults: one ADMIN, one MEMBER, one VIEWER technical user */
  technicalUsers?: TechnicalUserSpec[]
  /** access token lifetime, default 3600 s */
  tokenLifetimeSeconds?: number
  rateLimit?: { max?: number; windowMs?: number }
  /** PUSH retry interval (LeanIX: 50 s), deactivation, delivery timeout, retention */
  webhooks?: Partial<WebhookServiceOptions>
  /** clock for lifecycles, token expiry and timestamps */
  now?: () => Date
  logger?: FastifyServerOptions['logger']
  /**
   * Keep the changes made after the seed in this folder and put them back at start (the same
   * seed, workspace and technical users are needed each time: they are made again, not stored)
   */
  stateDir?: string
  /** hears a write to the state folder that failed (it is tried again with the next change) */
  onStateError?(error: unknown): void
}

export interface TechnicalUserHandle {
  id: string
  userName: string
  role: UserRole
  apiToken: string
}

export interface LeanixEmulator {
  /** https://127.0.0.1:<port> (http:// without TLS) */
  url: string
  /** 127.0.0.1:<port>, the `host` leanix-js and LeanIX's own scripts take */
  host: string
  workspace: { id: string; name: string }
  /** the ADMIN technical user's API token */
  apiToken: string
  /** API tokens by role of the default technical users, and by user name for all */
  apiTokens: Record<string, string>
  technicalUsers: TechnicalUserHandle[]
  seed: SeedSummary | null
  runtime: EmulatorRuntime
  app: FastifyInstance
  addTechnicalUser(spec: TechnicalUserSpec): TechnicalUserHandle
  /** every issued access token answers 401 from now on (one user's, or all) */
  revokeTokens(userId?: string): number
  /** deletes fact sheets archived more than 90 days ago (by the `now` clock); returns their ids */
  purgeArchived(): string[]
  close(): Promise<void>
}

const DEFAULT_USERS: TechnicalUserSpec[] = [
  { userName: 'crosswalk-hub', role: 'ADMIN' },
  { userName: 'crosswalk-member', role: 'MEMBER' },
  { userName: 'crosswalk-viewer', role: 'VIEWER' },
]

export async function startLeanixEmulator(options: LeanixEmulatorOptions = {}): Promise<LeanixEmulator> {
  const lifetime = options.tokenLifetimeSeconds ?? 3600
  if (!Number.isInteger(lifetime) || lifetime < 2) {
    throw new LeanixEmulatorErrors.OPTIONS_INVALID('tokenLifetimeSeconds must be an integer of at least 2')
  }
  const seed = options.seed === undefined ? { seed: 1, factSheets: 400 } : options.seed
  const ids = new SeededRandom(seed === false ? 0 : seed.seed ^ 0x5eed)
  const store = new WorkspaceStore({
    identity: {
      id: options.workspace?.id ?? ids.uuid(),
      name: options.workspace?.name ?? 'crosswalk-emulated',
      accountId: ids.uuid(),
      accountName: 'Crosswalk Emulated Account',
    },
    metaModel: buildMetaModel(options.metaModel ?? 'v4'),
    ...(options.now === undefined ? {} : { now: options.now }),
  })
  const summary = seed === false ? null : seedWorkspace(store, seed)
  const journal = options.stateDir ? await persistWorkspace(store, options.stateDir, options.onStateError) : undefined

  let baseUrl = ''
  const faults = new FaultSwitches()
  const tokens = new TokenService({ store, instanceUrl: () => baseUrl, lifetimeSeconds: lifetime })
  const runtime: EmulatorRuntime = {
    store,
    tokens,
    graphql: new PathfinderGraphQL(store, faults),
    faults,
    webhooks: new WebhookService(store, () => baseUrl, options.webhooks),
    rateLimit: { max: options.rateLimit?.max ?? 1800, windowMs: options.rateLimit?.windowMs ?? 60_000 },
    baseUrl: () => baseUrl,
  }

  const technicalUsers: TechnicalUserHandle[] = []
  const apiTokens: Record<string, string> = {}
  const addTechnicalUser = (spec: TechnicalUserSpec): TechnicalUserHandle => {
    const { user, apiToken } = tokens.addTechnicalUser(spec)
    const handle = { id: user.id, userName: user.userName, role: user.role, apiToken }
    technicalUsers.push(handle)
    apiTokens[user.userName] = apiToken
    if (apiTokens[user.role] === undefined) apiTokens[user.role] = apiToken
    return handle
  }
  for (const spec of options.technicalUsers ?? DEFAULT_USERS) addTechnicalUser(spec)
  const admin = technicalUsers.find((u) => u.role === 'ADMIN') ?? technicalUsers[0]
  if (admin === undefined) throw new LeanixEmulatorErrors.OPTIONS_INVALID('at least one technical user is needed')

  const app = await buildLeanixEmulatorApp(runtime, {
    ...(options.https === undefined ? {} : { https: options.https }),
    logger: options.logger ?? false,
  })
  const host = options.host ?? '127.0.0.1'
  await app.listen({ host, port: options.port ?? 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : options.port
  const hostPort = `${host}:${port}`
  baseUrl = `${options.https === undefined ? 'http' : 'https'}://${hostPort}`

  return {
    url: baseUrl,
    host: hostPort,
    workspace: { id: store.identity.id, name: store.identity.name },
    apiToken: admin.apiToken,
    apiTokens,
    technicalUsers,
    seed: summary,
    runtime,
    app,
    addTechnicalUser,
    revokeTokens: (userId) => tokens.revokeAccessTokens(userId),
    purgeArchived: () => purgeExpiredArchives(store, SYSTEM_USER_ID),
    close: async () => {
      runtime.webhooks.close()
      await app.close()
      await journal?.close()
    },
  }
}

export type { TechnicalUserSpec } from './mtm/token-service.ts'
export type { FaultSettings } from './faults.ts'

// The one source of truth for the kernel's settings; modules add their own sections (each in its
// HubModule), composed here into the hub's schema. Types, defaults, validation, the environment
// mapping and the configuration reference in the README all come from the composed schema.
import { Type, type Static, type TObject, type TProperties, type TSchema } from 'typebox'
import { Memory } from 'typebox/system'
import type { HubModule } from '../module/hub-module.ts'
import { CoreErrors } from '../errors.ts'
import { literals } from '../schema/literals.ts'
import type { JsonSchema } from '../schema/json-schema.ts'

export const CONFIG_VERSION = 1

const LogLevel = literals(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' })

export const KernelConfigSchema = Type.Object(
  {
    configVersion: Type.Integer({ minimum: 1, default: CONFIG_VERSION, description: 'Version of this file format.' }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 8080,
      env: 'PORT',
      description: 'TCP port the hub listens on.',
    }),
    host: Type.String({
      minLength: 1,
      default: '127.0.0.1',
      env: 'HOST',
      description: 'Interface the hub listens on; 0.0.0.0 for all.',
    }),
    dataDir: Type.String({
      minLength: 1,
      default: './.crosswalk',
      env: 'CROSSWALK_DATA_DIR',
      description: 'Folder of the embedded store (PGlite) and the generated key file.',
    }),
    databaseUrl: Type.Optional(
      Type.String({
        pattern: '^postgres(ql)?://',
        env: 'DATABASE_URL',
        description: 'PostgreSQL server to use instead of the embedded store (postgres://user:pass@host:5432/db).',
      }),
    ),
    masterKey: Type.Optional(
      Type.String({
        minLength: 32,
        env: 'CROSSWALK_MASTER_KEY',
        secret: true,
        description:
          'Vault master key: 32 bytes as base64 or 64 hex characters. Without it a key file in dataDir is used.',
      }),
    ),
    masterKeyFile: Type.Optional(
      Type.String({
        minLength: 1,
        env: 'CROSSWALK_MASTER_KEY_FILE',
        description: 'Path of the vault key file (default: <dataDir>/master.key).',
      }),
    ),
    adminToken: Type.Optional(
      Type.String({
        minLength: 32,
        env: 'CROSSWALK_ADMIN_TOKEN',
        secret: true,
        description:
          'First admin bearer token (at least 32 characters). Without it one is generated and printed once at first start.',
      }),
    ),
    logLevel: Type.Unsafe<Static<typeof LogLevel>>({ ...LogLevel, env: 'LOG_LEVEL', description: 'pino log level.' }),
    production: Type.Boolean({
      default: false,
      env: 'CROSSWALK_PRODUCTION',
      description: 'Production mode: no GraphiQL, no sandbox emulators started automatically.',
    }),
    egress: Type.Object(
      {
        allowPrivateNetworks: Type.Optional(
          Type.Boolean({
            env: 'CROSSWALK_EGRESS_ALLOW_PRIVATE_NETWORKS',
            description:
              'Let connections reach loopback, link-local, private and unspecified addresses (127.0.0.1, localhost, ::1, 10.0.0.0/8, 169.254.0.0/16, 0.0.0.0...), checked on the address after DNS resolution. Unset: true, but false when production is on. The sandbox emulators run on 127.0.0.1: auto mode starts them only outside production, where this is true (sandbox on in production needs it set to true). With a proxy, the proxy address is checked.',
          }),
        ),
      },
      { default: {} },
    ),
    sandbox: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], {
      default: 'auto',
      env: 'CROSSWALK_SANDBOX',
      description: 'Start the local emulators and connect to them: auto = when no connection is configured.',
    }),
    publicHealth: Type.Boolean({
      default: true,
      env: 'CROSSWALK_PUBLIC_HEALTH',
      description: 'Serve /health/* without a token.',
    }),
    publicMetrics: Type.Boolean({
      default: true,
      env: 'CROSSWALK_PUBLIC_METRICS',
      description: 'Serve /metrics without a token.',
    }),
    publicDocs: Type.Boolean({
      default: true,
      env: 'CROSSWALK_PUBLIC_DOCS',
      description: 'Serve /docs (Swagger UI) without a token.',
    }),
    rateLimit: Type.Object(
      {
        max: Type.Integer({
          minimum: 1,
          default: 600,
          env: 'CROSSWALK_RATE_LIMIT_MAX',
          description: 'Admin API requests per token per window.',
        }),
        windowMs: Type.Integer({
          minimum: 1000,
          default: 60_000,
          env: 'CROSSWALK_RATE_LIMIT_WINDOW_MS',
          description: 'Rate-limit window in ms.',
        }),
        probesMax: Type.Integer({
          minimum: 1,
          default: 1200,
          env: 'CROSSWALK_RATE_LIMIT_PROBES_MAX',
          description:
            'Requests per address per window to /health/* and /metrics: a bucket of their own, so that no other traffic starves the probes.',
        }),
        credentialsMax: Type.Integer({
          minimum: 1,
          default: 60,
          env: 'CROSSWALK_RATE_LIMIT_CREDENTIALS_MAX',
          description:
            "Requests per address per window to the routes that take credentials (those a module declares in the 'credentials' bucket, such as an OAuth token endpoint), a bucket of their own.",
        }),
        webhooksMax: Type.Integer({
          minimum: 1,
          default: 1200,
          env: 'CROSSWALK_RATE_LIMIT_WEBHOOKS_MAX',
          description: 'Webhook deliveries per address per window (/webhooks/*), a bucket of their own.',
        }),
        lockoutAttempts: Type.Integer({
          minimum: 1,
          default: 10,
          env: 'CROSSWALK_LOCKOUT_ATTEMPTS',
          description:
            'Failed secrets per client id within lockoutWindowMs after which that client id is refused (429) until the window ends, whatever its address.',
        }),
        lockoutWindowMs: Type.Integer({
          minimum: 1000,
          default: 900_000,
          env: 'CROSSWALK_LOCKOUT_WINDOW_MS',
          description: 'Window of the failed-attempt lockout per client id, in ms.',
        }),
      },
      { default: {} },
    ),
    trustProxy: Type.String({
      default: '',
      env: 'CROSSWALK_TRUST_PROXY',
      description:
        'Behind a reverse proxy: which proxies to believe about the client address (X-Forwarded-For), as addresses or CIDR ranges separated by commas (10.0.0.0/8,127.0.0.1), a number of hops, or true for any. Empty: the socket address is the client.',
    }),
    timeouts: Type.Object(
      {
        connectionMs: Type.Integer({
          minimum: 0,
          // Node's socket inactivity timeout also runs while a handler works, so any bound here
          // drops answers that take longer (mapping defaults or advice on a large instance)
          default: 0,
          description:
            'Socket inactivity timeout of the server: a socket quiet for this long is closed, even while the hub is still working on its answer, so a value must exceed the longest request. 0: none; idle keep-alive sockets still close after keepAliveMs and slow senders after requestMs.',
        }),
        requestMs: Type.Integer({ minimum: 1000, default: 120_000, description: 'Time a request may take in all.' }),
        keepAliveMs: Type.Integer({
          minimum: 1000,
          default: 72_000,
          description: 'Keep-alive timeout of idle connections.',
        }),
        shutdownMs: Type.Integer({
          minimum: 1000,
          default: 20_000,
          description: 'Grace period for in-flight work on SIGINT/SIGTERM.',
        }),
      },
      { default: {} },
    ),
    graphql: Type.Object(
      {
        queryDepth: Type.Integer({
          minimum: 2,
          default: 8,
          description:
            'Maximum GraphQL query depth: levels of data fields (introspection is not counted, so schema tools work).',
        }),
        maxCost: Type.Integer({
          minimum: 100,
          default: 20_000,
          env: 'CROSSWALK_GRAPHQL_MAX_COST',
          description:
            'Most one GraphQL request may cost: each field counts 1, times the items its lists may hold (limit arguments, or assumedListSize); aliases count each time.',
        }),
        maxListSize: Type.Integer({
          minimum: 1,
          maximum: 10_000,
          default: 500,
          description: 'Largest limit argument a GraphQL field accepts.',
        }),
        assumedListSize: Type.Integer({
          minimum: 1,
          default: 20,
          description: 'Items a GraphQL list without a limit argument is assumed to hold when a request is priced.',
        }),
        maxMutations: Type.Integer({
          minimum: 1,
          default: 5,
          env: 'CROSSWALK_GRAPHQL_MAX_MUTATIONS',
          description:
            'Mutations one GraphQL request may carry, aliases included (each may reach an external system, like checkConnection).',
        }),
        subscriptionAuthSeconds: Type.Integer({
          minimum: 1,
          default: 15,
          env: 'CROSSWALK_GRAPHQL_SUBSCRIPTION_AUTH_SECONDS',
          description:
            'How often the token of each open GraphQL subscription socket is verified again. A revoked token closes its sockets at once on every instance sharing the store; this bounds the time when that announcement is missed (the connection that hears it was down) or an IdentityNow API token expires.',
        }),
        maxAnswerBytes: Type.Integer({
          minimum: 10_000,
          default: 8_388_608,
          description: 'Largest GraphQL answer in bytes; a larger one is replaced by CW_GRAPHQL_ANSWER_TOO_LARGE.',
        }),
      },
      { default: {} },
    ),
    queue: Type.Object(
      {
        pollingIntervalSeconds: Type.Number({
          minimum: 0.5,
          default: 2,
          env: 'CROSSWALK_QUEUE_POLLING_SECONDS',
          description: 'How often an idle worker asks the job queue for work.',
        }),
        heartbeatSeconds: Type.Integer({
          minimum: 10,
          default: 30,
          env: 'CROSSWALK_QUEUE_HEARTBEAT_SECONDS',
          description:
            'A running job whose instance stops sending heartbeats this long is retried by another instance.',
        }),
        superviseIntervalSeconds: Type.Integer({
          minimum: 1,
          default: 30,
          env: 'CROSSWALK_QUEUE_SUPERVISE_SECONDS',
          description: 'How often the queue looks for expired jobs and jobs of dead instances.',
        }),
        maxConnections: Type.Integer({
          minimum: 2,
          default: 4,
          env: 'CROSSWALK_QUEUE_MAX_CONNECTIONS',
          description: 'Connections the job queue opens on a PostgreSQL server (besides the store pool).',
        }),
      },
      { default: {} },
    ),
    connections: Type.Object(
      {
        checkIntervalMinutes: Type.Union([Type.Integer({ minimum: 0, maximum: 1440 }), Type.Literal('off')], {
          default: 5,
          env: 'CROSSWALK_CONNECTION_CHECK_MINUTES',
          description:
            "Minutes between periodic checks of each connection, counted from its last check (by hand or periodic) or, never checked, from its creation; one queue job a minute at most looks for due ones, whichever instance takes it. Each check's outcome is kept (GET /api/v1/status, metrics). 0 or off: no periodic checks.",
        }),
      },
      { default: {} },
    ),
    sync: Type.Object(
      {
        runRetentionDays: Type.Integer({
          minimum: 1,
          default: 30,
          env: 'CROSSWALK_RUN_RETENTION_DAYS',
          description: 'Days a finished run, its actions and its staging are kept.',
        }),
        concurrency: Type.Integer({
          minimum: 1,
          maximum: 16,
          default: 2,
          env: 'CROSSWALK_SYNC_CONCURRENCY',
          description: 'Runs (of different mappings) this instance executes at once.',
        }),
        schedules: Type.Boolean({
          default: true,
          env: 'CROSSWALK_SYNC_SCHEDULES',
          description:
            "Start mappings' scheduled full syncs (their cron); off to run mappings only by hand and by events.",
        }),
        eventListeners: Type.Boolean({
          default: true,
          env: 'CROSSWALK_SYNC_EVENT_LISTENERS',
          description:
            'Listen for change events on connections whose settings ask for them (LeanIX webhookMode push or pull) while an enabled mapping takes events; off to take events only from the change route and pushed webhooks.',
        }),
      },
      { default: {} },
    ),
  },
  { additionalProperties: false },
)

/**
 * The settings sections of modules, by module name. Each module augments this interface with its
 * section's type, so `app.config.<name>` is typed where the module is part of the program:
 *   declare module '../../core/config/schema.ts' { interface ModuleSettings { mine: MySettings } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ModuleSettings {}

export type Config = Static<typeof KernelConfigSchema> & ModuleSettings

/** The schema with every object closed: a setting nobody declared is a mistake to report, at any depth. */
function closed<T extends TSchema>(schema: T): T {
  const { type, properties, additionalProperties } = schema as JsonSchema
  if (type !== 'object' || !properties) return schema
  const closedProperties: TProperties = {}
  for (const [key, child] of Object.entries(properties)) closedProperties[key] = closed(child)
  // a copy that keeps TypeBox's hidden markers (kind, optional): Value.Default goes by them
  return Memory.Update(
    schema,
    {},
    { additionalProperties: additionalProperties ?? false, properties: closedProperties },
  ) as T
}

/** The hub's schema: the kernel's settings and one section per module that has settings. */
export function composeConfigSchema(modules: readonly HubModule[]): TObject {
  const properties: TProperties = { ...KernelConfigSchema.properties }
  for (const module of modules) {
    if (!module.settings) continue
    if (module.name in properties) {
      throw new CoreErrors.CONFIG_INVALID(`module "${module.name}" would replace the setting of that name`)
    }
    properties[module.name] = module.settings
  }
  return closed(Type.Object(properties, { additionalProperties: false }))
}

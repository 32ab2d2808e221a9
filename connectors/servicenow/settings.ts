// The settings of one ServiceNow connection as a TypeBox schema: the single source of what a
// connection holds. Secrets are marked `secret: true` and listed in SERVICENOW_SECRET_FIELDS so
// the vault seals them; they reach the connector through ConnectionContext.secrets.
import { Type } from 'typebox'
import type { Static } from 'typebox'
import { Value } from 'typebox/value'
import { CLIENT_DEFAULTS } from './client/options.ts'

export const ServiceNowSettingsSchema = Type.Object(
  {
    instanceUrl: Type.String({
      format: 'uri',
      description: 'instance URL, e.g. https://acme.service-now.com (only the origin is used)',
    }),
    authKind: Type.Union([Type.Literal('basic'), Type.Literal('oauth')], {
      default: 'basic',
      description: 'basic: user and password; oauth: a token from /oauth_token.do',
    }),
    username: Type.Optional(
      Type.String({ description: 'integration user (basic, and the OAuth password grant); web service access only' }),
    ),
    password: Type.Optional(Type.String({ secret: true, description: 'password of the integration user' })),
    oauthGrant: Type.Union(
      [Type.Literal('password'), Type.Literal('client_credentials'), Type.Literal('refresh_token')],
      {
        default: 'client_credentials',
        description: 'OAuth grant; client_credentials needs glide.oauth.inbound.client.credential.grant_type.enabled',
      },
    ),
    clientId: Type.Optional(Type.String({ description: 'OAuth client id (System OAuth > Application Registry)' })),
    clientSecret: Type.Optional(Type.String({ secret: true, description: 'OAuth client secret' })),
    refreshToken: Type.Optional(
      Type.String({ secret: true, description: 'refresh token for the refresh_token grant' }),
    ),
    oauthScope: Type.Optional(Type.String({ description: 'OAuth scope, when the application registry requires one' })),
    allowHttp: Type.Boolean({
      default: false,
      description: 'allow an http:// instance URL (the local emulator, test instances); never for production',
    }),
    ca: Type.Optional(
      Type.String({
        description: 'PEM certificate(s) to trust: a private CA of the instance or of a TLS-inspecting proxy',
      }),
    ),
    proxyUrl: Type.Optional(
      Type.String({
        format: 'uri',
        description: 'egress proxy, http(s)://host:port (a fixed address the customer can allow-list)',
      }),
    ),
    proxyUsername: Type.Optional(Type.String({ description: 'proxy user' })),
    proxyPassword: Type.Optional(Type.String({ secret: true, description: 'proxy password' })),
    pageSize: Type.Integer({
      minimum: 10,
      maximum: 10_000,
      default: CLIENT_DEFAULTS.pageSize,
      description: 'rows per Table API page; it halves by itself when a page is too large for the instance',
    }),
    concurrency: Type.Integer({
      minimum: 1,
      maximum: 16,
      default: CLIENT_DEFAULTS.concurrency,
      description: 'requests in flight to this instance (ServiceNow serves REST from a small thread pool: 2-4)',
    }),
    connectTimeoutMs: Type.Integer({ minimum: 100, default: CLIENT_DEFAULTS.connectTimeoutMs }),
    headersTimeoutMs: Type.Integer({
      minimum: 100,
      default: CLIENT_DEFAULTS.headersTimeoutMs,
      description: 'time to the response headers (ServiceNow cancels REST transactions after 60 s)',
    }),
    bodyTimeoutMs: Type.Integer({ minimum: 100, default: CLIENT_DEFAULTS.bodyTimeoutMs }),
    maxAttempts: Type.Integer({
      minimum: 1,
      maximum: 10,
      default: 6,
      description: 'attempts per call, first included',
    }),
    maxRetryWaitMs: Type.Integer({
      minimum: 1000,
      default: 60_000,
      description: 'longest wait between attempts; a Retry-After beyond it fails the call',
    }),
    tables: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z0-9_]+$' }), {
        description:
          'the tables this connection reads or writes; check() verifies read access to each, discover() describes them',
      }),
    ),
    correlationField: Type.String({
      pattern: '^[a-z0-9_]+$',
      default: 'correlation_id',
      description: 'field holding the source id: a create whose values set it is looked up before being sent again',
    }),
    deltaSafetyLagSeconds: Type.Integer({
      minimum: 1,
      maximum: 3600,
      default: CLIENT_DEFAULTS.deltaSafetyLagSeconds,
      description:
        'deltas read no row newer than the instance time minus this many seconds. sys_updated_on has whole seconds and a transaction is stamped when it starts but seen when it commits, so a delta that reads a second still being written passes the rows committed later in that second for good; the lag must cover the longest transaction (at least 1: the current second is always open)',
    }),
    deltaSkipsOwnWrites: Type.Boolean({
      default: true,
      description:
        "deltas leave out records the hub's own user changed last (sys_updated_by), so that the delta after a full sync does not read back every record that sync wrote; an edit someone made between the hub's read and its write is caught from the write's answer. Turn off when other integrations share the hub's ServiceNow user",
    }),
  },
  { additionalProperties: false },
)

export type ServiceNowSettings = Static<typeof ServiceNowSettingsSchema>

export const SERVICENOW_SECRET_FIELDS = ['password', 'clientSecret', 'refreshToken', 'proxyPassword'] as const

/** Settings as stored may omit defaulted values; this fills them in from the schema. */
export function withDefaults(settings: Record<string, unknown>): ServiceNowSettings {
  return Value.Default(ServiceNowSettingsSchema, structuredClone(settings)) as ServiceNowSettings
}

/** CMDB, CSDM and SAM tables the hub works with: what discover() describes when no tables are set. */
export const DEFAULT_TABLES = [
  'cmdb_ci',
  'cmdb_ci_business_app',
  'cmdb_ci_business_capability',
  'cmdb_ci_server',
  'cmdb_ci_service_discovered',
  'service_offering',
  'cmdb_rel_ci',
  'cmdb_rel_type',
  'cmdb_model',
  'cmdb_hardware_product_model',
  'cmdb_software_product_model',
  'cmdb_sam_sw_discovery_model',
  'cmdb_sam_sw_install',
  'sys_user',
] as const

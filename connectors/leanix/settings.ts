// The settings of one LeanIX connection as a TypeBox schema: the single source of what a
// connection holds. Secrets are marked `secret: true` and listed in LEANIX_SECRET_FIELDS so the
// vault seals them; they reach the connector through ConnectionContext.secrets.
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'

export const LeanixSettingsSchema = Type.Object(
  {
    instanceUrl: Type.String({
      format: 'uri',
      description: 'LeanIX instance URL, e.g. https://eu.leanix.net (the host part of the workspace URL)',
    }),
    allowHttp: Type.Boolean({
      default: false,
      description: 'allow an http:// instance URL (the local emulator); the API token would travel in clear text',
    }),
    workspaceId: Type.Optional(
      Type.String({ description: 'expected workspace id; the check fails when the token belongs to another one' }),
    ),
    apiToken: Type.String({ secret: true, minLength: 1, description: 'API token of a LeanIX technical user' }),
    requestsPerMinute: Type.Integer({
      minimum: 1,
      maximum: 1800,
      default: 1500,
      description: 'client-side limit, kept under LeanIX 1800 requests/min per user',
    }),
    burst: Type.Integer({ minimum: 1, maximum: 200, default: 25, description: 'requests allowed at once' }),
    pageSize: Type.Integer({ minimum: 1, maximum: 15000, default: 1000, description: 'allFactSheets page size' }),
    batchSize: Type.Integer({ minimum: 1, maximum: 50, default: 25, description: 'aliased mutations per request' }),
    requestTimeoutMs: Type.Integer({ minimum: 100, default: 30_000 }),
    maxAttempts: Type.Integer({
      minimum: 1,
      maximum: 10,
      default: 5,
      description: 'attempts per call, first included',
    }),
    revisionRetries: Type.Integer({ minimum: 0, maximum: 10, default: 3 }),
    archiveComment: Type.String({ default: 'Archived by Crosswalk: no longer present in the source' }),
    webhookMode: Type.Union([Type.Literal('off'), Type.Literal('push'), Type.Literal('pull')], { default: 'off' }),
    webhookIdentifier: Type.String({ default: 'crosswalk', description: 'identifier of the webhook subscription' }),
    webhookTargetUrl: Type.Optional(
      Type.String({ format: 'uri', description: 'public URL of the hub webhook route for this connection (push)' }),
    ),
    webhookSecret: Type.Optional(
      Type.String({ secret: true, description: 'value LeanIX sends in the Authorization header of push deliveries' }),
    ),
    webhookPullTimeoutSeconds: Type.Integer({ minimum: 0, maximum: 60, default: 10 }),
  },
  { additionalProperties: false },
)

export type LeanixSettings = Static<typeof LeanixSettingsSchema>

export const LEANIX_SECRET_FIELDS = ['apiToken', 'webhookSecret'] as const

/** Settings as stored may omit defaulted values; this fills them in from the schema. */
export function withDefaults(settings: Record<string, unknown>): LeanixSettings {
  return Value.Default(LeanixSettingsSchema, structuredClone(settings)) as LeanixSettings
}

// The settings of one Example connection as a TypeBox schema: the single source of what a
// connection holds. The admin API validates and documents them from it; the secret is marked
// `secret: true` and listed in EXAMPLE_SECRET_FIELDS, so the vault seals it and the connector
// finds it in ConnectionContext.secrets.
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'

export const ExampleSettingsSchema = Type.Object(
  {
    baseUrl: Type.String({ format: 'uri', description: 'Example API URL, e.g. https://example.invalid' }),
    allowHttp: Type.Boolean({
      default: false,
      description: 'allow an http:// URL (the local emulator); the API token would travel in clear text',
    }),
    apiToken: Type.String({ secret: true, minLength: 1, description: 'API token the connection acts with' }),
    pageSize: Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'records per page of a read' }),
    timeoutMs: Type.Integer({ minimum: 100, default: 30_000, description: 'each request in all' }),
  },
  { additionalProperties: false },
)

export type ExampleSettings = Static<typeof ExampleSettingsSchema>

export const EXAMPLE_SECRET_FIELDS = ['apiToken'] as const

/** Settings as stored may omit defaulted values; this fills them in from the schema. */
export function withDefaults(settings: Record<string, unknown>): ExampleSettings {
  return Value.Default(ExampleSettingsSchema, structuredClone(settings)) as ExampleSettings
}

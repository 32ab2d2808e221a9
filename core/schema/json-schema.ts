// The JSON Schema keywords, and the hub's own annotations, that code walking a schema reads:
// the config loader and its docs, the URL and secret settings of a connector. A TypeBox schema is
// such an object at run time (TypeBox 1 types it as `{}`, so it is read through this type).
export interface JsonSchema {
  type?: string
  properties?: Record<string, JsonSchema>
  additionalProperties?: boolean | JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  const?: unknown
  format?: string
  default?: unknown
  description?: string
  /** the environment variable a setting is read from (the hub's configuration) */
  env?: string
  /** a secret setting: sealed in the vault, never echoed */
  secret?: boolean
}

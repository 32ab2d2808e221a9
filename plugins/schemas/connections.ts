// Request and response schemas of the connector and connection routes.
import { Type, type Static } from 'typebox'
import { ListOf, RefTo } from './common.ts'
import { Entity } from './entities.ts'

export const ConnectorSummary = Type.Object(
  {
    name: Type.String(),
    title: Type.String(),
    version: Type.String(),
    capabilities: Type.Array(Type.String()),
    secretFields: Type.Array(Type.String()),
    configSchema: Type.Record(Type.String(), Type.Unknown(), { description: "JSON Schema of a connection's settings" }),
    custom: Type.Optional(
      Type.Object(
        {
          id: Type.String({ format: 'uuid' }),
          connectionId: Type.String({ format: 'uuid' }),
          baseConnector: Type.String(),
          keyField: Type.String(),
          displayField: Type.String(),
          filter: Type.Union([Type.String(), Type.Null()]),
          entity: RefTo(Entity),
          discoveredAt: Type.String({ format: 'date-time' }),
        },
        {
          description:
            "a custom connector (POST /api/v1/custom-connectors): a table of a connection, with the schema discovered for it; mappings name its connection and entity. It has no connections of its own (configSchema is empty): it reads and writes through its connection's",
        },
      ),
    ),
  },
  { $id: 'ConnectorSummary', title: 'ConnectorSummary' },
)

export const ConnectorList = ListOf(RefTo(ConnectorSummary), 'ConnectorList')

export const ConnectorParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) })

export const Connection = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    connector: Type.String(),
    settings: Type.Record(Type.String(), Type.Unknown(), { description: 'Settings without secrets' }),
    secretsSet: Type.Array(Type.String(), {
      description: 'Names of the secrets that are set (values are never returned)',
    }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Connection', title: 'Connection' },
)
export type ConnectionType = Static<typeof Connection>

export const ConnectionUpdated = Type.Object(
  {
    ...Connection.properties,
    secretsDropped: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Secrets removed by this change: the origin (scheme, host, port) of a URL setting changed and they were not sent again, so they were never sent to the new origin; send them again to use them there',
      }),
    ),
  },
  { title: 'ConnectionUpdated' },
)

const Name = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[^\\s].*[^\\s]$|^[^\\s]$',
  description: 'Unique name',
})

export const ConnectionCreate = Type.Object(
  {
    name: Name,
    connector: Type.String({ minLength: 1, maxLength: 100 }),
    settings: Type.Record(Type.String(), Type.Unknown(), { description: 'Settings, secrets included (write-only)' }),
  },
  { additionalProperties: false, title: 'ConnectionCreate' },
)

export const ConnectionUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    settings: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Merged over the stored settings; a top-level secret set to null is removed',
      }),
    ),
  },
  { additionalProperties: false, title: 'ConnectionUpdate' },
)

export const ConnectionList = ListOf(RefTo(Connection), 'ConnectionList')

export const ConnectionListQuery = Type.Object({
  connector: Type.Optional(Type.String()),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
})

export const CheckResult = Type.Object(
  {
    ok: Type.Boolean(),
    message: Type.String(),
    code: Type.Optional(
      Type.String({ description: 'When ok is false, the stable code of what failed (CW_...); kept with the message' }),
    ),
    connector: Type.String(),
    durationMs: Type.Integer(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { title: 'CheckResult' },
)

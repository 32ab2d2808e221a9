// Request and response schemas of the custom connector routes. Names are only bounded here: the
// kernel (core/custom-connectors/service.ts) refuses a name that could reach a query or a URL with
// its own CW_CUSTOM_CONNECTOR_ code, the same over REST and GraphQL.
import { Type, type Static } from 'typebox'
import { ListOf, RefTo } from './common.ts'
import { Entity } from './entities.ts'

const Name = (description: string) => Type.String({ minLength: 1, maxLength: 200, description })

export const CustomConnectorCreate = Type.Object(
  {
    name: Name('unique among connectors, built-in ones included: lower-case letters, digits, "_" and "-"'),
    connectionId: Type.String({
      format: 'uuid',
      description: 'the connection whose table or fact sheet type it serves (ServiceNow, SAP LeanIX)',
    }),
    entity: Name(
      "the ServiceNow table (e.g. u_cloud_account) or the LeanIX fact sheet type of the workspace's data model (e.g. CloudAccount); case-sensitive",
    ),
    keyField: Name('the field that identifies a record (a business key, e.g. u_account_id)'),
    displayField: Name('the field a person knows a record by'),
    fields: Type.Optional(
      Type.Array(Name('a field of the table or type'), {
        maxItems: 500,
        description: 'the fields offered to mappings (with the key and display fields); every field when absent',
      }),
    ),
    filter: Type.Optional(
      Type.String({
        maxLength: 8000,
        description:
          "a constraint in the connection's own filter language (a ServiceNow encoded query), ANDed to every read and lookup; refused on a connector that cannot AND filters (SAP LeanIX)",
      }),
    ),
  },
  { additionalProperties: false, $id: 'CustomConnectorCreate', title: 'CustomConnectorCreate' },
)
export type CustomConnectorCreateType = Static<typeof CustomConnectorCreate>

export const CustomConnector = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    connectionId: Type.String({ format: 'uuid' }),
    baseConnector: Type.String({ description: "the connection's connector, whose client reaches the system" }),
    entity: Type.String(),
    keyField: Type.String(),
    displayField: Type.String(),
    fields: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'the subset, null for every field' }),
    filter: Type.Union([Type.String(), Type.Null()]),
    schema: RefTo(Entity),
    discoveredAt: Type.String({ format: 'date-time' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    removedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'when it was removed: its mappings may not run, their links are kept until the cleanup is confirmed',
    }),
  },
  { $id: 'CustomConnector', title: 'CustomConnector' },
)

export const CustomConnectorList = ListOf(RefTo(CustomConnector), 'CustomConnectorList')

export const CustomConnectorIfMatch = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      maxLength: 100,
      description:
        'the ETag you read (GET answers it; it is the updatedAt): the change is refused with 409 (CW_CUSTOM_CONNECTOR_CHANGED_MEANWHILE) if someone changed the connector since',
    }),
  ),
})

/** The updatedAt an If-Match header names (an ETag, weak or strong, quoted or not). */
export const readAtOf = (header: string | undefined): string | undefined =>
  header ? header.replace(/^W\//, '').replaceAll('"', '') : undefined

/** The ETag of a custom connector: its updatedAt, which every change moves. */
export const customConnectorEtag = (record: { updatedAt: string }) => `"${record.updatedAt}"`

export const CustomConnectorParams = Type.Object({ idOrName: Type.String({ minLength: 1, maxLength: 200 }) })

const SchemaChanges = Type.Object({
  removed: Type.Array(Type.String(), { description: 'fields the stored schema had and the table no longer has' }),
  dropped: Type.Array(Type.String(), {
    description: 'fields the table still has that a change of the field subset no longer offers',
  }),
  retyped: Type.Array(Type.Object({ field: Type.String(), from: Type.String(), to: Type.String() })),
  added: Type.Array(Type.String()),
})

const Drifted = Type.Array(
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    problems: Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() })),
  }),
  {
    description:
      'mappings of the table that the new schema breaks, each problem at the field mapping it is in: they are flagged, and their runs refused until they are saved again',
  },
)

export const Rediscovery = Type.Object(
  { connector: RefTo(CustomConnector), changes: SchemaChanges, drifted: Drifted },
  { title: 'Rediscovery' },
)

const Unchangeable = (what: string) =>
  Type.Optional(
    Type.String({
      maxLength: 200,
      description: `${what}: cannot be changed; another value is refused (CW_CUSTOM_CONNECTOR_UNCHANGEABLE): remove the connector and register another`,
    }),
  )

export const CustomConnectorPatch = Type.Object(
  {
    displayField: Type.Optional(Name('the field a person knows a record by')),
    fields: Type.Optional(
      Type.Union([Type.Array(Name('a field of the table or type'), { maxItems: 500 }), Type.Null()], {
        description:
          'the fields offered to mappings (with the key and display fields); null for every field. Mappings that use a field it drops are flagged and their runs refused (CW_RUN_MAPPING_DRIFTED)',
      }),
    ),
    filter: Type.Optional(
      Type.Union([Type.String({ maxLength: 8000 }), Type.Null()], {
        description: "a constraint in the connection's own filter language; null or empty for none",
      }),
    ),
    name: Unchangeable('the name'),
    connectionId: Unchangeable('the connection'),
    entity: Unchangeable('the table or fact sheet type'),
    keyField: Unchangeable('the key field'),
  },
  { additionalProperties: false, $id: 'CustomConnectorPatch', title: 'CustomConnectorPatch' },
)
export type CustomConnectorPatchType = Static<typeof CustomConnectorPatch>

export const CustomConnectorChangeResult = Type.Object(
  {
    connector: RefTo(CustomConnector),
    changes: SchemaChanges,
    drifted: Drifted,
    cancelledRuns: Type.Array(Type.String({ format: 'uuid' }), {
      description: "runs of the table's mappings, made with the connector as it was, cancelled",
    }),
  },
  { title: 'CustomConnectorChange' },
)

const MappingRef = Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() })

export const Removal = Type.Object(
  {
    connector: RefTo(CustomConnector),
    mappings: Type.Array(MappingRef, { description: 'the mappings of its table: their runs are refused from now on' }),
    cancelledRuns: Type.Array(Type.String({ format: 'uuid' }), { description: 'runs of those mappings cancelled' }),
  },
  { title: 'CustomConnectorRemoval' },
)

export const CleanupBody = Type.Object(
  { confirm: Type.String({ maxLength: 200, description: "the connector's name, to confirm" }) },
  { additionalProperties: false },
)

export const Cleanup = Type.Object(
  {
    mappings: Type.Array(MappingRef, { description: 'the mappings whose links were deleted; they are disabled' }),
    linksDeleted: Type.Integer({ minimum: 0 }),
  },
  { title: 'CustomConnectorCleanup' },
)

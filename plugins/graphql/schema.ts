// The GraphQL schema of the admin surface: status and configuration, and live run progress.
// Run counts come from core/sync/counts.ts, the one list of them; roles from core/auth/roles.ts.
// A field that needs more than the viewer role says which with @requires (role-directive.ts).
import { RUN_COUNT_NAMES } from '../../core/sync/counts.ts'
import { ROLES } from '../../core/auth/roles.ts'
import { syncTypeDefs } from './sync-schema.ts'
import { statusTypeDefs } from './status-schema.ts'

const countFields = RUN_COUNT_NAMES.map((n) => `    ${n}: Int!`).join('\n')

export const typeDefs = /* GraphQL */ `
  "Any JSON value (settings, schemas)"
  scalar JSON

  "the roles of tokens, weakest first: each may do what the ones before it may"
  enum Role {
    ${ROLES.join('\n    ')}
  }

  "the role a token needs for this field (reaching /graphql at all needs a viewer's)"
  directive @requires(role: Role!) on FIELD_DEFINITION

  enum RunStatus {
    QUEUED
    RUNNING
    OK
    WARNING
    ERROR
    CANCELLED
  }

  enum SyncMode {
    additive
    conservative
    strict
  }

  type Connector {
    name: String!
    title: String!
    version: String!
    capabilities: [String!]!
    secretFields: [String!]!
    "JSON Schema of a connection's settings"
    configSchema: JSON!
    connections: [Connection!]!
    "a custom connector (createCustomConnector): the table of a connection it serves; it has no connections of its own"
    custom: CustomTable
  }

  "the table or fact sheet type a custom connector serves, as the connector list shows it"
  type CustomTable {
    id: ID!
    connectionId: ID!
    baseConnector: String!
    keyField: String!
    displayField: String!
    filter: String
    "the table as discovered (name, label, parent, fields with type, reference, choices, mandatory, readOnly), the subset applied"
    entity: JSON!
    discoveredAt: String!
  }

  "a table or fact sheet type of a connection registered at run time as a connector (REST /api/v1/custom-connectors)"
  type CustomConnector {
    id: ID!
    name: String!
    connectionId: ID!
    connection: Connection
    "the connection's connector, whose client reaches the system"
    baseConnector: String!
    entity: String!
    keyField: String!
    displayField: String!
    "the field subset offered, null for every field"
    fields: [String!]
    filter: String
    "the table as discovered, the subset applied"
    schema: JSON!
    discoveredAt: String!
    createdAt: String!
    updatedAt: String!
    "when it was removed: its mappings may not run, their links are kept until the cleanup is confirmed"
    removedAt: String
  }

  "a custom connector removed (removeCustomConnector)"
  type CustomConnectorRemoval {
    connector: CustomConnector!
    "the mappings of its table ({ id, name }): their runs are refused from now on"
    mappings: JSON!
    cancelledRuns: [ID!]!
  }

  "a custom connector changed in place (updateCustomConnector)"
  type CustomConnectorChange {
    connector: CustomConnector!
    "fields removed from the table, dropped from the subset, retyped ({ field, from, to }) and added since the stored schema"
    changes: JSON!
    "mappings of the table the change breaks ({ id, name, problems: [{ pointer, message }] }): flagged, their runs refused until saved again"
    drifted: JSON!
    "runs of the table's mappings, made with the connector as it was, cancelled"
    cancelledRuns: [ID!]!
  }

  "a confirmed cleanup (cleanupCustomConnector)"
  type CustomConnectorCleanup {
    "the mappings whose links were deleted ({ id, name }); they are disabled"
    mappings: JSON!
    linksDeleted: Int!
  }

  type Connection {
    id: ID!
    name: String!
    connector: Connector
    "settings without secrets"
    settings: JSON!
    "names of the secrets that are set; values are never returned"
    secretsSet: [String!]!
    createdAt: String!
    updatedAt: String!
    mappings: [Mapping!]!
  }

  type ConnectionPage {
    items: [Connection!]!
    total: Int!
  }

  type Mapping {
    id: ID!
    name: String!
    mode: SyncMode!
    enabled: Boolean!
    sourceEntity: String!
    targetEntity: String!
    source: Connection
    target: Connection
    definition: JSON!
    lastRun: Run
    runs(limit: Int = 20): [Run!]!
  }

  type RunCounts {
${countFields}
  }

  type Run {
    id: ID!
    mapping: Mapping
    status: RunStatus!
    trigger: String!
    dryRun: Boolean!
    queuedAt: String!
    startedAt: String
    finishedAt: String
    counts: RunCounts!
    message: String
  }

  type RunProgress {
    runId: ID!
    mappingId: ID!
    phase: String!
    status: String
    message: String
${countFields}
  }

  "IdentityNow's Provisioning Completed event, in brief: a SIM ticket closed and what it means"
  type ProvisioningCompleted {
    ticketId: String!
    provisioningTarget: String!
    "SUCCESS, FAILED or PENDING"
    result: String!
    at: String!
  }

  type ConnectionChange {
    connectionId: ID!
    action: String!
    at: String!
  }

  type CheckResult {
    ok: Boolean!
    message: String!
    "when ok is false, the stable code of what failed (CW_...)"
    code: String
    connector: String!
    durationMs: Int!
  }

  "where IT components (software) come from on a ServiceNow instance (the sizing advisor)"
  enum SoftwareFlow {
    "software discovery models under a filter"
    samPro
    "software product models, linked through installations"
    sam
    "software packages through software instances"
    legacy
    "none: applications and capabilities only"
    none
  }

  type ModuleEvidence {
    present: Boolean!
    "the plugin and its state, or the rows that say so"
    evidence: String!
  }

  type InstanceModules {
    sam: ModuleEvidence!
    samPro: ModuleEvidence!
    legacy: ModuleEvidence!
    discovery: ModuleEvidence!
  }

  "rows counted with the Aggregate API; null when the table is absent or not readable"
  type AdviceNumbers {
    cmdb_rel_ci: Int
    cmdb_sam_sw_install: Int
    "installations whose discovery model is not normalized to a software product model: the SAM flow leaves them out"
    installsWithoutProductModel: Int
    cmdb_sam_sw_discovery_model: Int
    sizedRows: Int!
    largeInstanceRows: Int!
    filteredDiscoveryModels: Int
    discoveryModelTarget: Int!
    cmdb_software_product_model: Int
    cmdb_software_instance: Int
    cmdb_hardware_product_model: Int
    discoveredServers: Int
  }

  type Advice {
    connectionId: ID!
    flow: SoftwareFlow!
    hardware: Boolean!
    reasons: [String!]!
    warnings: [String!]!
    numbers: AdviceNumbers!
    modules: InstanceModules!
    "plugins: read from v_plugin; data: inferred from the rows"
    modulesFrom: String!
    discoveryModelFilter: String!
    requests: Int!
    tookMs: Int!
  }

  type MappingRef {
    id: ID!
    name: String!
  }

  "what switching a ServiceNow connection to an IT component flow did"
  type FlowApplied {
    flow: SoftwareFlow!
    hardware: Boolean!
    discoveryModelFilter: String!
    "the CSDM applications mapping the IT components' application relations go through; null: none, so no such relation"
    applicationsMapping: String
    created: [MappingRef!]!
    "flow mappings that were disabled and are enabled again"
    enabled: [MappingRef!]!
    "other flows' mappings of the prefix, disabled (kept with their links and versions)"
    disabled: [MappingRef!]!
    unchanged: [MappingRef!]!
    "whether the flow or the hardware choice came from the sizing advisor"
    recommended: Boolean!
  }

  input ConnectionInput {
    name: String!
    connector: String!
    "settings, secrets included (write-only)"
    settings: JSON!
  }

  "what a re-discovery of a custom connector found"
  type Rediscovery {
    connector: CustomConnector!
    "fields removed, retyped ({ field, from, to }) and added since the stored schema"
    changes: JSON!
    "mappings of the table the new schema breaks ({ id, name, problems: [{ pointer, message }] }): flagged, their runs refused until saved again"
    drifted: JSON!
  }

  "a custom connector to register: names are refused with CW_CUSTOM_CONNECTOR_ codes when they could reach a query or a path"
  input CustomConnectorInput {
    "unique among connectors, built-in ones included: lower-case letters, digits, _ and -"
    name: String!
    connectionId: ID!
    "the ServiceNow table (e.g. u_cloud_account) or the LeanIX fact sheet type of the workspace's data model (e.g. CloudAccount); case-sensitive"
    entity: String!
    "the field that identifies a record (a business key)"
    keyField: String!
    "the field a person knows a record by"
    displayField: String!
    "the fields offered to mappings (with the key and display fields); every field when absent"
    fields: [String!]
    "a constraint in the connection's own filter language (a ServiceNow encoded query), ANDed to every read; refused on a connector that cannot AND filters (SAP LeanIX)"
    filter: String
  }

  "what a change of a custom connector sets; a member left out stays as it is. The name, connection, table and key field cannot be changed: remove the connector and register another"
  input CustomConnectorPatch {
    "the field a person knows a record by"
    displayField: String
    "the fields offered to mappings (with the key and display fields); null for every field"
    fields: [String!]
    "a constraint in the connection's own filter language; null or empty for none"
    filter: String
  }

  input ConnectionPatch {
    name: String
    settings: JSON
  }

  type Query {
    connectors: [Connector!]!
    connector(name: String!): Connector
    connections(connector: String, limit: Int = 100, offset: Int = 0): ConnectionPage!
    connection(id: ID!): Connection
    customConnectors: [CustomConnector!]!
    "by id or name"
    customConnector(idOrName: String!): CustomConnector
    mappings(limit: Int = 100, offset: Int = 0): [Mapping!]!
    mapping(id: ID!): Mapping
    runs(mappingId: ID, status: RunStatus, limit: Int = 50): [Run!]!
    run(id: ID!): Run
  }

  type Mutation {
    createConnection(input: ConnectionInput!): Connection! @requires(role: admin)
    updateConnection(id: ID!, patch: ConnectionPatch!): Connection! @requires(role: admin)
    deleteConnection(id: ID!): Boolean! @requires(role: admin)
    checkConnection(id: ID!): CheckResult! @requires(role: operator)
    "registers a table of a connection as a connector: discovered, checked readable, then stored (POST /custom-connectors)"
    createCustomConnector(input: CustomConnectorInput!): CustomConnector! @requires(role: admin)
    "changes a custom connector's display field, field subset or constraint: checked like a registration, the mappings it breaks flagged, their runs cancelled (PATCH /custom-connectors/{idOrName})"
    updateCustomConnector(
      idOrName: String!
      patch: CustomConnectorPatch!
      "the updatedAt you read: the change is refused (CW_CUSTOM_CONNECTOR_CHANGED_MEANWHILE) if someone changed it since"
      expectedUpdatedAt: String
    ): CustomConnectorChange! @requires(role: admin)
    "describes the connector's table again and flags the mappings its changes break (POST /custom-connectors/{idOrName}/discover)"
    rediscoverCustomConnector(idOrName: String!): Rediscovery! @requires(role: admin)
    "removes a custom connector: its runs are cancelled and refused, its links kept until the cleanup (DELETE /custom-connectors/{idOrName})"
    removeCustomConnector(idOrName: String!): CustomConnectorRemoval! @requires(role: admin)
    "deletes the links of a removed custom connector's mappings and disables them; confirm with its name"
    cleanupCustomConnector(idOrName: String!, confirm: String!): CustomConnectorCleanup! @requires(role: admin)
    "the sizing advisor: counts the instance's SAM tables and recommends a flow (POST /connections/{id}/advise)"
    adviseConnection(id: ID!, discoveryModelFilter: String): Advice! @requires(role: operator)
    "IT components from a ServiceNow connection by one flow (POST /connections/{id}/it-component-flow); flow or hardware left out: the advisor's"
    applyItComponentFlow(
      servicenowConnectionId: ID!
      leanixConnectionId: ID!
      flow: SoftwareFlow
      hardware: Boolean
      prefix: String
      discoveryModelFilter: String
    ): FlowApplied! @requires(role: admin)
  }

  type Subscription {
    "progress of runs, of one mapping or of all"
    runProgress(mappingId: ID): RunProgress!
    runFinished(mappingId: ID): RunProgress!
    connectionChanged: ConnectionChange!
    "SIM tickets followed to closure, of one provisioning target (integration name) or of all"
    provisioningCompleted(provisioningTarget: String): ProvisioningCompleted!
  }
${syncTypeDefs}
${statusTypeDefs}
`

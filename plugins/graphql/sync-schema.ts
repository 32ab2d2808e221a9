// The GraphQL side of mappings and runs beyond the records themselves: versions, validation,
// plans, per-record actions, and the mutations that configure mappings and start runs. Mapping
// definitions travel as JSON and are checked by the same schema as on REST.
export const syncTypeDefs = /* GraphQL */ `
  enum RunKind {
    full
    delta
    partial
  }

  extend type Mapping {
    "increases with every save; pass it as expectedVersion to update safely"
    version: Int!
    updatedAt: String!
    updatedBy: String
    versions: [MappingVersion!]!
  }

  extend type Run {
    kind: RunKind!
    "where a running run is: target, source, sweep, relations, changes, done"
    phase: String
    cancelRequested: Boolean!
    actions(
      action: String
      status: String
      kind: String
      changedOnly: Boolean
      "only records whose name or either side's id contains this text (any case, taken literally)"
      search: String
      after: String
      limit: Int = 100
    ): RunActionPage!
  }

  type MappingVersion {
    version: Int!
    createdAt: String!
    createdBy: String
    note: String
    definition: JSON!
  }

  type DefinitionChange {
    op: String!
    pointer: String!
    before: JSON
    after: JSON
  }

  type MappingProblem {
    pointer: String!
    message: String!
  }

  type MappingValidation {
    valid: Boolean!
    problems: [MappingProblem!]!
  }

  type FieldChange {
    key: String!
    side: String!
    field: String!
    before: JSON
    after: JSON
    conflict: JSON
  }

  type RunAction {
    id: ID!
    kind: String!
    action: String!
    status: String!
    side: String!
    sourceId: String
    targetId: String
    display: String
    changes: [FieldChange!]
    message: String
    at: String!
  }

  type RunActionPage {
    items: [RunAction!]!
    "pass as after for the next page"
    next: String
  }

  type PlanSummary {
    action: String!
    status: String!
    kind: String!
    count: Int!
  }

  type Plan {
    run: Run!
    "false when the wait ran out first; ask run(id) later"
    finished: Boolean!
    summary: [PlanSummary!]!
    actions: RunActionPage
  }

  extend type Query {
    mappingVersion(id: ID!, version: Int!): MappingVersion
    mappingDiff(id: ID!, from: Int!, to: Int): [DefinitionChange!]!
    runActions(
      runId: ID!
      action: String
      status: String
      kind: String
      changedOnly: Boolean
      "only records whose name or either side's id contains this text (any case, taken literally)"
      search: String
      after: String
      limit: Int = 100
    ): RunActionPage!
  }

  extend type Mutation {
    "a MappingDefinition as JSON; problems come back as CW_MAPPING_INVALID with extensions.problems"
    createMapping(definition: JSON!): Mapping! @requires(role: admin)
    replaceMapping(id: ID!, definition: JSON!, expectedVersion: Int): Mapping! @requires(role: admin)
    "top-level members of the definition to replace, e.g. {enabled: false}"
    patchMapping(id: ID!, patch: JSON!, expectedVersion: Int): Mapping! @requires(role: admin)
    deleteMapping(id: ID!): Boolean! @requires(role: admin)
    validateMapping(definition: JSON!): MappingValidation! @requires(role: operator)
    restoreMappingVersion(id: ID!, version: Int!): Mapping! @requires(role: admin)
    createCsdmDefaults(leanixConnectionId: ID!, servicenowConnectionId: ID!, prefix: String): [Mapping!]!
      @requires(role: admin)
    "a dry run: what a sync would do, nothing written; waits up to wait seconds"
    planMapping(id: ID!, kind: RunKind = full, withoutRelations: Boolean = false, wait: Int = 30): Plan!
      @requires(role: operator)
    startRun(
      mappingId: ID!
      kind: RunKind = full
      dryRun: Boolean = false
      confirmDeletions: Boolean = false
      withoutRelations: Boolean = false
    ): Run! @requires(role: operator)
    cancelRun(id: ID!): Run! @requires(role: operator)
  }
`

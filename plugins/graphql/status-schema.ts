// The GraphQL side of the status summary (GET /api/v1/status on REST): connections with their
// last check, mappings with their last finished run, the IdentityNow SIM's ticket backlog.
// Connection.health and Mapping.lastFinishedRun are resolved by loaders (loaders.ts), one query
// for every connection or mapping of a request.
export const statusTypeDefs = /* GraphQL */ `
  enum CheckTrigger {
    manual
    periodic
  }

  "the last check of a connection, by hand or periodic"
  type ConnectionHealth {
    checkedAt: String!
    ok: Boolean!
    "the stable code of what failed (CW_...); null when the check passed"
    code: String
    "what worked, or what to fix (never a secret)"
    message: String!
    latencyMs: Int!
    trigger: CheckTrigger!
    "when a check last passed; null when none has"
    lastOkAt: String
  }

  extend type Connection {
    "its last check; null until it is first checked"
    health: ConnectionHealth
  }

  extend type Mapping {
    "its last finished run, dry runs left out"
    lastFinishedRun: Run
  }

  "SIM tickets by state: creating and queued are open, the others closed"
  type SimTicketCounts {
    creating: Int!
    queued: Int!
    committed: Int!
    failed: Int!
    expired: Int!
  }

  type SimBacklog {
    tickets: SimTicketCounts!
    open: Int!
    "when the oldest open ticket was made"
    oldestOpenAt: String
    oldestOpenAgeSeconds: Int
  }

  "whether the integration is healthy"
  type IntegrationStatus {
    generatedAt: String!
    "every connection, by name"
    connections: [Connection!]!
    "every mapping, by name"
    mappings: [Mapping!]!
    "null when the IdentityNow module is not installed"
    sim: SimBacklog
  }

  extend type Query {
    "connections with their last check, mappings with their last run, the SIM backlog"
    integrationStatus: IntegrationStatus!
  }
`

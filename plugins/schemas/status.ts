// Schemas of the status summary (GET /api/v1/status): each connection with its last check, each
// mapping with its last finished run, and the IdentityNow SIM's ticket backlog.
import { Type, type Static } from 'typebox'
import { RefTo } from './common.ts'

const DateTime = Type.String({ format: 'date-time' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T, description?: string) =>
  Type.Union([schema, Type.Null()], description ? { description } : {})

export const ConnectionHealth = Type.Object(
  {
    checkedAt: DateTime,
    ok: Type.Boolean(),
    code: Nullable(Type.String(), 'the stable code of what failed (CW_...); null when the check passed'),
    message: Type.String({ description: 'what worked, or what to fix (never a secret)' }),
    latencyMs: Type.Integer({ minimum: 0 }),
    trigger: Type.Union([Type.Literal('manual'), Type.Literal('periodic')], {
      description:
        'manual: POST /api/v1/connections/{id}/check or checkConnection; periodic: connections.checkIntervalMinutes',
    }),
    lastOkAt: Nullable(DateTime, 'when a check last passed; null when none has'),
  },
  { $id: 'ConnectionHealth', title: 'ConnectionHealth' },
)

const ConnectionStatus = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    connector: Type.String({ description: 'the kind of system (servicenow, leanix, ...)' }),
    health: Nullable(RefTo(ConnectionHealth), 'its last check; null until it is first checked'),
  },
  { title: 'ConnectionStatus' },
)

const MappingStatus = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    enabled: Type.Boolean(),
    lastRun: Nullable(Type.Ref('Run'), 'its last finished run, dry runs left out; null when none has finished'),
  },
  { title: 'MappingStatus' },
)

const count = Type.Integer({ minimum: 0 })

export const SimBacklog = Type.Object(
  {
    tickets: Type.Object(
      { creating: count, queued: count, committed: count, failed: count, expired: count },
      {
        title: 'SimTicketCounts',
        description:
          'tickets by state: creating and queued are open (followed until the service desk closes them), the others closed',
      },
    ),
    open: count,
    oldestOpenAt: Nullable(DateTime, 'when the oldest open ticket was made; null when none is open'),
    oldestOpenAgeSeconds: Nullable(Type.Integer({ minimum: 0 }), 'its age; null when none is open'),
  },
  { title: 'SimBacklog' },
)
export type SimBacklogAnswer = Static<typeof SimBacklog>

export const IntegrationStatus = Type.Object(
  {
    generatedAt: DateTime,
    connections: Type.Array(ConnectionStatus, { description: 'every connection, by name' }),
    mappings: Type.Array(MappingStatus, { description: 'every mapping, by name' }),
    sim: Nullable(SimBacklog, 'the IdentityNow SIM backlog; null when the module is not installed'),
  },
  { title: 'IntegrationStatus' },
)

// Request and response schemas of the mapping and run routes. The mapping definition itself is
// core/mapping/schema.ts: one schema for the REST body, the stored JSON and the docs.
import { Type } from 'typebox'
import { literals } from '../../core/schema/literals.ts'
import { MappingDefinition } from '../../core/mapping/schema.ts'
import { RunCountsSchema } from '../../core/sync/counts.ts'
import { ACTION_KINDS, ACTION_STATUSES } from '../../core/sync/actions.ts'
import { RUN_KINDS, RUN_STATUSES } from '../../core/sync/runs-repository.ts'
import { ListOf, RefTo } from './common.ts'

export { MappingDefinition, RunCountsSchema }

const Uuid = Type.String({ format: 'uuid' })
const DateTime = Type.String({ format: 'date-time' })

export const Mapping = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    version: Type.Integer({
      minimum: 1,
      description: 'increases with every save; send it back in If-Match to update safely',
    }),
    enabled: Type.Boolean(),
    mode: literals(['additive', 'conservative', 'strict']),
    sourceConnectionId: Uuid,
    targetConnectionId: Uuid,
    sourceEntity: Type.String(),
    targetEntity: Type.String(),
    definition: RefTo(MappingDefinition),
    createdAt: DateTime,
    updatedAt: DateTime,
    updatedBy: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'Mapping', title: 'Mapping' },
)

export const MappingList = ListOf(RefTo(Mapping), 'MappingList')

export const MappingListQuery = Type.Object(
  {
    connectionId: Type.Optional(Uuid),
    enabled: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
)

export const MappingPatch = Type.Partial(Type.Object(MappingDefinition.properties), {
  additionalProperties: false,
  title: 'MappingPatch',
  description: 'top-level members to replace in the definition; the result is validated as a whole',
})

export const IfMatch = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      pattern: '^(W/)?"?\\d+"?$',
      description: 'the version you read (its ETag): the save fails with 409 if someone saved since',
    }),
  ),
})

export const Problem = Type.Object({
  pointer: Type.String({ description: 'JSON pointer into the definition' }),
  message: Type.String(),
})

export const ValidationResult = Type.Object(
  { valid: Type.Boolean(), problems: Type.Array(Problem) },
  { title: 'MappingValidation' },
)

export const VersionSummary = Type.Object({
  version: Type.Integer(),
  createdAt: DateTime,
  createdBy: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
})

export const MappingVersion = Type.Object(
  {
    version: Type.Integer(),
    createdAt: DateTime,
    createdBy: Type.Union([Type.String(), Type.Null()]),
    note: Type.Union([Type.String(), Type.Null()]),
    definition: RefTo(MappingDefinition),
  },
  { title: 'MappingVersion' },
)

export const VersionList = ListOf(VersionSummary, 'MappingVersionList')

export const VersionParams = Type.Object({ id: Uuid, version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) })

export const DiffQuery = Type.Object(
  {
    to: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000,
        description: 'compare with this version instead of the current one',
      }),
    ),
  },
  { additionalProperties: false },
)

export const DefinitionDiff = Type.Object(
  {
    from: Type.Integer(),
    to: Type.Integer(),
    changes: Type.Array(
      Type.Object({
        op: literals(['add', 'remove', 'replace']),
        pointer: Type.String(),
        before: Type.Optional(Type.Unknown()),
        after: Type.Optional(Type.Unknown()),
      }),
    ),
  },
  { title: 'MappingDiff' },
)

export const DefaultsRequest = Type.Object(
  {
    leanixConnectionId: Uuid,
    servicenowConnectionId: Uuid,
    prefix: Type.Optional(
      Type.String({ minLength: 1, maxLength: 50, pattern: '^\\S(.*\\S)?$', description: 'name prefix (default CSDM)' }),
    ),
  },
  { additionalProperties: false, title: 'CsdmDefaultsRequest' },
)

export const Run = Type.Object(
  {
    id: Uuid,
    mappingId: Uuid,
    status: literals(RUN_STATUSES),
    kind: literals(RUN_KINDS, {
      description:
        'full: both sides read whole; delta: what changed since the last read; partial: buffered change events',
    }),
    trigger: Type.String({ description: 'manual, schedule, events, plan, ...' }),
    dryRun: Type.Boolean(),
    options: Type.Object({
      confirmDeletions: Type.Optional(Type.Boolean()),
      withoutRelations: Type.Optional(Type.Boolean()),
    }),
    queuedAt: DateTime,
    startedAt: Type.Union([DateTime, Type.Null()]),
    finishedAt: Type.Union([DateTime, Type.Null()]),
    counts: RefTo(RunCountsSchema),
    message: Type.Union([Type.String(), Type.Null()]),
    cancelRequested: Type.Boolean(),
    phase: Type.Union([Type.String(), Type.Null()], {
      description: 'where a running run is: target, source, sweep, relations, changes, done',
    }),
  },
  { $id: 'Run', title: 'Run' },
)

export const RunList = ListOf(RefTo(Run), 'RunList')

export const RunListQuery = Type.Object(
  {
    mappingId: Type.Optional(Uuid),
    status: Type.Optional(literals(RUN_STATUSES)),
    trigger: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
)

export const StartRun = Type.Object(
  {
    kind: Type.Optional(
      literals(['full', 'delta'], {
        description: 'full (default) or delta: only what changed since the last completed read',
      }),
    ),
    dryRun: Type.Optional(Type.Boolean({ description: 'plan only: nothing is written' })),
    confirmDeletions: Type.Optional(
      Type.Boolean({ description: 'let this run delete past the deletion guard (an operator has checked the plan)' }),
    ),
    withoutRelations: Type.Optional(Type.Boolean({ description: 'skip relation mappings' })),
  },
  { additionalProperties: false, title: 'StartRun' },
)

export const PlanRequest = Type.Object(
  {
    kind: Type.Optional(literals(['full', 'delta'])),
    withoutRelations: Type.Optional(Type.Boolean()),
    wait: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 120,
        description: 'seconds to wait for the plan; 0 answers at once with the queued run',
      }),
    ),
  },
  { additionalProperties: false, title: 'PlanRequest' },
)

const Comparable = Type.Union([Type.String(), Type.Null(), Type.Array(Type.String())])

export const RunAction = Type.Object(
  {
    id: Type.String(),
    kind: literals(['record', 'relation']),
    action: literals(ACTION_KINDS),
    status: literals(ACTION_STATUSES),
    side: literals(['source', 'target']),
    sourceId: Type.Union([Type.String(), Type.Null()]),
    targetId: Type.Union([Type.String(), Type.Null()]),
    display: Type.Union([Type.String(), Type.Null()]),
    changes: Type.Union([
      Type.Array(
        Type.Object({
          key: Type.String(),
          side: literals(['source', 'target']),
          field: Type.String(),
          before: Comparable,
          after: Comparable,
          conflict: Type.Optional(
            Type.Object({ source: Comparable, target: Comparable, winner: literals(['source', 'target']) }),
          ),
        }),
      ),
      Type.Null(),
    ]),
    message: Type.Union([Type.String(), Type.Null()]),
    at: DateTime,
  },
  { $id: 'RunAction', title: 'RunAction' },
)

export const ActionList = Type.Object(
  {
    items: Type.Array(RefTo(RunAction)),
    next: Type.Union([Type.String(), Type.Null()], {
      description: 'pass as `after` for the next page; null at the end',
    }),
  },
  { title: 'RunActionList' },
)

export const ActionQuery = Type.Object(
  {
    action: Type.Optional(literals(ACTION_KINDS)),
    status: Type.Optional(literals(ACTION_STATUSES)),
    kind: Type.Optional(literals(['record', 'relation'])),
    changedOnly: Type.Optional(Type.Boolean({ description: 'leave out NONE (unchanged)' })),
    search: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "only records whose name or either side's id contains this text (any case, taken literally)",
      }),
    ),
    after: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
)

export const Plan = Type.Object(
  {
    run: RefTo(Run),
    summary: Type.Array(
      Type.Object({ action: Type.String(), status: Type.String(), kind: Type.String(), count: Type.Integer() }),
    ),
    actions: Type.Optional(ActionList),
  },
  { title: 'Plan' },
)

const changeMembers = {
  entity: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'table or type (ServiceNow: current.getTableName())' }),
  ),
  table: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'same as entity' })),
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  sys_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'same as id' })),
  op: Type.Optional(literals(['create', 'update', 'delete', 'insert'])),
  operation: Type.Optional(
    literals(['insert', 'update', 'delete'], { description: "ServiceNow's current.operation()" }),
  ),
  actor: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'who changed it (sys_updated_by); changes of the hub itself are ignored',
    }),
  ),
  sys_updated_by: Type.Optional(Type.String({ maxLength: 200 })),
}

const ChangeIn = Type.Object(changeMembers, { additionalProperties: false, title: 'ChangeNotification' })

// one object, not a union of "one change" and "a list": a validator that strips unknown members
// would strip `events` while trying the first branch of a union
export const ChangesBody = Type.Object(
  {
    ...changeMembers,
    events: Type.Optional(
      Type.Array(ChangeIn, { minItems: 1, maxItems: 5000, description: 'several changes at once (instead of one)' }),
    ),
  },
  { additionalProperties: false, title: 'ChangeNotifications' },
)

export const ChangesAccepted = Type.Object(
  {
    accepted: Type.Integer({ description: 'events kept for at least one mapping' }),
    ignored: Type.Integer({ description: 'events no enabled mapping takes, or echoes of the hub’s own writes' }),
    mappings: Type.Array(Uuid),
  },
  { title: 'ChangesAccepted' },
)

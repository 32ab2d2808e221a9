// The mapping model: one TypeBox schema is the single source of truth for what a mapping is.
// The REST body, the GraphQL JSON input, the stored JSON and the docs all come from it. A mapping
// keeps one entity of a source connection (the source of truth) in step with one entity of a
// target connection; each field mapping has its own direction, with or against the mapping's.
// The vocabulary follows SAP LeanIX's own ServiceNow integration (field mapping types, sync
// modes, relation mappings), so users who know it find their way.
import { Type, type Static } from 'typebox'

/** Version of the stored definition format; core/mapping/upgrade.ts brings older ones up to it. */
export const MAPPING_SCHEMA_VERSION = 1

const Path = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$',
  description: 'a field name; dot-walking (business_unit.name) is allowed on the side that is read',
})
const FieldName = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
  description: 'a field name (no dot-walking: it is written)',
})

// no `default` keywords inside the field and relation unions: a validator ignores them there
// (and refuses them in strict mode); the kernel applies these defaults itself
export const Direction = Type.Union([Type.Literal('toTarget'), Type.Literal('toSource')], {
  description:
    '(default toTarget) toTarget: the source value is written to the target (the normal direction); toSource: the target value is written back to the source, against the mapping direction',
})

export const SyncMode = Type.Union([Type.Literal('additive'), Type.Literal('conservative'), Type.Literal('strict')], {
  default: 'conservative',
  description:
    'additive: never deletes; conservative: deletes only targets this mapping created or linked whose source is gone; strict: also deletes every target in scope with no counterpart on the source side (behind the deletion guard)',
})

const Scalar = Type.Union([Type.String({ maxLength: 4000 }), Type.Number(), Type.Boolean(), Type.Null()])

const ValuePair = Type.Object(
  {
    source: Type.String({ maxLength: 1000, description: 'value on the source side (a choice key, a tag name...)' }),
    target: Type.String({ maxLength: 1000, description: 'value on the target side' }),
  },
  { additionalProperties: false },
)
const ValuePairs = Type.Array(ValuePair, {
  maxItems: 1000,
  description:
    'explicit value table; several source values may map to one target value only when the field is written toTarget (the map must be reversible to be written toSource)',
})
const Unmapped = Type.Union([Type.Literal('ignore'), Type.Literal('clear')], {
  description:
    '(default ignore) a value the table does not name: ignore leaves the other side as it is, clear empties it',
})

const common = {
  id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'stable key of this field mapping (defaults to its written field); conflicts are tracked by it',
    }),
  ),
  direction: Type.Optional(Direction),
}

export const PlainField = Type.Object(
  { type: Type.Literal('field'), source: Path, target: Path, ...common },
  { additionalProperties: false, title: 'PlainField', description: 'copy a raw value (FOREIGN_FIELD)' },
)
export const ValueMapField = Type.Object(
  {
    type: Type.Literal('valueMap'),
    source: Path,
    target: Path,
    values: ValuePairs,
    unmapped: Type.Optional(Unmapped),
    ...common,
  },
  {
    additionalProperties: false,
    title: 'ValueMapField',
    description: 'single or multiple select <-> choice or list through a value table (VALUE_MAPPING)',
  },
)
export const FixedValueField = Type.Object(
  { type: Type.Literal('fixed'), target: FieldName, value: Scalar, ...common },
  {
    additionalProperties: false,
    title: 'FixedValueField',
    description: 'a constant written on every synced record (FIXED_VALUE); toSource writes it on the source',
  },
)
export const UrlField = Type.Object(
  { type: Type.Literal('url'), target: FieldName, ...common },
  {
    additionalProperties: false,
    title: 'UrlField',
    description: "the counterpart record's URL (e.g. the LeanIX fact sheet URL) written into a field (URL)",
  },
)
export const ExternalIdField = Type.Object(
  { type: Type.Literal('externalId'), target: FieldName, ...common },
  {
    additionalProperties: false,
    title: 'ExternalIdField',
    description: "the counterpart record's id written into a field, e.g. an external id field (EXTERNAL_ID)",
  },
)
export const LifecycleField = Type.Object(
  {
    type: Type.Literal('lifecycle'),
    source: Path,
    target: Path,
    phase: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'a phase (plan, phaseIn, active, phaseOut, endOfLife): its start date <-> a date field; without it the current phase is written through `values`',
      }),
    ),
    values: Type.Optional(ValuePairs),
    unmapped: Type.Optional(Unmapped),
    ...common,
  },
  {
    additionalProperties: false,
    title: 'LifecycleField',
    description:
      'a lifecycle: the current phase (through a value table, toward the non-lifecycle side only) or one phase date, both ways',
  },
)
export const TagGroupField = Type.Object(
  {
    type: Type.Literal('tagGroup'),
    tagGroup: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'name of the tag group; "Other tags" for tags without a group',
    }),
    field: Path,
    values: Type.Optional(ValuePairs),
    unmapped: Type.Optional(Unmapped),
    ...common,
  },
  {
    additionalProperties: false,
    title: 'TagGroupField',
    description:
      'the tags of one group on the side that has tags <-> `field` on the other side: comma-separated names (TAG_GROUP_FIELD), or through a value table to a choice (TAG_GROUP_MAPPING)',
  },
)
export const SubscriptionField = Type.Object(
  {
    type: Type.Literal('subscription'),
    subscriptionType: Type.Union([Type.Literal('RESPONSIBLE'), Type.Literal('ACCOUNTABLE'), Type.Literal('OBSERVER')]),
    role: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'subscription role name' })),
    field: Path,
    userEntity: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          "the entity the user reference points to (default: the reference's table, else sys_user); users are matched by email",
      }),
    ),
    ...common,
  },
  {
    additionalProperties: false,
    title: 'SubscriptionField',
    description:
      'the first subscriber of a type (and role) on the side that has subscriptions <-> the user reference `field` on the other side, matched by email (SUBSCRIPTION)',
  },
)
export const ArchivedStatusField = Type.Object(
  { type: Type.Literal('archivedStatus'), target: FieldName, value: Scalar },
  {
    additionalProperties: false,
    title: 'ArchivedStatusField',
    description:
      'when a linked source record is archived or gone, write this value on the target instead of deleting it (ARCHIVED_STATUS_MAPPING)',
  },
)
export const RelatedNamesField = Type.Object(
  {
    type: Type.Literal('relatedNames'),
    relation: FieldName,
    field: FieldName,
    max: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'names listed at most (default 100)' })),
    ...common,
  },
  {
    additionalProperties: false,
    title: 'RelatedNamesField',
    description:
      'comma-separated display names of the records a relation field points to (at most `max`, then "+N more") written to the text field `field` on the other side (RELATED_FACTSHEETS)',
  },
)

export const FieldMapping = Type.Union(
  [
    PlainField,
    ValueMapField,
    FixedValueField,
    UrlField,
    ExternalIdField,
    LifecycleField,
    TagGroupField,
    SubscriptionField,
    ArchivedStatusField,
    RelatedNamesField,
  ],
  { title: 'FieldMapping' },
)

/** How one side of a relation mapping holds the relation. */
const RelationOnRecord = Type.Object(
  {
    kind: Type.Literal('field'),
    field: FieldName,
  },
  {
    additionalProperties: false,
    description: 'a relation or reference field on the record itself (a LeanIX relation, a reference, a glide list)',
  },
)
const RelationCmdbRelCi = Type.Object(
  {
    kind: Type.Literal('cmdbRelCi'),
    relType: Type.String({
      minLength: 3,
      maxLength: 200,
      pattern: '::',
      description: "a cmdb_rel_type name as 'parent descriptor::child descriptor', e.g. 'Provided by::Provides'",
    }),
    self: Type.Union([Type.Literal('parent'), Type.Literal('child')], {
      description: "which end of the cmdb_rel_ci row this mapping's records are",
    }),
    table: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'default cmdb_rel_ci' })),
  },
  { additionalProperties: false, description: 'rows of cmdb_rel_ci of one type (CMDB_REL_CI)' },
)
const RelationTable = Type.Object(
  {
    kind: Type.Literal('table'),
    table: FieldName,
    selfField: FieldName,
    otherField: FieldName,
  },
  {
    additionalProperties: false,
    description: 'rows of a table with two reference columns (MAPPING_TABLE)',
  },
)

export const RelationSide = Type.Union([RelationOnRecord, RelationCmdbRelCi, RelationTable])

export const RelationMapping = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    otherMapping: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'name (or id) of the mapping that links the records at the other end',
    }),
    source: RelationSide,
    target: RelationSide,
  },
  {
    additionalProperties: false,
    title: 'RelationMapping',
    description:
      'a relation kept in step between linked records; relations to records the other mapping does not link are never touched',
  },
)

const MatchRule = Type.Object(
  {
    source: Type.Array(Path, { minItems: 1, maxItems: 5, description: 'source fields, concatenated' }),
    target: Type.Array(Path, { minItems: 1, maxItems: 5, description: 'target fields, concatenated' }),
  },
  { additionalProperties: false },
)

export const Matching = Type.Object(
  {
    rules: Type.Array(MatchRule, {
      minItems: 0,
      maxItems: 5,
      description: 'tried in order for a source record that has no link yet; the first rule with one candidate links',
    }),
    ignoreCase: Type.Boolean({ default: true }),
    collapseWhitespace: Type.Boolean({ default: true, description: 'trim, and fold runs of white space into one' }),
  },
  { additionalProperties: false, description: 'how a record is linked on first sight (matching rules)' },
)

export const GraphRule = Type.Object(
  {
    rule: Type.String({
      pattern: '^[A-Z][A-Z0-9_]*$',
      maxLength: 100,
      description:
        "name of a graph rule the side's connector computes for the entity (e.g. APPLICATION_SAM_CONNECTION); saving a mapping with a rule the connector does not list answers the ones it knows",
    }),
    filter: Type.Optional(
      Type.String({
        maxLength: 8000,
        description:
          "narrows what the rule starts from or walks through (the rule's description says what), in the system's own language",
      }),
    ),
    hops: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 6,
        description: "relation hops the rule may follow, where it walks a graph (default: the rule's own)",
      }),
    ),
  },
  {
    additionalProperties: false,
    title: 'GraphRule',
    description:
      "a graph-rule constraint (as in SAP LeanIX's ServiceNow integration): computed by the connector over several tables",
  },
)

export const Side = Type.Object(
  {
    connectionId: Type.String({ format: 'uuid' }),
    entity: Type.String({ minLength: 1, maxLength: 100, description: 'table name or fact sheet type' }),
    category: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'fact sheet subtype (LeanIX category)' }),
    ),
    filter: Type.Optional(
      Type.String({
        maxLength: 8000,
        description:
          "constraint in the system's own language (a ServiceNow encoded query, a LeanIX facet filter as JSON); pushed down to the API and evaluated locally on events",
      }),
    ),
    identityField: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
        description:
          "field where the hub writes the source id on records it creates (default: the connector's, e.g. correlation_id, externalId), so a create is found again, never repeated",
      }),
    ),
    graphRules: Type.Optional(
      Type.Array(GraphRule, {
        maxItems: 5,
        description:
          "graph-rule constraints (LeanIX's syncConstraint.graphRules): only records that at least one rule lets through sync, each with the fields the rule adds (e.g. the related applications), which field, matching and relation mappings may name; ANDed with `filter`. Change events of this side are not checked against `filter` locally: the partial run's lookup decides",
      }),
    ),
  },
  { additionalProperties: false },
)

export const DeletionGuard = Type.Object(
  {
    maxRatio: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.5,
      description:
        'refuse a sweep that would delete more than this share of the targets in scope (LeanIX maximumDeletionRatio)',
    }),
    refuseEmptySource: Type.Boolean({
      default: true,
      description: 'refuse deletions when the source read nothing',
    }),
  },
  { additionalProperties: false },
)

export const Schedule = Type.Object(
  {
    cron: Type.Union([Type.String({ minLength: 9, maxLength: 100 }), Type.Null()], {
      default: '0 0 * * *',
      description: 'full sync schedule (5-field cron), null for none; default nightly at midnight',
    }),
    timezone: Type.String({ minLength: 1, maxLength: 64, default: 'UTC' }),
  },
  { additionalProperties: false },
)

export const EventSettings = Type.Object(
  {
    partialSync: Type.Union([Type.Literal('full'), Type.Literal('skip'), Type.Literal('withoutRelations')], {
      default: 'full',
      description: 'what change events do: full partial syncs, none, or record fields only',
    }),
    shortBuffering: Type.Boolean({
      default: false,
      description: 'sync each change at once (short event buffering) instead of batching',
    }),
    batchSize: Type.Integer({ minimum: 1, maximum: 100_000, default: 5000, description: 'changes that start a batch' }),
    batchMinutes: Type.Number({
      minimum: 0,
      maximum: 1440,
      default: 15,
      description: 'minutes after the first buffered change that start a batch',
    }),
  },
  { additionalProperties: false },
)

export const MappingDefinition = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '^\\S(.*\\S)?$', description: 'unique name' }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    enabled: Type.Boolean({ default: true }),
    source: Side,
    target: Side,
    mode: SyncMode,
    fields: Type.Array(FieldMapping, { maxItems: 500 }),
    relations: Type.Array(RelationMapping, { maxItems: 50, default: [] }),
    matching: Type.Optional(Matching),
    deletion: Type.Optional(DeletionGuard),
    schedule: Type.Optional(Schedule),
    events: Type.Optional(EventSettings),
  },
  { additionalProperties: false, title: 'MappingDefinition', $id: 'MappingDefinition' },
)

export type MappingDefinitionInput = Static<typeof MappingDefinition>
export type SyncModeName = Static<typeof SyncMode>
export type FieldMappingInput = Static<typeof FieldMapping>
export type RelationMappingInput = Static<typeof RelationMapping>
export type RelationSideInput = Static<typeof RelationSide>
export type SideInput = Static<typeof Side>
export type GraphRuleInput = Static<typeof GraphRule>

/** A definition with every default filled in: what the kernel compiles and stores. */
export interface MappingSpec extends MappingDefinitionInput {
  matching: Static<typeof Matching>
  deletion: Static<typeof DeletionGuard>
  schedule: Static<typeof Schedule>
  events: Static<typeof EventSettings>
  relations: RelationMappingInput[]
}

export const DEFAULT_MATCHING: Static<typeof Matching> = {
  rules: [{ source: ['name'], target: ['name'] }],
  ignoreCase: true,
  collapseWhitespace: true,
}

// Request and response schemas of the entity routes: what a connection holds (its entities and
// their fields, as the connector discovers them) and a preview of a few records of one.
import { Type } from 'typebox'
import { PREVIEW_MAX } from '../../core/connections/entities.ts'
import { ListOf, RefTo } from './common.ts'

export const EntityField = Type.Object(
  {
    name: Type.String(),
    label: Type.Optional(Type.String()),
    type: Type.String({
      description:
        'string, integer, decimal, boolean, date, datetime, reference, choice, json, list, lifecycle, externalId, tags, subscriptions or relation',
    }),
    reference: Type.Optional(Type.String({ description: 'the entity a reference or relation points to' })),
    choices: Type.Optional(Type.Array(Type.Object({ value: Type.String(), label: Type.Optional(Type.String()) }))),
    readOnly: Type.Optional(Type.Boolean()),
    mandatory: Type.Optional(Type.Boolean()),
    secret: Type.Optional(
      Type.Boolean({
        description:
          'a credential (a password type, or a name such as password, token or api_key): previews never show it',
      }),
    ),
  },
  { $id: 'EntityField', title: 'EntityField' },
)

export const Entity = Type.Object(
  {
    name: Type.String({ description: 'a ServiceNow table name, a LeanIX fact sheet type' }),
    label: Type.Optional(Type.String()),
    parent: Type.Optional(Type.String({ description: 'the super class where the system has inheritance' })),
    categories: Type.Optional(Type.Array(Type.String())),
    fields: Type.Array(RefTo(EntityField)),
    graphRules: Type.Optional(
      Type.Array(
        Type.Object({
          name: Type.String(),
          description: Type.String(),
          filterApplies: Type.Optional(Type.String({ description: "what a rule's filter narrows" })),
          fields: Type.Array(RefTo(EntityField), {
            description: 'fields the rule adds to each record it lets through',
          }),
          hops: Type.Optional(
            Type.Object(
              {
                default: Type.Integer({ description: 'the hops the rule follows when a mapping names none' }),
                max: Type.Integer({ description: 'the most hops a mapping may ask for' }),
              },
              {
                description: 'where the rule walks relations; absent when it walks none (a mapping may not name hops)',
              },
            ),
          ),
        }),
        {
          description:
            "graph rules the connector computes for this entity: a mapping's source side may name them in graphRules",
        },
      ),
    ),
  },
  { $id: 'Entity', title: 'Entity' },
)

export const EntityList = ListOf(RefTo(Entity), 'EntityList')

export const EntityParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  entity: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
})

export const PREVIEW_DEFAULT = 5

export const PreviewQuery = Type.Object({
  limit: Type.Integer({
    minimum: 1,
    maximum: PREVIEW_MAX,
    default: PREVIEW_DEFAULT,
    description: `records to show, ${PREVIEW_MAX} at most`,
  }),
  filter: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 4000,
      description:
        "only records that match, in the system's own language: a ServiceNow encoded query (active=true^nameSTARTSWITHPay), a LeanIX facet filter as JSON",
    }),
  ),
})

export const EntityPreview = Type.Object(
  {
    entity: Type.String(),
    fields: Type.Array(Type.String(), { description: 'the fields shown (relations are not read in a preview)' }),
    redacted: Type.Array(Type.String(), {
      description: 'fields of the entity that hold credentials: never read, never shown',
    }),
    items: Type.Array(
      Type.Object({ id: Type.String() }, { additionalProperties: true, description: 'a record: id, then its fields' }),
    ),
  },
  { title: 'EntityPreview' },
)

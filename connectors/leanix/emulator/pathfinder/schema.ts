// The Pathfinder GraphQL schema, generated from the workspace's meta model: one object type per
// fact sheet type implementing BaseFactSheet, one connection per relation name, the
// FactSheetType enum of the workspace's types, and the root Query and Mutation (docs/reference/leanix.md §3).
import {
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
} from 'graphql'
import type { FieldDefinition, MetaModel, RelationView } from '../meta-model.ts'
import type { FactSheetRecord, LifecycleValue, RelationRecord, SubscriptionRecord } from '../workspace/records.ts'
import type { WorkspaceStore } from '../workspace/store.ts'
import type { PathfinderContext } from './context.ts'
import { completion, displayName, fullName, level } from './derived-fields.ts'
import { MAX_EDGES_PER_QUERY, page, type FilterInput, type SortingInput } from './fact-sheet-query.ts'
import { EVENT_TYPE_NAMES } from '../webhooks/payloads.ts'
import type { LogEvent } from './log-events.ts'
import { mutationFields } from './mutations.ts'
import { constrainingRelationsOf, constraintMutationFields } from './constraint-mutations.ts'
import { documentMutationFields } from './document-mutations.ts'
import { facetsFor } from './facet-options.ts'
import { tagMutationFields } from './tag-mutations.ts'
import {
  CompletionType,
  connectionOf,
  DocumentConnectionType,
  DateTimeScalar,
  ExternalIdType,
  FactSheetStatusEnum,
  FilterInputType,
  FilterOptionsType,
  LifecycleType,
  LocationType,
  LongScalar,
  PermissionsType,
  SortingInput as SortingInputType,
  SubscriptionRoleConnectionType,
  SubscriptionRoleType,
  SubscriptionTypeEnum,
  TagConnectionType,
  TagFilterInputType,
  TagGroupConnectionType,
  TagType,
  UserConnectionType,
  UserType,
  ValidityFilterInputType,
} from './schema-common.ts'

type Resolver<T> = (source: T, args: Record<string, unknown>, context: PathfinderContext) => unknown

/** every event kind the workspace records, in the order LeanIX lists them (docs/reference/leanix.md §5) */
const EVENT_TYPES = Object.keys(EVENT_TYPE_NAMES)

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1)
}

/** The phase in effect today, LeanIX's `lifecycle.asString`. */
function currentPhase(lifecycle: LifecycleValue, today: string): string | null {
  let current: string | null = null
  for (const p of [...lifecycle.phases].sort((a, b) => a.startDate.localeCompare(b.startDate))) {
    if (p.startDate <= today) current = p.phase
  }
  return current
}

function fieldOutputType(definition: FieldDefinition): GraphQLOutputType {
  switch (definition.type) {
    case 'STRING':
    case 'SINGLE_SELECT':
      return GraphQLString
    case 'INTEGER':
      return GraphQLInt
    case 'DOUBLE':
      return GraphQLFloat
    case 'MULTIPLE_SELECT':
      return new GraphQLList(GraphQLString)
    case 'LIFECYCLE':
      return LifecycleType
    case 'EXTERNAL_ID':
      return ExternalIdType
    case 'LOCATION':
      return LocationType
  }
}

export interface SchemaParts {
  schema: GraphQLSchema
  factSheetTypeEnum: GraphQLEnumType
}

export function buildPathfinderSchema(
  metaModel: MetaModel,
  relationViews: Map<string, Map<string, RelationView>>,
): SchemaParts {
  const typeNames = Object.keys(metaModel.factSheets)
  const factSheetTypeEnum = new GraphQLEnumType({
    name: 'FactSheetType',
    values: Object.fromEntries(typeNames.map((t) => [t, { value: t }])),
  })

  const subscriptionType: GraphQLObjectType = new GraphQLObjectType<SubscriptionRecord, PathfinderContext>({
    name: 'Subscription',
    fields: () => ({
      id: { type: new GraphQLNonNull(GraphQLID) },
      type: { type: SubscriptionTypeEnum },
      createdAt: { type: DateTimeScalar },
      user: {
        type: UserType,
        resolve: (s, _a, ctx) => userView(ctx.store, s.userId),
      },
      roles: {
        type: new GraphQLList(SubscriptionRoleType),
        resolve: (s, _a, ctx) =>
          s.roles.map((link) => ({ ...ctx.store.subscriptionRoles.get(link.id), id: link.id, comment: link.comment })),
      },
      factSheet: {
        type: baseFactSheet,
        resolve: (s, _a, ctx) => ctx.store.factSheets.get(s.factSheetId) ?? null,
      },
    }),
  })
  const subscriptionConnection = connectionOf('Subscription', subscriptionType)

  const baseFields = (): GraphQLFieldConfigMap<FactSheetRecord, PathfinderContext> => ({
    id: { type: new GraphQLNonNull(GraphQLID) },
    rev: { type: new GraphQLNonNull(LongScalar) },
    type: { type: new GraphQLNonNull(GraphQLString) },
    name: { type: new GraphQLNonNull(GraphQLString) },
    displayName: { type: GraphQLString, resolve: (fs, _a, ctx) => displayName(ctx.store, fs) },
    fullName: { type: GraphQLString, resolve: (fs, _a, ctx) => fullName(ctx.store, fs) },
    description: { type: GraphQLString },
    category: { type: GraphQLString },
    status: { type: FactSheetStatusEnum },
    lxState: { type: GraphQLString },
    qualitySeal: {
      type: GraphQLString,
      resolve: (fs) =>
        fs.lxState === 'APPROVED' ? 'APPROVED' : fs.lxState === 'BROKEN_QUALITY_SEAL' ? 'BROKEN' : 'DISABLED',
    },
    level: { type: GraphQLInt, resolve: (fs, _a, ctx) => level(ctx.store, fs) },
    createdAt: { type: DateTimeScalar },
    updatedAt: { type: DateTimeScalar },
    naFields: { type: new GraphQLList(GraphQLString) },
    tags: {
      type: new GraphQLList(TagType),
      resolve: (fs, _a, ctx) => fs.tagIds.map((id) => tagView(ctx.store, id)).filter((t) => t !== null),
    },
    subscriptions: {
      type: subscriptionConnection,
      args: { first: { type: GraphQLInt }, after: { type: GraphQLString } },
      resolve: (fs, args, ctx) =>
        page(
          ctx.store.subscriptionsOf(fs.id),
          args.first as number | null,
          args.after as string | null,
          MAX_EDGES_PER_QUERY,
        ),
    },
    documents: {
      type: DocumentConnectionType,
      args: { first: { type: GraphQLInt }, after: { type: GraphQLString } },
      resolve: (fs, args, ctx) =>
        page(
          ctx.store.documentsOf(fs.id).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
          args.first as number | null,
          args.after as string | null,
          MAX_EDGES_PER_QUERY,
        ),
    },
    completion: {
      type: CompletionType,
      resolve: (fs, _a, ctx) => {
        const c = completion(ctx.store, fs)
        return { completion: c, percentage: Math.round(c * 100), sectionCompletions: [] }
      },
    },
    permissions: {
      type: PermissionsType,
      resolve: (_fs, _a, ctx) => {
        const write = ctx.user.role !== 'VIEWER'
        return {
          self: write ? ['READ', 'UPDATE', 'ARCHIVE'] : ['READ'],
          create: write,
          read: true,
          update: write,
          delete: write,
        }
      },
    },
  })

  const baseFactSheet: GraphQLInterfaceType = new GraphQLInterfaceType({
    name: 'BaseFactSheet',
    fields: () => {
      const fields = baseFields()
      // interface fields carry no resolvers
      return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { type: v.type, args: v.args }]))
    },
    resolveType: (fs: FactSheetRecord) => fs.type,
  })

  // one constraining relation seen from the constrained relation's fact sheet
  const constrainingRelationType = new GraphQLObjectType<
    { relation: RelationRecord; factSheetId: string },
    PathfinderContext
  >({
    name: 'ConstrainingRelation',
    fields: () => ({
      id: { type: new GraphQLNonNull(GraphQLID), resolve: (c) => c.relation.id },
      type: {
        type: GraphQLString,
        resolve: (c, _a, ctx) => {
          const definition = ctx.store.metaModel.relations.find((d) => d.key === c.relation.definitionKey)
          const name = c.relation.fromId === c.factSheetId ? definition?.from.name : definition?.to.name
          return name === undefined ? null : capitalize(name)
        },
      },
      description: { type: GraphQLString, resolve: (c) => c.relation.description },
      activeFrom: { type: GraphQLString, resolve: (c) => c.relation.activeFrom },
      activeUntil: { type: GraphQLString, resolve: (c) => c.relation.activeUntil },
      factSheet: {
        type: baseFactSheet,
        resolve: (c, _a, ctx) =>
          ctx.store.factSheets.get(c.relation.fromId === c.factSheetId ? c.relation.toId : c.relation.fromId) ?? null,
      },
    }),
  })
  const constrainingRelationsType = new GraphQLObjectType({
    name: 'ConstrainingRelations',
    fields: { totalCount: { type: GraphQLInt }, relations: { type: new GraphQLList(constrainingRelationType) } },
  })

  const objectTypes = new Map<string, GraphQLObjectType>()
  const relationConnection = (type: string, view: RelationView): GraphQLObjectType => {
    const self = view.targetType === type && view.definition.from.factSheetType === view.definition.to.factSheetType
    const relTypeName = capitalize(view.name)
    const graphqlName = self ? `${type}${relTypeName}` : relTypeName
    const fieldsOfRelation: GraphQLFieldConfigMap<RelationRecord, PathfinderContext> = {
      id: { type: new GraphQLNonNull(GraphQLID) },
      type: { type: GraphQLString, resolve: () => relTypeName },
      description: { type: GraphQLString },
      activeFrom: { type: GraphQLString },
      activeUntil: { type: GraphQLString },
      factSheet: {
        type: objectTypes.get(view.targetType) ?? baseFactSheet,
        resolve: (r, _a, ctx) => ctx.store.factSheets.get(view.side === 'from' ? r.toId : r.fromId) ?? null,
      },
    }
    for (const [name, def] of Object.entries(view.definition.fields)) {
      fieldsOfRelation[name] = { type: fieldOutputType(def), resolve: (r) => r.fields[name] ?? null }
    }
    fieldsOfRelation.constrainingRelations = {
      type: constrainingRelationsType,
      resolve: (r, _a, ctx) => {
        const self = view.side === 'from' ? r.fromId : r.toId
        const relations = constrainingRelationsOf(ctx, r).map((c) => ({ relation: c, factSheetId: self }))
        return { totalCount: relations.length, relations }
      },
    }
    const node = new GraphQLObjectType({ name: graphqlName, fields: () => fieldsOfRelation })
    return connectionOf(graphqlName, node)
  }

  const typeFields = (type: string): GraphQLFieldConfigMap<FactSheetRecord, PathfinderContext> => {
    const definition = metaModel.factSheets[type]
    const fields = baseFields()
    for (const [name, def] of Object.entries(definition?.fields ?? {})) {
      const resolve: Resolver<FactSheetRecord> =
        def.type === 'LIFECYCLE'
          ? (fs, _a, ctx) => {
              const lifecycle = fs.fields[name] as LifecycleValue | null | undefined
              if (lifecycle == null || lifecycle.phases.length === 0) return null
              return {
                asString: currentPhase(lifecycle, ctx.store.now().toISOString().slice(0, 10)),
                phases: lifecycle.phases,
              }
            }
          : (fs) => fs.fields[name] ?? null
      fields[name] = { type: fieldOutputType(def), resolve }
    }
    for (const view of relationViews.get(type)?.values() ?? []) {
      fields[view.name] = {
        type: relationConnection(type, view),
        args: {
          first: { type: GraphQLInt },
          after: { type: GraphQLString },
          validityFilter: { type: ValidityFilterInputType },
        },
        resolve: (fs, args, ctx) => {
          const validity = args.validityFilter as { activeFrom?: string | null; activeUntil?: string | null } | null
          const relations = ctx.store
            .relationsAs(fs.id, view)
            .filter(
              (r) =>
                validity == null ||
                ((validity.activeUntil == null || r.activeFrom == null || r.activeFrom <= validity.activeUntil) &&
                  (validity.activeFrom == null || r.activeUntil == null || r.activeUntil >= validity.activeFrom)),
            )
          return page(relations, args.first as number | null, args.after as string | null, MAX_EDGES_PER_QUERY)
        },
      }
    }
    return fields
  }

  for (const type of typeNames) {
    objectTypes.set(
      type,
      new GraphQLObjectType({
        name: type,
        interfaces: [baseFactSheet],
        isTypeOf: (fs: FactSheetRecord) => fs.type === type,
        fields: () => typeFields(type),
      }),
    )
  }

  const eventTypeEnum = new GraphQLEnumType({
    name: 'EventType',
    values: Object.fromEntries(EVENT_TYPES.map((t) => [t, { value: t }])),
  })
  const logEventType = new GraphQLObjectType<LogEvent, PathfinderContext>({
    name: 'LogEvent',
    fields: {
      id: { type: new GraphQLNonNull(GraphQLID) },
      eventType: { type: eventTypeEnum },
      path: { type: GraphQLString },
      oldValue: { type: GraphQLString },
      newValue: { type: GraphQLString },
      message: { type: GraphQLString },
      createdAt: { type: DateTimeScalar },
      user: { type: UserType, resolve: (e, _a, ctx) => userView(ctx.store, e.userId) },
    },
  })
  const logEventConnection = connectionOf('LogEvent', logEventType)

  const factSheetConnection = connectionOf('FactSheet', baseFactSheet, {
    filterOptions: {
      type: FilterOptionsType,
      resolve: (source, _a, context) => {
        const connection = source as { matched: FactSheetRecord[]; factSheetType: string | null }
        return { facets: facetsFor((context as PathfinderContext).store, connection.matched, connection.factSheetType) }
      },
    },
  })

  const query = new GraphQLObjectType<unknown, PathfinderContext>({
    name: 'Query',
    fields: {
      factSheet: {
        type: baseFactSheet,
        args: { id: { type: new GraphQLNonNull(GraphQLID) } },
        resolve: (_s, args, ctx) => ctx.store.factSheets.get(args.id as string) ?? null,
      },
      allFactSheets: {
        type: factSheetConnection,
        args: {
          factSheetType: { type: factSheetTypeEnum },
          filter: { type: FilterInputType },
          first: { type: GraphQLInt },
          after: { type: GraphQLString },
          sort: { type: new GraphQLList(SortingInputType) },
        },
        resolve: (_s, args, ctx) => {
          const list = ctx.query.run({
            factSheetType: args.factSheetType as string | null,
            filter: args.filter as FilterInput | null,
            sort: args.sort as SortingInput[] | null,
          })
          return {
            ...page(list, args.first as number | null, args.after as string | null, MAX_EDGES_PER_QUERY),
            matched: list,
            factSheetType: (args.factSheetType as string | null | undefined) ?? null,
          }
        },
      },
      allLogEvents: {
        type: logEventConnection,
        args: {
          factSheetId: { type: new GraphQLNonNull(GraphQLID) },
          eventTypes: { type: new GraphQLList(eventTypeEnum) },
          first: { type: GraphQLInt },
          after: { type: GraphQLString },
        },
        resolve: (_s, args, ctx) =>
          page(
            ctx.log.of(args.factSheetId as string, (args.eventTypes as string[] | null) ?? null),
            args.first as number | null,
            args.after as string | null,
            MAX_EDGES_PER_QUERY,
          ),
      },
      allTags: {
        type: TagConnectionType,
        args: { first: { type: GraphQLInt }, after: { type: GraphQLString }, filter: { type: TagFilterInputType } },
        resolve: (_s, args, ctx) => {
          const filter = args.filter as {
            ids?: string[] | null
            tagGroupIds?: string[] | null
            name?: string | null
            status?: string | null
          } | null
          const tags = [...ctx.store.tags.values()].filter(
            (t) =>
              (filter?.ids == null || filter.ids.includes(t.id)) &&
              (filter?.tagGroupIds == null || filter.tagGroupIds.includes(t.tagGroupId ?? '')) &&
              (filter?.name == null || t.name.toLowerCase().includes(filter.name.toLowerCase())) &&
              (filter?.status == null || t.status === filter.status),
          )
          return page(
            tags.map((t) => tagView(ctx.store, t.id)),
            args.first as number | null,
            args.after as string | null,
            MAX_EDGES_PER_QUERY,
          )
        },
      },
      allTagGroups: pagedListField(TagGroupConnectionType, (ctx) => [...ctx.store.tagGroups.values()]),
      allSubscriptionRoles: pagedListField(SubscriptionRoleConnectionType, (ctx) => [
        ...ctx.store.subscriptionRoles.values(),
      ]),
      allUsers: pagedListField(UserConnectionType, (ctx) =>
        [...ctx.store.users.keys()].map((id) => userView(ctx.store, id)),
      ),
    },
  })

  const mutation = new GraphQLObjectType<unknown, PathfinderContext>({
    name: 'Mutation',
    fields: {
      ...mutationFields({ baseFactSheet, factSheetTypeEnum, subscriptionType, tagType: TagType }),
      ...documentMutationFields(),
      ...tagMutationFields({ factSheetTypeEnum, tagType: TagType }),
      ...constraintMutationFields(baseFactSheet),
    },
  })

  const schema = new GraphQLSchema({
    query,
    mutation,
    types: [...objectTypes.values()],
  })
  return { schema, factSheetTypeEnum }
}

/** A root list field with first/after paging over the whole list. */
function pagedListField(
  type: GraphQLObjectType,
  list: (ctx: PathfinderContext) => unknown[],
): GraphQLFieldConfig<unknown, PathfinderContext> {
  return {
    type,
    args: { first: { type: GraphQLInt }, after: { type: GraphQLString } },
    resolve: (_s, args, ctx) =>
      page(list(ctx), args.first as number | null, args.after as string | null, MAX_EDGES_PER_QUERY),
  }
}

export function tagView(store: WorkspaceStore, id: string) {
  const tag = store.tags.get(id)
  if (tag === undefined) return null
  return { ...tag, tagGroup: tag.tagGroupId === null ? null : (store.tagGroups.get(tag.tagGroupId) ?? null) }
}

export function userView(store: WorkspaceStore, id: string) {
  const user = store.users.get(id)
  if (user === undefined) return null
  const displayName = [user.firstName, user.lastName].filter(Boolean).join(' ') || user.userName
  return { ...user, displayName, permission: { role: user.role, status: user.status } }
}

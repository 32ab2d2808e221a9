// The parts of the Pathfinder schema that do not depend on the meta model: scalars, enums,
// inputs and the shared object types (docs/reference/leanix.md §3.12). Input type names are kept exactly as
// real scripts declare them in variables: Patch, BaseFactSheetInput, FilterInput, Sorting, Long.
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLString,
  Kind,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
} from 'graphql'

function toLong(value: unknown): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new TypeError(`Long cannot represent ${String(value)}`)
  return n
}

export const LongScalar = new GraphQLScalarType({
  name: 'Long',
  serialize: toLong,
  parseValue: toLong,
  parseLiteral(ast) {
    if (ast.kind === Kind.INT || ast.kind === Kind.STRING) return toLong(ast.value)
    throw new TypeError('Long must be an integer')
  },
})

export const DateTimeScalar = new GraphQLScalarType({ name: 'DateTime' })
export const DateScalar = new GraphQLScalarType({ name: 'Date' })

const enumOf = (name: string, values: readonly string[]) =>
  new GraphQLEnumType({ name, values: Object.fromEntries(values.map((v) => [v, { value: v }])) })

export const FactSheetStatusEnum = enumOf('FactSheetStatus', ['ACTIVE', 'ARCHIVED'])
export const PatchOperationEnum = enumOf('PatchOperation', ['add', 'replace', 'remove'])
export const SubscriptionTypeEnum = enumOf('SubscriptionType', ['RESPONSIBLE', 'ACCOUNTABLE', 'OBSERVER'])
export const FacetKeyOperatorEnum = enumOf('FacetKeyOperator', ['OR', 'AND', 'NOR'])
export const SortOrderEnum = enumOf('SortOrder', ['asc', 'desc'])
export const SortingModeEnum = enumOf('SortingMode', ['BY_FIELD', 'BY_LIFECYCLE_LAST_PHASE'])
export const DateFilterTypeEnum = enumOf('DateFilterType', [
  'POINT',
  'TODAY',
  'END_OF_MONTH',
  'END_OF_YEAR',
  'RANGE',
  'RANGE_STARTS',
  'RANGE_ENDS',
  'TIMELINE',
])
export const TagGroupModeEnum = enumOf('TagGroupMode', ['SINGLE', 'MULTIPLE'])
export const RelationFieldsFilterOperatorEnum = enumOf('RelationFieldsFilterOperator', ['INCLUSIVE', 'EXCLUSIVE'])

const str = { type: GraphQLString }
const list = (t: GraphQLOutputType) => ({ type: new GraphQLList(t) })

export const PatchInput = new GraphQLInputObjectType({
  name: 'Patch',
  fields: {
    op: { type: new GraphQLNonNull(PatchOperationEnum) },
    path: { type: new GraphQLNonNull(GraphQLString) },
    value: str,
  },
})

export const DateFilterInputType = new GraphQLInputObjectType({
  name: 'DateFilterInput',
  fields: { type: { type: DateFilterTypeEnum }, from: str, to: str },
})

export const SubscriptionFilterInputType = new GraphQLInputObjectType({
  name: 'SubscriptionFilterInput',
  fields: { type: { type: SubscriptionTypeEnum }, roleId: { type: GraphQLID } },
})

export const RelationFieldsFilterInputType = new GraphQLInputObjectType({
  name: 'RelationFieldsFilterInput',
  fields: { fieldName: { type: new GraphQLNonNull(GraphQLString) }, values: { type: new GraphQLList(GraphQLString) } },
})

export const ResponseOptionsInputType = new GraphQLInputObjectType({
  name: 'ResponseOptionsInput',
  fields: { maxFacetDepth: { type: GraphQLInt } },
})

// FacetFilterInput and FilterInput refer to each other (subFilter).
export const FilterInputType: GraphQLInputObjectType = new GraphQLInputObjectType({
  name: 'FilterInput',
  fields: () => ({
    facetFilters: { type: new GraphQLList(FacetFilterInputType) },
    fullTextSearch: str,
    ids: { type: new GraphQLList(GraphQLID) },
    externalIds: { type: new GraphQLList(GraphQLString) },
    responseOptions: { type: ResponseOptionsInputType },
  }),
})

export const FacetFilterInputType: GraphQLInputObjectType = new GraphQLInputObjectType({
  name: 'FacetFilterInput',
  fields: () => ({
    facetKey: { type: new GraphQLNonNull(GraphQLString) },
    keys: { type: new GraphQLList(GraphQLString) },
    operator: { type: FacetKeyOperatorEnum },
    dateFilter: { type: DateFilterInputType },
    subscriptionFilter: { type: SubscriptionFilterInputType },
    excludeTransitiveRelations: { type: GraphQLBoolean },
    relationFieldsFilter: { type: new GraphQLList(RelationFieldsFilterInputType) },
    relationFieldsFilterOperator: { type: RelationFieldsFilterOperatorEnum },
    subFilter: { type: FilterInputType },
  }),
})

export const SortingInput = new GraphQLInputObjectType({
  name: 'Sorting',
  fields: { key: str, order: { type: SortOrderEnum }, mode: { type: SortingModeEnum } },
})

export const ValidityFilterInputType = new GraphQLInputObjectType({
  name: 'ValidityFilterInput',
  fields: { activeFrom: str, activeUntil: str },
})

export const UserInputType = new GraphQLInputObjectType({
  name: 'UserInput',
  fields: { id: { type: GraphQLID }, email: str },
})

export const SubscriptionRoleLinkInputType = new GraphQLInputObjectType({
  name: 'SubscriptionToSubscriptionRoleLinkInput',
  fields: { id: { type: new GraphQLNonNull(GraphQLID) }, comment: str },
})

export const PageInfoType = new GraphQLObjectType({
  name: 'PageInfo',
  fields: {
    hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean) },
    hasPreviousPage: { type: GraphQLBoolean },
    startCursor: str,
    endCursor: str,
  },
})

/** A relay connection type `<name>Connection` with `<name>Edge`. */
export function connectionOf(
  name: string,
  node: GraphQLOutputType,
  extra: GraphQLFieldConfigMap<unknown, unknown> = {},
) {
  const edge = new GraphQLObjectType({ name: `${name}Edge`, fields: { node: { type: node }, cursor: str } })
  return new GraphQLObjectType({
    name: `${name}Connection`,
    fields: { totalCount: { type: GraphQLInt }, pageInfo: { type: PageInfoType }, edges: list(edge), ...extra },
  })
}

export const LifecyclePhaseType = new GraphQLObjectType({
  name: 'LifecyclePhase',
  fields: { phase: str, startDate: str, milestoneId: { type: GraphQLID } },
})

export const LifecycleType = new GraphQLObjectType({
  name: 'Lifecycle',
  fields: { asString: str, phases: list(LifecyclePhaseType) },
})

export const ExternalIdType = new GraphQLObjectType({
  name: 'ExternalId',
  fields: { externalId: str, externalUrl: str, comment: str, status: str, externalVersion: str },
})

export const LocationType = new GraphQLObjectType({
  name: 'Location',
  fields: {
    rawAddress: str,
    place: str,
    city: str,
    countryCode: str,
    latitude: { type: GraphQLFloat },
    longitude: { type: GraphQLFloat },
  },
})

export const SectionCompletionType = new GraphQLObjectType({
  name: 'SectionCompletion',
  fields: { name: str, percentage: { type: GraphQLFloat } },
})

export const CompletionType = new GraphQLObjectType({
  name: 'Completion',
  fields: {
    completion: { type: GraphQLFloat },
    percentage: { type: GraphQLFloat },
    sectionCompletions: list(SectionCompletionType),
  },
})

export const PermissionsType = new GraphQLObjectType({
  name: 'FactSheetPermissions',
  fields: {
    self: list(GraphQLString),
    create: { type: GraphQLBoolean },
    read: { type: GraphQLBoolean },
    update: { type: GraphQLBoolean },
    delete: { type: GraphQLBoolean },
  },
})

export const UserPermissionType = new GraphQLObjectType({
  name: 'UserPermission',
  fields: { role: str, status: str },
})

export const UserType = new GraphQLObjectType({
  name: 'User',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    userName: str,
    email: str,
    firstName: str,
    lastName: str,
    displayName: str,
    technicalUser: { type: GraphQLBoolean },
    permission: { type: UserPermissionType },
  },
})

export const TagGroupType = new GraphQLObjectType({
  name: 'TagGroup',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    name: str,
    shortName: str,
    description: str,
    mode: { type: TagGroupModeEnum },
    mandatory: { type: GraphQLBoolean },
    restrictToFactSheetTypes: list(GraphQLString),
  },
})

export const TagType = new GraphQLObjectType({
  name: 'Tag',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    name: str,
    description: str,
    color: str,
    status: str,
    tagGroup: { type: TagGroupType },
  },
})

export const SubscriptionRoleType = new GraphQLObjectType({
  name: 'SubscriptionRole',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    name: str,
    description: str,
    comment: str,
    subscriptionType: { type: SubscriptionTypeEnum },
    restrictToFactSheetTypes: list(GraphQLString),
  },
})

export const FacetResultType = new GraphQLObjectType({
  name: 'FacetResult',
  fields: { key: str, name: str, count: { type: GraphQLInt } },
})

export const FacetType = new GraphQLObjectType({
  name: 'Facet',
  fields: { facetKey: str, results: list(FacetResultType) },
})

export const FilterOptionsType = new GraphQLObjectType({
  name: 'FilterOptions',
  fields: { facets: list(FacetType) },
})

/** A resource link (leanix-sdk-java models/Document.java). */
export const DocumentType = new GraphQLObjectType({
  name: 'Document',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    name: str,
    url: str,
    description: str,
    documentType: str,
    origin: str,
    metadata: str,
    createdAt: str,
  },
})

export const DocumentConnectionType = connectionOf('Document', DocumentType)

/** allTags(filter: ...): our reading of the filter's fields, LeanIX's are not public. */
export const TagFilterInputType = new GraphQLInputObjectType({
  name: 'TagFilter',
  fields: {
    ids: { type: new GraphQLList(GraphQLID) },
    tagGroupIds: { type: new GraphQLList(GraphQLID) },
    name: str,
    status: str,
  },
})

export const TagConnectionType = connectionOf('Tag', TagType)
export const TagGroupConnectionType = connectionOf('TagGroup', TagGroupType)
export const SubscriptionRoleConnectionType = connectionOf('SubscriptionRole', SubscriptionRoleType)
export const UserConnectionType = connectionOf('User', UserType)

// What one GraphQL request may cost, read off the schema so that types added later are costed
// without anyone declaring anything (graphql-query-complexity walks the document, aliases and
// fragments included; the estimator below prices each field):
// - a field costs 1, plus what its selection costs;
// - a field with a `limit` (or `first`/`last`) argument repeats its selection once per item it
//   may return: the argument's value or its default, capped at the largest list the hub serves;
// - a list of objects without such an argument is assumed to hold `assumedListSize` items,
//   except the list inside a page type (a type only reached through fields with a limit), which
//   the limit has already counted;
// - introspection (`__schema`, `__type`, `__typename`) costs nothing: its answer is the schema.
// Mutations are counted apart: each may reach an external system (a connection check), so one
// request carries a bounded number of them, aliases included.
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type FragmentDefinitionNode,
} from 'graphql'
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity'
import { GraphqlErrors } from './errors.ts'

export interface CostSettings {
  /** the most one request may cost */
  maxCost: number
  /** the largest list one field may return (limit arguments are capped at it) */
  maxListSize: number
  /** items assumed in a list of objects that has no limit argument */
  assumedListSize: number
  /** top-level mutation fields one request may carry */
  maxMutations: number
}

/** Arguments that say how many items a field returns. */
export const LIMIT_ARGUMENTS = ['limit', 'first', 'last'] as const

function limitOf(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number | undefined {
  for (const name of LIMIT_ARGUMENTS) {
    if (!field.args.some((a) => a.name === name)) continue
    const value = args[name]
    return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, value) : undefined
  }
  return undefined
}

const pageTypesOf = new WeakMap<GraphQLSchema, Set<string>>()

/** Object types reached only through fields that take a limit (ConnectionPage): their lists are the page. */
function pageTypes(schema: GraphQLSchema): Set<string> {
  let found = pageTypesOf.get(schema)
  if (found) return found
  const withLimit = new Set<string>()
  const without = new Set<string>()
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue
    for (const field of Object.values(type.getFields())) {
      const returned = getNullableType(field.type)
      if (isListType(returned)) continue
      const named: GraphQLNamedType = getNamedType(field.type)
      if (!isObjectType(named)) continue
      const limited = field.args.some((a) => (LIMIT_ARGUMENTS as readonly string[]).includes(a.name))
      ;(limited ? withLimit : without).add(named.name)
    }
  }
  found = new Set([...withLimit].filter((name) => !without.has(name)))
  pageTypesOf.set(schema, found)
  return found
}

function estimator(schema: GraphQLSchema, settings: CostSettings): ComplexityEstimator {
  const pages = pageTypes(schema)
  return ({ type, field, args, childComplexity }) => {
    if (field.name.startsWith('__') || type.name.startsWith('__')) return 0
    const limit = limitOf(field, args)
    if (limit !== undefined) return 1 + Math.min(limit, settings.maxListSize) * childComplexity
    const returned = getNullableType(field.type)
    if (isListType(returned) && isCompositeType(getNamedType(field.type)) && !pages.has(type.name)) {
      return 1 + settings.assumedListSize * childComplexity
    }
    return 1 + childComplexity
  }
}

/** The cost of the operation the request runs (its variables and argument defaults applied). */
export function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  settings: CostSettings,
): number {
  try {
    return getComplexity({
      schema,
      query: document,
      ...(variables ? { variables } : {}),
      ...(operationName ? { operationName } : {}),
      estimators: [estimator(schema, settings)],
      // the walk itself is bounded: a document of more fields than this is refused
      maxQueryNodes: 20_000,
    })
  } catch (error) {
    if ((error as Error).message.includes('maximum allowed number of nodes')) return Number.POSITIVE_INFINITY
    throw error
  }
}

function operationOf(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations[0]
}

/** Top-level fields of the mutation the request runs, aliases and fragments included. */
export function mutationCount(document: DocumentNode, operationName: string | undefined): number {
  const operation = operationOf(document, operationName)
  if (operation?.operation !== 'mutation') return 0
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  )
  const count = (set: SelectionSetNode, seen: Set<string>): number =>
    set.selections.reduce((sum, selection) => {
      if (selection.kind === Kind.FIELD) return sum + (selection.name.value.startsWith('__') ? 0 : 1)
      if (selection.kind === Kind.INLINE_FRAGMENT) return sum + count(selection.selectionSet, seen)
      const fragment = fragments.get(selection.name.value)
      if (!fragment || seen.has(fragment.name.value)) return sum
      return sum + count(fragment.selectionSet, new Set([...seen, fragment.name.value]))
    }, 0)
  return count(operation.selectionSet, new Set())
}

/** Refuses a request that costs too much or carries too many mutations, before anything runs. */
export function enforceCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  settings: CostSettings,
): void {
  const mutations = mutationCount(document, operationName)
  if (mutations > settings.maxMutations) throw new GraphqlErrors.TOO_MANY_MUTATIONS(mutations, settings.maxMutations)
  const cost = costOf(schema, document, variables, operationName, settings)
  if (cost > settings.maxCost) {
    throw new GraphqlErrors.TOO_COMPLEX(Number.isFinite(cost) ? cost : 'more than can be counted', settings.maxCost)
  }
}

// Which GraphQL requests change configuration: those whose selected operation is a mutation.
// Used to audit POST /graphql like the REST routes, without recording every query.
import { Kind, parse, type OperationDefinitionNode } from 'graphql'

export interface GraphqlMutation {
  /** the top-level fields called, e.g. ["createMapping"] */
  fields: string[]
  variables: unknown
}

export function graphqlMutationOf(body: unknown): GraphqlMutation | undefined {
  if (!body || typeof body !== 'object') return undefined
  const { query, operationName, variables } = body as { query?: unknown; operationName?: unknown; variables?: unknown }
  if (typeof query !== 'string') return undefined
  let operations: OperationDefinitionNode[]
  try {
    operations = parse(query).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )
  } catch {
    return undefined
  }
  const operation =
    typeof operationName === 'string'
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined
  if (operation?.operation !== 'mutation') return undefined
  const fields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []))
  return { fields, variables }
}

/** Did the GraphQL answer change anything: some data came back, not only errors. */
export function graphqlAnswerHasData(payload: unknown): boolean {
  if (typeof payload !== 'string') return true
  try {
    const answer = JSON.parse(payload) as { data?: Record<string, unknown> | null }
    return !!answer.data && Object.values(answer.data).some((v) => v !== null)
  } catch {
    return false
  }
}

// Which GraphQL requests change configuration: those whose selected operation is a mutation.
// Used to audit POST /graphql like the REST routes, without recording every query.
import { Kind, parse, type OperationDefinitionNode, type ValueNode } from 'graphql'

export interface GraphqlMutation {
  /** the top-level fields called, e.g. ["createMapping"] */
  fields: string[]
  variables: unknown
  /**
   * Where each variable is used, as a path of argument and input-object field names:
   * `updateConnection(patch: { settings: $s })` gives { s: ["patch", "settings"] }. Lets the
   * audit redact a variable by what it is, whatever the client named it.
   */
  variablePaths: Record<string, string[]>
}

function collectVariables(value: ValueNode, path: string[], into: Record<string, string[]>): void {
  if (value.kind === Kind.VARIABLE) into[value.name.value] ??= path
  else if (value.kind === Kind.OBJECT)
    for (const field of value.fields) collectVariables(field.value, [...path, field.name.value], into)
  else if (value.kind === Kind.LIST) for (const item of value.values) collectVariables(item, path, into)
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
  const fields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s] : []))
  const variablePaths: Record<string, string[]> = {}
  for (const field of fields)
    for (const argument of field.arguments ?? []) collectVariables(argument.value, [argument.name.value], variablePaths)
  return { fields: fields.map((f) => f.name.value), variables, variablePaths }
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

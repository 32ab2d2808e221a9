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

/** what a document's text says, remembered for the texts seen last (clients repeat their queries) */
type Shape = Omit<GraphqlMutation, 'variables'> | null
const shapes = new Map<string, Shape>()
const SHAPES_KEPT = 500
/** longer texts are read each time: kept, 500 of them could hold hundreds of MB */
const LONGEST_KEPT = 8_192

function shapeOf(query: string, operationName: unknown): Shape {
  const key = `${typeof operationName === 'string' ? operationName : ''}\u0000${query}`
  const known = shapes.get(key)
  if (known !== undefined) return known
  const shape = readShape(query, operationName)
  if (query.length > LONGEST_KEPT) return shape
  shapes.set(key, shape)
  if (shapes.size > SHAPES_KEPT) shapes.delete(shapes.keys().next().value as string)
  return shape
}

function readShape(query: string, operationName: unknown): Shape {
  let operations: OperationDefinitionNode[]
  try {
    operations = parse(query).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )
  } catch {
    return null
  }
  const operation =
    typeof operationName === 'string'
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined
  if (operation?.operation !== 'mutation') return null
  const fields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s] : []))
  const variablePaths: Record<string, string[]> = {}
  for (const field of fields)
    for (const argument of field.arguments ?? []) collectVariables(argument.value, [argument.name.value], variablePaths)
  return { fields: fields.map((f) => f.name.value), variablePaths }
}

export function graphqlMutationOf(body: unknown): GraphqlMutation | undefined {
  if (!body || typeof body !== 'object') return undefined
  const { query, operationName, variables } = body as { query?: unknown; operationName?: unknown; variables?: unknown }
  if (typeof query !== 'string') return undefined
  const shape = shapeOf(query, operationName)
  return shape ? { ...shape, variables } : undefined
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

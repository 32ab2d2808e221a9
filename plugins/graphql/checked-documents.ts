// The pre-execution bounds (depth, cost, arguments) decide the same for the same document with
// the same variables, and monitoring sends the same status query over and over; walking it each
// time was a sixth of the CPU a status query cost. mercurius keeps one parsed document per query
// text, so the document object is the key; a pass is remembered per operation and variables
// (small variables only: a long key would cost what it saves). Refusals are not remembered.
import type { DocumentNode, GraphQLSchema } from 'graphql'

/** variables longer than this (as JSON) are checked each time */
const LONGEST_VARIABLES = 2_048
/** passes kept per document (distinct variables) */
const PASSES_PER_DOCUMENT = 100

export class CheckedDocuments {
  readonly #passed = new WeakMap<DocumentNode, { schema: GraphQLSchema; keys: Set<string> }>()

  /** runs `check` unless this document already passed it with these variables against this schema */
  check(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown> | undefined,
    check: () => void,
  ): void {
    const vars = variables === undefined || variables === null ? '' : JSON.stringify(variables)
    const key = vars.length > LONGEST_VARIABLES ? undefined : `${operationName ?? ''}\u0000${vars}`
    const known = this.#passed.get(document)
    if (key !== undefined && known?.schema === schema && known.keys.has(key)) return
    check()
    if (key === undefined) return
    if (!known || known.schema !== schema) this.#passed.set(document, { schema, keys: new Set([key]) })
    else if (known.keys.size < PASSES_PER_DOCUMENT) known.keys.add(key)
  }
}

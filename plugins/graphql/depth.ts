// How deep a GraphQL request nests its fields, bounded by graphql.queryDepth. Introspection
// (`__schema`, `__type`) is not counted: its answer is the schema, whatever the nesting, and the
// standard introspection query that GraphiQL and code generators send nests 13 levels. Data
// fields are counted as before: top-level fields are level 1, fragments add no level of their own.
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql'
import { GraphqlErrors } from './errors.ts'

function depthOf(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visiting: Set<string>,
): number {
  let deepest = 0
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue
      const below = selection.selectionSet ? depthOf(selection.selectionSet, fragments, visiting) : 0
      deepest = Math.max(deepest, 1 + below)
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, visiting))
    } else {
      const name = selection.name.value
      const fragment = fragments.get(name)
      // a cycle is refused by validation; here it only must not loop
      if (!fragment || visiting.has(name)) continue
      visiting.add(name)
      deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, visiting))
      visiting.delete(name)
    }
  }
  return deepest
}

/** The deepest data field of any operation in the document. */
export function queryDepth(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition)
  }
  let deepest = 0
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue
    deepest = Math.max(deepest, depthOf(definition.selectionSet, fragments, new Set()))
  }
  return deepest
}

export function enforceDepth(document: DocumentNode, maxDepth: number): void {
  const depth = queryDepth(document)
  if (depth > maxDepth) throw new GraphqlErrors.TOO_DEEP(depth, maxDepth)
}

// What changed between two versions of a mapping, field by field: RFC 6902 operations between the
// two definitions, each with its JSON pointer and the values before and after.
import jsonPatch from 'fast-json-patch'
import type { MappingSpec } from './schema.ts'

export interface DefinitionChange {
  op: 'add' | 'remove' | 'replace'
  pointer: string
  before?: unknown
  after?: unknown
}

function at(doc: unknown, pointer: string): unknown {
  try {
    return jsonPatch.getValueByPointer(doc, pointer)
  } catch {
    return undefined
  }
}

export function diffDefinitions(from: MappingSpec, to: MappingSpec): DefinitionChange[] {
  const ops = jsonPatch.compare(from as unknown as object, to as unknown as object)
  const out: DefinitionChange[] = []
  for (const op of ops) {
    if (op.op !== 'add' && op.op !== 'remove' && op.op !== 'replace') continue
    out.push({
      op: op.op,
      pointer: op.path,
      ...(op.op !== 'add' ? { before: at(from, op.path) } : {}),
      ...(op.op !== 'remove' ? { after: op.value } : {}),
    })
  }
  return out
}

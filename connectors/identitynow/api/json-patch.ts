// JSON Patch on an integration: SailPoint accepts only `replace` (anything else is 403). A
// replace whose target is absent but whose parent exists is applied as an add, because real
// clients replace optional members (e.g. /ownerRef) that a fresh integration lacks.
import jsonPatch from 'fast-json-patch'
import { IdnErrors } from '../errors.ts'
import type { JsonPatchBodyType } from './schemas.ts'

const READ_ONLY = new Set(['/id', '/created', '/modified'])

export function patchOperations(body: JsonPatchBodyType): Array<{ op: string; path: string; value?: unknown }> {
  return Array.isArray(body) ? body : body.operations
}

export function applyReplacePatch<T extends object>(document: T, body: JsonPatchBodyType): T {
  const operations = patchOperations(body)
  for (const operation of operations) {
    if (operation.op !== 'replace') throw new IdnErrors.PATCH_OP_FORBIDDEN(operation.op)
    if (READ_ONLY.has(operation.path)) throw new IdnErrors.PATCH_INVALID(`${operation.path} is read-only`)
  }
  const copy = structuredClone(document)
  try {
    const ops = operations.map((operation) => {
      const exists = jsonPatch.getValueByPointer(copy, operation.path) !== undefined
      return { op: exists ? 'replace' : 'add', path: operation.path, value: operation.value } as jsonPatch.Operation
    })
    return jsonPatch.applyPatch(copy, ops, true, true).newDocument
  } catch (error) {
    throw new IdnErrors.PATCH_INVALID((error as Error).message.split('\n')[0] ?? 'invalid patch')
  }
}

// Someone may edit a record between the read a run planned from and the run's write (a full
// run stages its targets when it starts, minutes before it writes them). Where the system answers
// an update with the whole record (ServiceNow), the fields the mapping reads from that side, other
// than those this write set, are compared with what was read: a difference is someone else's
// edit (or a business rule's), and the record is queued for a partial run. This is what lets a
// ServiceNow delta leave out the hub's own writes (`sys_updated_by`) without losing such an edit.
import type { FieldType } from '../connector/contract.ts'
import { comparable, sameValue } from '../mapping/values.ts'

/** A field the mapping reads from a side, with its type there (how its values compare). */
export interface ReadField {
  field: string
  type: FieldType
}

export function editedMeanwhile(
  reads: readonly ReadField[],
  planned: Record<string, unknown>,
  written: Record<string, unknown>,
  answer: Record<string, unknown> | undefined,
): boolean {
  if (!answer) return false
  for (const { field, type } of reads) {
    // dot-walked fields and fields the answer or the read lacks cannot be compared
    if (Object.hasOwn(written, field) || !Object.hasOwn(answer, field) || !Object.hasOwn(planned, field)) continue
    // compared as the kernel compares values, so that "5" and 5, or a reference as an object and
    // as its sys_id, are not taken for an edit
    if (!sameValue(comparable(answer[field], type), comparable(planned[field], type))) return true
  }
  return false
}

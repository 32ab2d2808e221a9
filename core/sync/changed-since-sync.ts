// Has a linked record changed since the hub last synced its pair? A delta run reads every record
// updated since the last watermark, and that includes the hub's own writes: the watermark is
// taken before a run writes, so that nothing a user changes meanwhile is missed. Planning each of
// those again (looking up its counterpart) would make the first delta after a full sync as slow
// as the full sync. The link keeps, per field mapping, a hash of the value last synced; a record
// whose mapped fields still hash the same holds nothing its pair's plan would act on.
// Wherever that cannot be known the answer is "changed": a false "changed" costs a look-up, a
// false "unchanged" would lose a user's edit.
import { isSkip, type CompiledField, type SideName } from '../mapping/compile.ts'
import { isoDay, valueHash } from '../mapping/values.ts'
import type { Link } from './links.ts'
import { isSkipMark, readHash, skipMarkParts, type SyncRecord } from './plan.ts'
import type { RunContext } from './run-context.ts'

/** The user look-ups of a field mapping, answered "found" for every email the record names. */
function anyUser(field: CompiledField, record: SyncRecord): ReadonlyMap<string, string | null> {
  // A field that resolves users syncs the email it read, or skips and keeps its old hash; with
  // every email "found", the value is the email the record names now, which is what was hashed.
  return new Map((field.usersNeeded?.(record) ?? []).map((email) => [email, 'found']))
}

/** Whether `record` (on `side`) holds, for any field mapping, a value other than the one last synced. */
async function changed(
  ctx: RunContext,
  side: SideName,
  today: string,
  link: Link,
  record: SyncRecord,
): Promise<boolean> {
  for (const field of ctx.mapping.fields) {
    const last = link.synced[field.key]
    if (last === undefined) return true
    if (isSkipMark(last)) {
      // skipped so far: changed when this side's value is not the one it skipped on
      const mark = skipMarkParts(last)
      const written = field.writeSide === side
      if (
        (written ? valueHash(field.current(record)) : readHash(field, record)) !== (written ? mark.written : mark.read)
      )
        return true
      continue
    }
    if (field.writeSide === side) {
      // drift on the side this field is written to: the plan would put it back
      if (valueHash(field.current(record)) !== last) return true
      continue
    }
    // read from this side: the value it gives now against the one last written
    const desired = field.desired({
      from: record,
      fromId: record.id,
      to: undefined,
      fromUrl: field.needsUrl ? await ctx.recordUrl(side, record.id) : undefined,
      users: anyUser(field, record),
      today,
    })
    // a skip leaves the written field and its hash as they are
    if (!isSkip(desired) && valueHash(desired) !== last) return true
  }
  return false
}

/**
 * The records of a delta page (on `side`) that are new, or changed since their pair was last
 * synced, with their links (undefined for a new one). A relation kept in a field of the record
 * has no hash in the link, so on such a side every record counts as changed.
 */
export async function changedSinceSync(
  ctx: RunContext,
  side: SideName,
  records: SyncRecord[],
): Promise<Array<{ record: SyncRecord; link: Link | undefined }>> {
  const ids = records.map((r) => r.id)
  const links =
    side === 'source'
      ? await ctx.links.bySource(ctx.db, ctx.mappingId, ids)
      : await ctx.links.byTarget(ctx.db, ctx.mappingId, ids)
  const judged = !ctx.mapping.relations.some((r) => r[side].kind === 'field')
  const today = isoDay(ctx.now())
  const out: Array<{ record: SyncRecord; link: Link | undefined }> = []
  for (const record of records) {
    const link = links.get(record.id)
    if (!link || !judged || (await changed(ctx, side, today, link, record))) out.push({ record, link })
  }
  return out
}

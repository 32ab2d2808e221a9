// Partial runs: the records that changed, not the whole tables. A partial run takes the change
// events buffered for its mapping; a delta run reads what changed on both sides since the last
// completed read (the watermarks). Both look targets up in the target system instead of staging
// it, handle sources that are gone (deleted, archived, out of scope) by mode and guard, and bring
// the relations of what they touched in step.
import { comparable, valueAt } from '../mapping/values.ts'
import type { Queryable } from '../store/db.ts'
import { inScope } from './full-run.ts'
import type { Link } from './links.ts'
import type { SyncRecord } from './plan.ts'
import { recordStep, type TargetFinder } from './record-step.ts'
import { relationsOf } from './relations.ts'
import type { RunContext } from './run-context.ts'
import { changedSinceSync } from './changed-since-sync.ts'
import { deleteOrRetire, guardRefusal, unlinked } from './sweep.ts'

const CHUNK = 100

/** Finds targets by asking the target system (no staged pass). */
function lookupFinder(ctx: RunContext): TargetFinder {
  const fields = ctx.mapping.reads.target
  const unlinked = async (records: SyncRecord[]) => {
    const linked = await ctx.links.byTarget(
      ctx.db,
      ctx.mappingId,
      records.map((r) => r.id),
    )
    return records.filter((r) => !linked.has(r.id))
  }
  return {
    byIds: async (ids) =>
      new Map((ids.length ? await ctx.lookup('target', { ids, fields }) : []).map((t) => [t.id, t])),
    byIdentity: async (sourceIds) => {
      const field = ctx.mapping.identityField as string
      const found = await unlinked(
        inScope(ctx, 'target', await ctx.lookup('target', { field, values: sourceIds, fields })),
      )
      const out = new Map<string, SyncRecord[]>()
      for (const t of found) {
        const identity = comparable(valueAt(t, field), 'string')
        if (typeof identity !== 'string') continue
        out.set(identity, [...(out.get(identity) ?? []), t])
      }
      return out
    },
    byKeys: async (ruleIndex, keys, sources) => {
      const rule = ctx.prepared.spec.matching.rules[ruleIndex]
      const compiled = ctx.mapping.match[ruleIndex]
      // only a rule of one target field can be asked for directly; the system compares the raw value
      if (!rule || !compiled || rule.target.length !== 1) return undefined
      const values = new Set<string>()
      for (const sourceId of keys.keys()) {
        const parts = rule.source.map((p) => comparable(valueAt(sources.get(sourceId), p), 'string'))
        if (parts.every((p) => typeof p === 'string')) values.add((parts as string[]).join(' ').trim())
      }
      const filter = ctx.prepared.spec.target.filter
      const found = await unlinked(
        inScope(
          ctx,
          'target',
          await ctx.lookup('target', {
            field: rule.target[0] as string,
            values: [...values],
            fields,
            ...(filter ? { filter } : {}),
          }),
        ),
      )
      const out = new Map<string, SyncRecord[]>()
      for (const t of found) {
        const key = compiled.key(t, 'target')
        if (key !== null) out.set(key, [...(out.get(key) ?? []), t])
      }
      return out
    },
  }
}

/** Processes sources by id: found ones are planned and written, gone ones deleted by mode. */
async function syncSourceIds(
  ctx: RunContext,
  ids: string[],
  finder: TargetFinder,
  touched: Map<string, SyncRecord>,
  after: (last: string) => object,
): Promise<void> {
  const filter = ctx.prepared.spec.source.filter
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK)
    const found = inScope(
      ctx,
      'source',
      await ctx.lookup('source', { ids: chunk, fields: ctx.mapping.reads.source, ...(filter ? { filter } : {}) }),
    )
    // a source the lookup does not return is gone: deleted, outside the filter, or let through by
    // none of the side's graph rules (the lookup carries them), all swept alike by mode and guard
    const foundIds = new Set(found.map((f) => f.id))
    const checkpoint = { ...ctx.checkpoint, ...after(chunk.at(-1) as string) }
    if (found.length > 0) {
      await recordStep(ctx, found, finder, checkpoint)
      for (const f of found) touched.set(f.id, f)
    }
    const gone = chunk.filter((id) => !foundIds.has(id))
    if (gone.length > 0) await sweepGone(ctx, gone, finder, checkpoint)
    else if (found.length === 0) await ctx.commit([], {}, checkpoint)
  }
}

/** Sources that are gone: their targets are deleted (or retired) by mode, behind the guard. */
async function sweepGone(ctx: RunContext, goneIds: string[], finder: TargetFinder, checkpoint: object): Promise<void> {
  const links = [...(await ctx.links.bySource(ctx.db, ctx.mappingId, goneIds)).values()]
  if (links.length === 0 || ctx.prepared.spec.mode === 'additive') {
    await ctx.commit([], {}, { ...ctx.checkpoint, ...checkpoint })
    return
  }
  const refused = guardRefusal({
    candidates: links.length,
    inScope: await ctx.links.count(ctx.db, ctx.mappingId),
    sourceRead: 1,
    maxRatio: ctx.prepared.spec.deletion.maxRatio,
    refuseEmptySource: false,
    confirmed: ctx.run.options.confirmDeletions === true,
  })
  if (refused) ctx.note(`deletions refused: ${refused}`)
  const targets = ctx.mapping.archivedStatus
    ? await finder.byIds(links.map((l: Link) => l.targetId))
    : new Map<string, SyncRecord>()
  const { actions, counts, removed } = await deleteOrRetire(ctx, links, targets, refused, 0)
  await ctx.commit(actions, counts, { ...ctx.checkpoint, ...checkpoint }, async (tx: Queryable) => {
    if (!ctx.dryRun && !refused) await ctx.links.removeBySource(tx, ctx.mappingId, removed)
    if (ctx.dryRun) await ctx.stage.planLinks(tx, ctx.passId, unlinked(removed))
  })
}

/** A partial run over the change events claimed for it. */
export async function changesRun(ctx: RunContext): Promise<void> {
  const claimed = await ctx.db.query<{ side: 's' | 't'; record_id: string }>(
    `update sync_changes set claimed_by = $2 where mapping_id = $1 and (claimed_by is null or claimed_by = $2)
     returning side, record_id`,
    [ctx.mappingId, ctx.run.id],
  )
  const sourceIds = new Set(claimed.rows.filter((r) => r.side === 's').map((r) => r.record_id))
  const targetIds = claimed.rows.filter((r) => r.side === 't').map((r) => r.record_id)
  // a change on the target side re-syncs its pair: drift is put back, fields written toSource flow back
  for (const [, link] of await ctx.links.byTarget(ctx.db, ctx.mappingId, targetIds)) sourceIds.add(link.sourceId)
  const after = ctx.checkpoint.after ?? null
  const ordered = [...sourceIds].sort().filter((id) => after === null || id > after)
  const touched = new Map<string, SyncRecord>()
  await syncSourceIds(ctx, ordered, lookupFinder(ctx), touched, (last) => ({ phase: 'changes', after: last }))
  if (ctx.prepared.spec.events.partialSync !== 'withoutRelations') await relationsOf(ctx, touched)
  await ctx.commit([], {}, { ...ctx.checkpoint, phase: 'done', after: null }, async (tx) => {
    await tx.query('delete from sync_changes where mapping_id = $1 and claimed_by = $2', [ctx.mappingId, ctx.run.id])
  })
}

/** A delta run: what changed on either side since the watermarks of the last completed read. */
export async function deltaRun(ctx: RunContext, watermarks: { source?: string; target?: string }): Promise<void> {
  const finder = lookupFinder(ctx)
  const touched = new Map<string, SyncRecord>()
  if (ctx.checkpoint.phase === 'source') {
    const pages = ctx.read('source', {
      fields: ctx.mapping.reads.source,
      ...(ctx.prepared.spec.source.filter ? { filter: ctx.prepared.spec.source.filter } : {}),
      cursor: ctx.checkpoint.cursor,
      since: watermarks.source ?? null,
    })
    for await (const page of pages) {
      const records = (await changedSinceSync(ctx, 'source', inScope(ctx, 'source', page.records))).map((c) => c.record)
      const done = page.cursor === null
      await recordStep(ctx, records, finder, {
        ...ctx.checkpoint,
        phase: done ? 'target' : 'source',
        cursor: done ? null : page.cursor,
        watermarks: { ...ctx.checkpoint.watermarks, ...(done ? { source: page.watermark ?? null } : {}) },
      })
      for (const r of records) touched.set(r.id, r)
    }
    if (ctx.checkpoint.phase === 'source')
      await ctx.commit([], {}, { ...ctx.checkpoint, phase: 'target', cursor: null })
  }
  if (ctx.checkpoint.phase === 'target') {
    // the mapped fields, so that a target the hub wrote and nobody changed since is recognised
    const pages = ctx.read('target', {
      fields: ctx.mapping.reads.target,
      cursor: ctx.checkpoint.cursor,
      since: watermarks.target ?? null,
    })
    for await (const page of pages) {
      const done = page.cursor === null
      const ids: string[] = []
      for (const { link } of await changedSinceSync(ctx, 'target', page.records))
        if (link && !touched.has(link.sourceId)) ids.push(link.sourceId)
      ids.sort()
      const next = {
        phase: done ? ('relations' as const) : ('target' as const),
        cursor: done ? null : page.cursor,
        watermarks: { ...ctx.checkpoint.watermarks, ...(done ? { target: page.watermark ?? null } : {}) },
      }
      await syncSourceIds(ctx, ids, finder, touched, () => next)
      if (ids.length === 0) await ctx.commit([], {}, { ...ctx.checkpoint, ...next })
    }
    if (ctx.checkpoint.phase === 'target')
      await ctx.commit([], {}, { ...ctx.checkpoint, phase: 'relations', cursor: null })
  }
  if (ctx.checkpoint.phase === 'relations') {
    await relationsOf(ctx, touched)
    await ctx.commit([], {}, { ...ctx.checkpoint, phase: 'done' })
  }
}

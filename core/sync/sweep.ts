// Deletions by mark and sweep, by mode, behind the deletion guard. Candidates are links whose
// source the pass did not see (conservative and strict) and, in strict mode, targets in scope
// that nothing links. The guard refuses the whole sweep when it would delete more than the
// mapping's maximum ratio of the targets in scope, or when the source read nothing; the run then
// ends WARNING saying so, unless an operator confirmed the deletions for this run.
import type { Change } from '../connector/contract.ts'
import { comparable, sameValue, valueAt } from '../mapping/values.ts'
import { writeStatus, type Action } from './actions.ts'
import { stagedFinder } from './full-run.ts'
import type { Link } from './links.ts'
import type { SyncRecord } from './plan.ts'
import type { RunContext } from './run-context.ts'
import type { Checkpoint } from './runs-repository.ts'

const BATCH = 500
/** refused candidates recorded as actions at most; the run's message gives the total */
const SHOWN_WHEN_REFUSED = 1000

export interface GuardInput {
  candidates: number
  inScope: number
  sourceRead: number
  maxRatio: number
  refuseEmptySource: boolean
  confirmed: boolean
}

/** Why the guard refuses a sweep, or undefined when it may go ahead. */
export function guardRefusal(g: GuardInput): string | undefined {
  if (g.candidates === 0 || g.confirmed) return undefined
  if (g.refuseEmptySource && g.sourceRead === 0) {
    return `the source read nothing, so all ${g.candidates} targets would be deleted: check the source connection and filter, or confirm the deletions for one run`
  }
  const ratio = g.candidates / Math.max(g.inScope, 1)
  if (ratio > g.maxRatio) {
    return `${g.candidates} of ${g.inScope} targets in scope would be deleted (${Math.round(ratio * 100)}%), more than the maximum of ${Math.round(g.maxRatio * 100)}%: confirm the deletions for one run, or raise deletion.maxRatio`
  }
  return undefined
}

async function decide(ctx: RunContext): Promise<Checkpoint> {
  const mode = ctx.prepared.spec.mode
  const gone = await ctx.links.countUnseen(ctx.db, ctx.mappingId, ctx.passId)
  const orphans = mode === 'strict' ? await ctx.stage.countOrphans(ctx.db, ctx.passId, ctx.mappingId) : 0
  const inScope = await ctx.stage.countTargets(ctx.db, ctx.passId)
  const refused = guardRefusal({
    candidates: gone + orphans,
    inScope,
    sourceRead: ctx.checkpoint.sourceRead ?? 0,
    maxRatio: ctx.prepared.spec.deletion.maxRatio,
    refuseEmptySource: ctx.prepared.spec.deletion.refuseEmptySource,
    confirmed: ctx.run.options.confirmDeletions === true,
  })
  return {
    ...ctx.checkpoint,
    phase: 'sweep',
    sweepStep: 'gone',
    after: null,
    ...(refused ? { refused, candidates: gone + orphans } : {}),
  }
}

export async function sweep(ctx: RunContext): Promise<void> {
  const mode = ctx.prepared.spec.mode
  if (mode === 'additive') {
    await ctx.commit([], {}, { ...ctx.checkpoint, phase: 'relations', cursor: null, after: null })
    return
  }
  if (!ctx.checkpoint.sweepStep) await ctx.commit([], {}, await decide(ctx))
  const refused = ctx.checkpoint.refused
  let shown = ctx.checkpoint.shown ?? 0
  const finder = stagedFinder(ctx)
  const archived = ctx.mapping.archivedStatus

  while (ctx.checkpoint.sweepStep === 'gone') {
    const batch = await ctx.links.unseen(ctx.db, ctx.mappingId, ctx.passId, ctx.checkpoint.after ?? null, BATCH)
    if (batch.length === 0) {
      await ctx.commit([], {}, { ...ctx.checkpoint, sweepStep: mode === 'strict' ? 'orphans' : 'done', after: null })
      break
    }
    const targets = archived ? await finder.byIds(batch.map((l) => l.targetId)) : new Map<string, SyncRecord>()
    const { actions, counts, removed } = await deleteOrRetire(ctx, batch, targets, refused, shown)
    shown += actions.filter((a) => a.status === 'SKIPPED').length
    await ctx.commit(
      actions,
      counts,
      { ...ctx.checkpoint, after: (batch.at(-1) as Link).sourceId, shown },
      async (tx) => {
        if (!ctx.dryRun && !refused) await ctx.links.removeBySource(tx, ctx.mappingId, removed)
        // a plan's relations leave out what the real run unlinks here
        if (ctx.dryRun) await ctx.stage.planLinks(tx, ctx.passId, unlinked(removed))
        // what this step deleted (or would, in a plan) is no orphan for the strict step after it
        const swept = refused ? [] : batch.filter((l) => ctx.dryRun || removed.includes(l.sourceId))
        await ctx.stage.claim(
          tx,
          ctx.passId,
          swept.map((l) => ({ targetId: l.targetId, sourceId: '#swept' })),
        )
      },
    )
  }

  while (ctx.checkpoint.sweepStep === 'orphans') {
    const batch = await ctx.stage.orphans(ctx.db, ctx.passId, ctx.mappingId, ctx.checkpoint.after ?? null, BATCH)
    if (batch.length === 0) {
      await ctx.commit([], {}, { ...ctx.checkpoint, sweepStep: 'done', after: null })
      break
    }
    const changes: Change[] = batch.map((t) => ({ op: 'delete', key: t.id, id: t.id }))
    const results =
      refused || ctx.dryRun ? new Map() : new Map((await ctx.write('target', changes)).map((r) => [r.key, r]))
    const actions: Action[] = []
    let deleted = 0
    let failed = 0
    let skipped = 0
    for (const t of batch) {
      const r = results.get(t.id)
      const status = writeStatus(r, ctx.dryRun, refused)
      if (status === 'SKIPPED') skipped++
      else if (status === 'ERROR') failed++
      else deleted++
      if (status === 'SKIPPED' && shown >= SHOWN_WHEN_REFUSED) continue
      if (status === 'SKIPPED') shown++
      actions.push({
        kind: 'record',
        action: 'DELETE',
        status,
        side: 'target',
        sourceId: null,
        targetId: t.id,
        display: t.display,
        changes: null,
        message: refused
          ? `refused by the deletion guard: ${refused}`
          : status === 'ERROR'
            ? `delete failed: ${r?.error?.message ?? 'no result'}`
            : 'in scope on the target with no counterpart on the source (strict mode)',
      })
    }
    await ctx.commit(
      actions,
      { deleted, failed, skipped },
      { ...ctx.checkpoint, after: (batch.at(-1) as { id: string }).id, shown },
    )
  }

  if (ctx.checkpoint.sweepStep === 'done') {
    if (refused) ctx.note(`deletions refused: ${refused}`)
    await ctx.commit([], {}, { ...ctx.checkpoint, phase: 'relations', cursor: null, after: null, sweepStep: undefined })
  }
}

/** Links a dry run would drop, to stage with its pass (StageRepository.planLinks). */
export const unlinked = (sourceIds: string[]) => sourceIds.map((sourceId) => ({ sourceId, targetId: null }))

/** Deletes (or, with an archived status mapping, retires) the targets of links whose source is gone. */
export async function deleteOrRetire(
  ctx: RunContext,
  batch: Link[],
  targets: Map<string, SyncRecord>,
  refused: string | undefined,
  alreadyShown: number,
): Promise<{
  actions: Action[]
  counts: { deleted: number; updated: number; failed: number; skipped: number; unchanged: number }
  /** sources whose link goes with the target (or would, in a dry run) */
  removed: string[]
}> {
  const archived = ctx.mapping.archivedStatus
  const changes: Change[] = []
  const planned = new Map<string, 'DELETE' | 'UPDATE' | 'NONE'>()
  for (const link of batch) {
    if (archived) {
      const target = targets.get(link.targetId)
      if (!target) {
        planned.set(link.sourceId, 'NONE')
        continue
      }
      if (sameValue(comparable(valueAt(target, archived.field), archived.type), archived.value)) {
        planned.set(link.sourceId, 'NONE')
        continue
      }
      planned.set(link.sourceId, 'UPDATE')
      changes.push({
        op: 'update',
        key: link.sourceId,
        id: link.targetId,
        values: { [archived.field]: archived.value },
      })
    } else {
      planned.set(link.sourceId, 'DELETE')
      changes.push({ op: 'delete', key: link.sourceId, id: link.targetId })
    }
  }
  const results =
    refused || ctx.dryRun ? new Map() : new Map((await ctx.write('target', changes)).map((r) => [r.key, r]))
  const actions: Action[] = []
  const counts = { deleted: 0, updated: 0, failed: 0, skipped: 0, unchanged: 0 }
  const removed: string[] = []
  let shown = alreadyShown
  for (const link of batch) {
    const action = planned.get(link.sourceId) as 'DELETE' | 'UPDATE' | 'NONE'
    if (action === 'NONE') {
      counts.unchanged++
      continue
    }
    const r = results.get(link.sourceId)
    const status = writeStatus(r, ctx.dryRun, refused)
    if (status === 'SKIPPED') counts.skipped++
    else if (status === 'ERROR') counts.failed++
    else if (action === 'DELETE') counts.deleted++
    else counts.updated++
    if ((status === 'OK' || status === 'PLANNED') && action === 'DELETE') removed.push(link.sourceId)
    if (status === 'SKIPPED' && shown >= SHOWN_WHEN_REFUSED) continue
    if (status === 'SKIPPED') shown++
    actions.push({
      kind: 'record',
      action,
      status,
      side: 'target',
      sourceId: link.sourceId,
      targetId: link.targetId,
      display: null,
      changes:
        action === 'UPDATE' && archived
          ? [
              {
                key: `target:${archived.field}`,
                side: 'target',
                field: archived.field,
                before: comparable(valueAt(targets.get(link.targetId), archived.field), archived.type),
                after: archived.value,
              },
            ]
          : null,
      message: refused
        ? `refused by the deletion guard: ${refused}`
        : status === 'ERROR'
          ? `${action === 'DELETE' ? 'delete' : 'update'} failed: ${r?.error?.message ?? 'no result'}`
          : action === 'DELETE'
            ? 'the source record is gone (deleted, archived or out of scope)'
            : 'the source record is gone: archived status written instead of a deletion',
    })
  }
  return { actions, counts, removed }
}

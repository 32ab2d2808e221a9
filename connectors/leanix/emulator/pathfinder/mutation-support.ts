// What every mutation resolver shares: the role check, a savepoint per mutation (a failing one
// leaves nothing behind), and the fact sheet lookups and rev bump of edits that hang off a fact
// sheet (subscriptions, documents, relation constraints).
import type { FactSheetRecord } from '../workspace/records.ts'
import type { PathfinderContext } from './context.ts'
import { PathfinderErrors } from './graphql-errors.ts'

export function mutating<T>(ctx: PathfinderContext, run: () => T, adminOnly = false): T {
  ctx.mutationsRun++
  if (ctx.user.role === 'VIEWER' || (adminOnly && ctx.user.role !== 'ADMIN'))
    throw PathfinderErrors.accessDenied(ctx.user.role)
  const savepoint = ctx.tx.savepoint()
  try {
    return run()
  } catch (error) {
    ctx.tx.rollbackTo(savepoint)
    throw error
  }
}

/** Subscriptions are part of the fact sheet: changing them bumps its rev. */
export function touchFactSheet(ctx: PathfinderContext, fs: FactSheetRecord): FactSheetRecord {
  const touched = { ...fs, rev: fs.rev + 1, updatedAt: ctx.store.now().toISOString() }
  ctx.store.putFactSheet(ctx.tx, touched)
  return touched
}

export function activeFactSheet(ctx: PathfinderContext, id: string): FactSheetRecord {
  const fs = ctx.store.factSheets.get(id)
  if (fs === undefined) throw PathfinderErrors.factSheetNotFound(id)
  if (fs.status !== 'ACTIVE') throw PathfinderErrors.archivedFactSheet(id)
  return fs
}

/**
 * An edit of what hangs off a fact sheet (resources, relation constraints): bumps its rev and,
 * when a MEMBER who is neither RESPONSIBLE nor ACCOUNTABLE makes it, breaks an approved quality
 * seal ("updates to resources" break it, https://help.sap.com/docs/leanix/ea/quality-seal).
 */
export function editFactSheet(ctx: PathfinderContext, fs: FactSheetRecord): FactSheetRecord {
  const touched = touchFactSheet(ctx, fs)
  if (!ctx.writer.sealBreaksFor(fs, ctx.user)) return touched
  const broken: FactSheetRecord = { ...touched, lxState: 'BROKEN_QUALITY_SEAL' }
  ctx.store.putFactSheet(ctx.tx, broken)
  ctx.tx.emit({
    kind: 'FACT_SHEET_FIELD_UPDATED',
    factSheet: broken,
    path: '/lxState',
    oldValue: fs.lxState,
    newValue: broken.lxState,
  })
  return broken
}

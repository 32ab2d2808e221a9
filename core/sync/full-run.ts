// A full run: stage the target side in scope, walk the source page by page (plan, write,
// commit), then sweep what has no source any more, then relations. Each phase resumes from the
// checkpoint committed with its last page, so a run killed anywhere continues where it was.
import { comparable, valueAt } from '../mapping/values.ts'
import type { Queryable } from '../store/db.ts'
import type { SyncRecord } from './plan.ts'
import { recordStep, type TargetFinder } from './record-step.ts'
import { relationsPass } from './relations.ts'
import type { RunContext } from './run-context.ts'
import { sweep } from './sweep.ts'

/** The source records of a page that are in scope (a subtype, when the mapping names one). */
export function inScope(ctx: RunContext, side: 'source' | 'target', records: SyncRecord[]): SyncRecord[] {
  const category = ctx.prepared.spec[side].category
  return category ? records.filter((r) => r.category === category) : records
}

/** Finds targets in the staged pass; a linked target outside it is looked up by id. */
export function stagedFinder(ctx: RunContext): TargetFinder {
  return {
    byIds: async (ids) => {
      const staged = await ctx.stage.targets(ctx.db, ctx.passId, ids)
      const out = new Map<string, SyncRecord>()
      for (const [id, t] of staged) out.set(id, t.record as SyncRecord)
      const missing = ids.filter((id) => !out.has(id))
      if (missing.length > 0) {
        // out of the target filter's scope, or deleted: only an id lookup tells
        for (const t of await ctx.lookup('target', { ids: missing, fields: ctx.mapping.reads.target })) out.set(t.id, t)
      }
      return out
    },
    byIdentity: async (sourceIds) => {
      const out = new Map<string, SyncRecord[]>()
      for (const t of await ctx.stage.byIdentity(ctx.db, ctx.passId, sourceIds)) {
        if (!t.identity) continue
        const list = out.get(t.identity) ?? []
        list.push(t.record as SyncRecord)
        out.set(t.identity, list)
      }
      return out
    },
    byKeys: async (rule, keys) => {
      const found = await ctx.stage.byKeys(ctx.db, ctx.passId, ctx.mappingId, rule, [...new Set(keys.values())])
      const out = new Map<string, SyncRecord[]>()
      for (const [key, list] of found)
        out.set(
          key,
          list.map((t) => t.record as SyncRecord),
        )
      return out
    },
    claims: (tx, claims) => ctx.stage.claim(tx, ctx.passId, claims),
  }
}

/** Pairs of a relation held in a record's field: a list of related records, a reference, a glide list. */
export function relationIds(value: unknown): string[] {
  if (value === null || value === undefined || value === '') return []
  if (Array.isArray(value)) {
    return value
      .map((v) =>
        typeof v === 'object' && v !== null
          ? String((v as { factSheetId?: unknown; id?: unknown }).factSheetId ?? (v as { id?: unknown }).id ?? '')
          : String(v),
      )
      .filter((v) => v !== '')
  }
  if (typeof value === 'object') {
    const o = value as { value?: unknown; factSheetId?: unknown }
    return relationIds(o.factSheetId ?? o.value)
  }
  return String(value)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

async function stageTargets(ctx: RunContext): Promise<void> {
  const identityField = ctx.mapping.identityField
  const pages = ctx.read('target', {
    fields: ctx.mapping.reads.target,
    ...(ctx.prepared.spec.target.filter ? { filter: ctx.prepared.spec.target.filter } : {}),
    cursor: ctx.checkpoint.cursor,
  })
  for await (const page of pages) {
    const records = inScope(ctx, 'target', page.records)
    const rows = records.map((r) => {
      const identity = identityField ? comparable(valueAt(r, identityField), 'string') : null
      const display = comparable(valueAt(r, ctx.mapping.display.target), 'string')
      const keys: Array<[number, string]> = []
      ctx.mapping.match.forEach((rule, i) => {
        const key = rule.key(r, 'target')
        if (key !== null) keys.push([i, key])
      })
      const { id, ...record } = r
      return {
        id,
        identity: typeof identity === 'string' ? identity : null,
        display: typeof display === 'string' ? display : null,
        record,
        keys,
      }
    })
    const done = page.cursor === null
    await ctx.commit(
      [],
      {},
      {
        ...ctx.checkpoint,
        phase: done ? 'source' : 'target',
        cursor: done ? null : page.cursor,
        watermarks: { ...ctx.checkpoint.watermarks, ...(done ? { target: page.watermark ?? null } : {}) },
      },
      (tx) => ctx.stage.addTargets(tx, ctx.passId, rows),
    )
  }
  if (ctx.checkpoint.phase === 'target') {
    // a read that ended without a final page (nothing at all)
    await ctx.commit([], {}, { ...ctx.checkpoint, phase: 'source', cursor: null })
  }
}

async function sourcePass(ctx: RunContext): Promise<void> {
  const finder = stagedFinder(ctx)
  const relationFields = ctx.mapping.relations.filter((r) => r.source.kind === 'field')
  const pages = ctx.read('source', {
    fields: ctx.mapping.reads.source,
    ...(ctx.prepared.spec.source.filter ? { filter: ctx.prepared.spec.source.filter } : {}),
    cursor: ctx.checkpoint.cursor,
  })
  for await (const page of pages) {
    const records = inScope(ctx, 'source', page.records)
    const done = page.cursor === null
    const stageSeen = async (tx: Queryable) => {
      await ctx.stage.seenSources(
        tx,
        ctx.passId,
        records.map((r) => r.id),
      )
      for (const r of relationFields) {
        const field = (r.source as { field: string }).field
        const pairs = records.flatMap((rec) =>
          relationIds(valueAt(rec, field)).map((other) => ({ self: rec.id, other })),
        )
        await ctx.stage.addRelations(tx, ctx.passId, r.index, 's', pairs)
      }
    }
    await recordStep(
      ctx,
      records,
      finder,
      {
        ...ctx.checkpoint,
        phase: done ? 'sweep' : 'source',
        cursor: done ? null : page.cursor,
        sourceRead: (ctx.checkpoint.sourceRead ?? 0) + records.length,
        watermarks: { ...ctx.checkpoint.watermarks, ...(done ? { source: page.watermark ?? null } : {}) },
      },
      stageSeen,
    )
  }
  if (ctx.checkpoint.phase === 'source') await ctx.commit([], {}, { ...ctx.checkpoint, phase: 'sweep', cursor: null })
}

export async function fullRun(ctx: RunContext): Promise<void> {
  if (ctx.checkpoint.phase === 'target') {
    if (!ctx.resumed) await ctx.db.transaction((tx) => ctx.stage.dropStale(tx, ctx.mappingId, ctx.passId))
    await stageTargets(ctx)
  }
  if (ctx.checkpoint.phase === 'source') await sourcePass(ctx)
  if (ctx.checkpoint.phase === 'sweep') await sweep(ctx)
  if (ctx.checkpoint.phase === 'relations') await relationsPass(ctx)
}

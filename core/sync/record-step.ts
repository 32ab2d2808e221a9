// One step of the record pass: a page of source records -> their targets (through links, then
// the identity field, then matching rules) -> a plan per pair -> writes on both sides -> actions,
// links and counts committed together. A full run finds targets in its staged pass; partial
// and delta runs look them up in the target system.
import type { Change, ChangeResult } from '../connector/contract.ts'
import { valueAt, comparable, isoDay } from '../mapping/values.ts'
import type { SideName } from '../mapping/compile.ts'
import type { Queryable } from '../store/db.ts'
import type { Action } from './actions.ts'
import type { RunCounts } from './counts.ts'
import type { Link, LinkOrigin } from './links.ts'
import {
  conflictsOf,
  planDeferred,
  planDeferredDry,
  planPair,
  plannedTargetId,
  PLANNED_URL,
  type PlannedPair,
  type SyncRecord,
} from './plan.ts'
import type { RunContext } from './run-context.ts'
import { editedMeanwhile } from './edited-meanwhile.ts'
import { keepPendingChanges, type PendingChange } from './pending-changes.ts'
import type { Checkpoint } from './runs-repository.ts'

/** Where a step finds target records. */
export interface TargetFinder {
  /** targets by id (linked ones); ids it does not return are gone */
  byIds(ids: string[]): Promise<Map<string, SyncRecord>>
  /** unlinked targets whose identity field holds one of the source ids */
  byIdentity(sourceIds: string[]): Promise<Map<string, SyncRecord[]>>
  /** unlinked targets by match key of rule `rule`; undefined when the rule cannot be asked this way */
  byKeys(
    rule: number,
    keys: Map<string, string>,
    sources: Map<string, SyncRecord>,
  ): Promise<Map<string, SyncRecord[]> | undefined>
  /** the staged pass to claim matched targets in (full runs) */
  claims?: (tx: Queryable, claims: Array<{ targetId: string; sourceId: string }>) => Promise<void>
}

interface Pair {
  source: SyncRecord
  target: SyncRecord | undefined
  link: Link | undefined
  origin: LinkOrigin
  plan?: PlannedPair
  /** a linked target that is gone: its link is dropped and it is created again */
  recreate?: boolean
  skip?: string
}

export interface StepResult {
  /** source ids the step linked or created (relations of partial runs work on them) */
  touched: string[]
}

function displayOf(ctx: RunContext, record: SyncRecord | undefined, side: SideName): string | null {
  const v = comparable(valueAt(record, ctx.mapping.display[side]), 'string')
  return typeof v === 'string' ? v.slice(0, 300) : null
}

/** The users this page's pairs name, by email on the written side; each is looked up once per run. */
async function resolveUsers(ctx: RunContext, pairs: Pair[]): Promise<Map<string, string | null>> {
  const resolved = new Map<string, string | null>()
  for (const field of ctx.mapping.fields) {
    if (!field.usersNeeded || !field.userEntity) continue
    const cache = ctx.users.get(field.userEntity) ?? new Map<string, string | null>()
    ctx.users.set(field.userEntity, cache)
    const needed = new Set<string>()
    for (const p of pairs) {
      const from = field.writeSide === 'target' ? p.source : p.target
      if (from) for (const email of field.usersNeeded(from)) needed.add(email)
    }
    const wanted = [...needed].filter((email) => !cache.has(email))
    if (wanted.length > 0) {
      const side: SideName = field.writeSide
      const found = await ctx.lookup(
        side,
        { field: 'email', values: wanted, fields: ['sys_id', 'email'] },
        field.userEntity,
      )
      for (const email of wanted) cache.set(email, null)
      for (const user of found) {
        const email = comparable(user.email, 'string')
        if (typeof email === 'string') cache.set(email.toLowerCase(), user.id)
      }
    }
    // only what this page needs (the cache may hold the run's whole directory), read before the
    // cache is trimmed
    for (const email of needed) resolved.set(email, cache.get(email) ?? null)
    // a cache that grows without bound on a huge directory is trimmed, oldest first
    while (cache.size > 20_000) cache.delete(cache.keys().next().value as string)
  }
  return resolved
}

async function urlsOf(ctx: RunContext, side: SideName, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (!ctx.mapping.fields.some((f) => f.needsUrl && f.writeSide !== side)) return out
  for (const id of ids) {
    const url = await ctx.recordUrl(side, id)
    if (url) out.set(id, url)
  }
  return out
}

/** Finds each source's target: link, then identity field, then matching rules in order. */
async function pairUp(ctx: RunContext, sources: SyncRecord[], finder: TargetFinder, tx: Queryable): Promise<Pair[]> {
  const links = await ctx.links.bySource(
    tx,
    ctx.mappingId,
    sources.map((s) => s.id),
  )
  const linkedTargets = await finder.byIds([...links.values()].map((l) => l.targetId))
  const pairs: Pair[] = []
  const unlinked: SyncRecord[] = []
  for (const source of sources) {
    const link = links.get(source.id)
    if (!link) {
      unlinked.push(source)
      continue
    }
    const target = linkedTargets.get(link.targetId)
    if (target) pairs.push({ source, target, link, origin: link.origin })
    else pairs.push({ source, target: undefined, link, origin: 'created', recreate: true })
  }
  // first sight: the identity field (a create of ours whose link was lost), then the rules
  const taken = new Set<string>()
  let open = unlinked
  if (ctx.mapping.identityField && open.length > 0) {
    const byIdentity = await finder.byIdentity(open.map((s) => s.id))
    const rest: SyncRecord[] = []
    for (const source of open) {
      const candidates = (byIdentity.get(source.id) ?? []).filter((t) => !taken.has(t.id))
      if (candidates.length === 1) {
        const target = candidates[0] as SyncRecord
        taken.add(target.id)
        pairs.push({ source, target, link: undefined, origin: 'identity' })
      } else rest.push(source)
    }
    open = rest
  }
  for (const [ruleIndex, rule] of ctx.mapping.match.entries()) {
    if (open.length === 0) break
    const keys = new Map<string, string>()
    for (const s of open) {
      const key = rule.key(s, 'source')
      if (key !== null) keys.set(s.id, key)
    }
    if (keys.size === 0) continue
    const found = await finder.byKeys(ruleIndex, keys, new Map(open.map((s) => [s.id, s])))
    if (!found) {
      // this run cannot ask the target by this rule (a partial run, fields concatenated): a
      // create might duplicate a record the rule would have matched, so the next full run decides
      for (const s of open)
        if (keys.has(s.id))
          pairs.push({
            source: s,
            target: undefined,
            link: undefined,
            origin: 'created',
            skip: `matching rule ${ruleIndex + 1} needs a full run to link new records`,
          })
      open = open.filter((s) => !keys.has(s.id))
      continue
    }
    const rest: SyncRecord[] = []
    const perKey = new Map<string, number>()
    for (const s of open) {
      const key = keys.get(s.id)
      if (key !== undefined) perKey.set(key, (perKey.get(key) ?? 0) + 1)
    }
    for (const source of open) {
      const key = keys.get(source.id)
      const candidates = key === undefined ? [] : (found.get(key) ?? []).filter((t) => !taken.has(t.id))
      if (candidates.length === 1 && (perKey.get(key as string) ?? 0) === 1) {
        const target = candidates[0] as SyncRecord
        taken.add(target.id)
        pairs.push({ source, target, link: undefined, origin: 'matched' })
      } else if (candidates.length > 1 || (candidates.length === 1 && (perKey.get(key as string) ?? 0) > 1)) {
        pairs.push({
          source,
          target: undefined,
          link: undefined,
          origin: 'matched',
          skip:
            candidates.length > 1
              ? `${candidates.length} unlinked targets match "${key}" (rule ${ruleIndex + 1}): link one by hand or refine the matching rules`
              : `several source records match the target "${key}" (rule ${ruleIndex + 1}): refine the matching rules`,
        })
      } else rest.push(source)
    }
    open = rest
  }
  for (const source of open) pairs.push({ source, target: undefined, link: undefined, origin: 'created' })
  return pairs
}

/** Before creating after a restart: a create of ours that landed before the crash is found by its identity. */
async function findLandedCreates(ctx: RunContext, pairs: Pair[]): Promise<void> {
  const field = ctx.mapping.identityField
  const creates = pairs.filter((p) => !p.target && !p.skip)
  if (!field || creates.length === 0) return
  const found = await ctx.lookup('target', {
    field,
    values: creates.map((p) => p.source.id),
    fields: ctx.mapping.reads.target,
  })
  const bySource = new Map<string, SyncRecord>()
  for (const t of found) {
    const identity = comparable(valueAt(t, field), 'string')
    if (typeof identity === 'string') bySource.set(identity, t)
  }
  for (const p of creates) {
    const target = bySource.get(p.source.id)
    if (target) {
      p.target = target
      p.link = undefined
      p.origin = 'identity'
      p.recreate = false
    }
  }
}

function failure(result: ChangeResult | undefined): string {
  return result?.error ? `${result.error.code}: ${result.error.message}` : 'the connector returned no result'
}

/**
 * Plans, writes (unless a dry run) and commits one page of source records. `extra` runs in the
 * same transaction (staging what the pass saw) and `checkpoint` is what the commit records.
 */
export async function recordStep(
  ctx: RunContext,
  sources: SyncRecord[],
  finder: TargetFinder,
  checkpoint: Checkpoint,
  extra?: (tx: Queryable) => Promise<void>,
): Promise<StepResult> {
  const pairs = await pairUp(ctx, sources, finder, ctx.db)
  if (ctx.resumed && !ctx.dryRun) await findLandedCreates(ctx, pairs)
  const users = await resolveUsers(ctx, pairs)
  const sourceUrls = await urlsOf(
    ctx,
    'source',
    pairs.map((p) => p.source.id),
  )
  const targetUrls = await urlsOf(
    ctx,
    'target',
    pairs.flatMap((p) => (p.target ? [p.target.id] : [])),
  )
  const today = isoDay(ctx.now())
  for (const p of pairs) {
    if (p.skip) continue
    p.plan = planPair(ctx.mapping, p.source, p.target, p.recreate ? undefined : p.link, {
      ...(sourceUrls.has(p.source.id) ? { sourceUrl: sourceUrls.get(p.source.id) as string } : {}),
      ...(p.target && targetUrls.has(p.target.id) ? { targetUrl: targetUrls.get(p.target.id) as string } : {}),
      users,
      today,
    })
  }

  const counts: Partial<RunCounts> = { read: sources.length }
  const bump = (name: keyof RunCounts, n = 1) => {
    counts[name] = (counts[name] ?? 0) + n
  }
  const actions: Action[] = []
  const newLinks: Link[] = []
  const droppedLinks: string[] = []
  const claims: Array<{ targetId: string; sourceId: string }> = []
  const plannedLinks: Array<{ sourceId: string; targetId: string; origin?: LinkOrigin }> = []
  const touched: string[] = []

  // target writes: creates and updates in one call
  const targetChanges: Change[] = []
  const sourceChanges: Change[] = []
  for (const p of pairs) {
    const plan = p.plan
    if (!plan) continue
    if (plan.action === 'CREATE') targetChanges.push({ op: 'create', key: p.source.id, values: plan.values.target })
    else if (p.target && Object.keys(plan.values.target).length > 0) {
      targetChanges.push({
        op: 'update',
        key: p.source.id,
        id: p.target.id,
        values: plan.values.target,
        ...(p.target.rev !== undefined ? { revision: p.target.rev as number } : {}),
      })
    }
    if (p.target && !p.link) claims.push({ targetId: p.target.id, sourceId: p.source.id })
  }
  const targetResults = new Map<string, ChangeResult>()
  if (!ctx.dryRun) for (const r of await ctx.write('target', targetChanges)) targetResults.set(r.key, r)

  // source writes: fields written against the direction, and ids/URLs of targets just created;
  // what the target filled in itself (a number, a default) is read back once for all creates
  const createdIds: string[] = []
  for (const p of pairs) {
    const result = targetResults.get(p.source.id)
    if (p.plan?.action === 'CREATE' && p.plan.deferred.length > 0 && result?.ok && result.id) createdIds.push(result.id)
  }
  const landed = new Map(
    (createdIds.length > 0
      ? await ctx.lookup('target', { ids: createdIds, fields: ctx.mapping.reads.target })
      : []
    ).map((r) => [r.id, r]),
  )
  for (const p of pairs) {
    const plan = p.plan
    if (!plan) continue
    if (plan.action === 'CREATE' && plan.deferred.length > 0 && ctx.dryRun) {
      // the plan shows the write-back too, with placeholders for what only the create tells
      const targetUrl = (await ctx.recordUrl('target', plannedTargetId(p.source.id))) ? PLANNED_URL : undefined
      planDeferredDry(plan, p.source, { ...(targetUrl ? { targetUrl } : {}), users, today })
    } else if (plan.action === 'CREATE' && plan.deferred.length > 0) {
      const result = targetResults.get(p.source.id)
      const createdId = result?.ok ? result.id : undefined
      if (createdId) {
        const created: SyncRecord = landed.get(createdId) ?? { ...plan.values.target, id: createdId }
        const targetUrl = await ctx.recordUrl('target', createdId)
        planDeferred(plan, p.source, created, { ...(targetUrl ? { targetUrl } : {}), users, today })
      }
    }
    if (Object.keys(plan.values.source).length > 0) {
      sourceChanges.push({
        op: 'update',
        key: p.source.id,
        id: p.source.id,
        values: plan.values.source,
        ...(p.source.rev !== undefined ? { revision: p.source.rev as number } : {}),
      })
    }
  }
  const sourceResults = new Map<string, ChangeResult>()
  if (!ctx.dryRun) for (const r of await ctx.write('source', sourceChanges)) sourceResults.set(r.key, r)
  const targetWrites = new Set(targetChanges.map((c) => c.key))
  const sourceWrites = new Set(sourceChanges.map((c) => c.key))
  const editedByOthers = ctx.dryRun
    ? []
    : findEditedMeanwhile(ctx, pairs, targetChanges, targetResults, sourceChanges, sourceResults)

  for (const p of pairs) {
    const display = displayOf(ctx, p.source, 'source')
    if (p.skip || !p.plan) {
      bump('skipped')
      actions.push({
        kind: 'record',
        action: 'NONE',
        status: 'SKIPPED',
        side: 'target',
        sourceId: p.source.id,
        targetId: null,
        display,
        changes: null,
        message: p.skip ?? null,
      })
      continue
    }
    const plan = p.plan
    const hasTargetWrite = targetWrites.has(p.source.id)
    const hasSourceWrite = sourceWrites.has(p.source.id)
    const tResult = targetResults.get(p.source.id)
    const sResult = sourceResults.get(p.source.id)
    const targetOk = !hasTargetWrite || ctx.dryRun || tResult?.ok === true
    const sourceOk = !hasSourceWrite || ctx.dryRun || sResult?.ok === true
    const targetId = plan.action === 'CREATE' ? (ctx.dryRun ? null : (tResult?.id ?? null)) : (p.target?.id ?? null)
    const messages = [...plan.notes]
    if (p.recreate)
      messages.unshift('the linked target is gone (deleted outside the hub or out of scope); created again')
    if (!targetOk) messages.unshift(`target write failed: ${failure(tResult)}`)
    if (!sourceOk) messages.unshift(`source write failed: ${failure(sResult)}`)
    const ok = targetOk && sourceOk
    const status = ctx.dryRun ? 'PLANNED' : ok ? 'OK' : 'ERROR'
    const writesSomething = plan.action !== 'NONE'
    if (writesSomething || ctx.dryRun || !ok) {
      actions.push({
        kind: 'record',
        action: plan.action,
        status,
        side: !hasTargetWrite && hasSourceWrite ? 'source' : 'target',
        sourceId: p.source.id,
        targetId,
        display,
        changes: plan.changes.length > 0 ? plan.changes : null,
        message: messages.length > 0 ? messages.join('; ') : null,
      })
    }
    if (!ok) bump('failed')
    if (targetOk) {
      if (plan.action === 'CREATE') bump('created')
      else if (plan.action === 'LINK') bump('linked')
      else if (plan.action === 'UPDATE') bump('updated')
      else bump('unchanged')
    }
    bump('conflicts', conflictsOf(plan))
    if (ctx.dryRun) {
      // what the real run would link, for the relations the pass plans after the records
      if (plan.action === 'CREATE') plannedLinks.push({ sourceId: p.source.id, targetId: plannedTargetId(p.source.id) })
      else if (p.target && !p.link)
        plannedLinks.push({ sourceId: p.source.id, targetId: p.target.id, origin: p.origin })
      continue
    }
    if (!targetId || (!targetOk && plan.action === 'CREATE')) continue
    // a side that failed keeps its fields' old hashes, so the next run tries them again
    const synced = { ...plan.synced }
    for (const [side, okSide] of [
      ['target', targetOk],
      ['source', sourceOk],
    ] as const) {
      if (okSide) continue
      for (const key of plan.writtenKeys[side]) {
        const old = p.link?.synced[key]
        if (old === undefined) delete synced[key]
        else synced[key] = old
      }
    }
    if (p.recreate) droppedLinks.push(p.source.id)
    newLinks.push({ sourceId: p.source.id, targetId, origin: p.link && !p.recreate ? p.link.origin : p.origin, synced })
    touched.push(p.source.id)
  }

  await ctx.commit(actions, counts, checkpoint, async (tx) => {
    if (!ctx.dryRun) {
      await ctx.links.removeBySource(tx, ctx.mappingId, droppedLinks)
      await ctx.links.upsert(tx, ctx.mappingId, ctx.run.id, newLinks)
    } else await ctx.stage.planLinks(tx, ctx.passId, plannedLinks)
    if (finder.claims) await finder.claims(tx, claims)
    await keepPendingChanges(tx, editedByOthers)
    if (extra) await extra(tx)
  })
  if (editedByOthers.length > 0) {
    ctx.deps.logger.info(
      { mappingId: ctx.mappingId, runId: ctx.run.id, records: editedByOthers.length },
      'records edited by someone else between read and write: queued for a partial run',
    )
  }
  return { touched }
}

/** Updates whose answer shows an edit made since the read (edited-meanwhile.ts), as changes to sync again. */
function findEditedMeanwhile(
  ctx: RunContext,
  pairs: ReadonlyArray<{ source: SyncRecord; target?: SyncRecord | undefined }>,
  targetChanges: readonly Change[],
  targetResults: ReadonlyMap<string, ChangeResult>,
  sourceChanges: readonly Change[],
  sourceResults: ReadonlyMap<string, ChangeResult>,
): PendingChange[] {
  const out: PendingChange[] = []
  const bySource = new Map(pairs.map((p) => [p.source.id, p]))
  for (const [side, changes, results] of [
    ['target', targetChanges, targetResults],
    ['source', sourceChanges, sourceResults],
  ] as const) {
    if (!changes.some((c) => c.op === 'update')) continue
    // once per side and page, not per record
    const schema = ctx.prepared.schemas[side]
    const reads = ctx.mapping.reads[side].map((field) => ({ field, type: schema.field(field)?.type ?? 'string' }))
    for (const change of changes) {
      if (change.op !== 'update' || !change.id) continue
      const result = results.get(change.key)
      const pair = bySource.get(change.key)
      const read = side === 'target' ? pair?.target : pair?.source
      if (!result?.ok || !read) continue
      if (editedMeanwhile(reads, read, change.values ?? {}, result.record)) {
        out.push({ mapping_id: ctx.mappingId, side: side === 'target' ? 't' : 's', record_id: change.id, op: 'update' })
      }
    }
  }
  return out
}

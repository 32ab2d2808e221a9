// Relation mappings: a relation between two source records is kept between their targets, when
// both are linked (this mapping links one end, the relation's other mapping the other end). A
// relation to a record the other mapping does not link is never touched. The target holds a
// relation in a field of the record (a LeanIX relation, a reference, a glide list) or as rows of
// a table (cmdb_rel_ci of one type, a mapping table).
import type { Change } from '../connector/contract.ts'
import type { CompiledRelation, SideName } from '../mapping/compile.ts'
import type { RelationSideInput } from '../mapping/schema.ts'
import { valueAt } from '../mapping/values.ts'
import { writeStatus, type Action } from './actions.ts'
import type { RunCounts } from './counts.ts'
import { relationIds, stagedFinder } from './full-run.ts'
import type { Link } from './links.ts'
import { isPlannedTargetId, type SyncRecord } from './plan.ts'
import type { RunContext } from './run-context.ts'

const BATCH = 500
/**
 * At most this many staged relations are applied and committed at once. A page of links is cut
 * where its relations would pass it (one link at least), so the memory of a relation step follows
 * this bound, not how many relations a record has: an IT component of a large instance can be
 * installed under thousands of applications.
 */
export const MAX_RELATIONS_AT_ONCE = 2_000

interface TableShape {
  table: string
  selfField: string
  otherField: string
  /** cmdb_rel_ci type sys_id */
  type?: string
}

export interface RelationPair {
  self: string
  other: string
  row?: string | null
}

/**
 * The links of a mapping as the relations see them. In a dry run, this mapping's links include
 * what its record pass would have linked (a record it would create under its placeholder id,
 * staged with the pass), so relations are planned as the real run, which links first, makes them.
 */
function linksOf(ctx: RunContext, mappingId: string) {
  const planned = ctx.dryRun && mappingId === ctx.mappingId
  return {
    bySource: (ids: string[]) =>
      planned
        ? ctx.links.plannedBySource(ctx.db, mappingId, ctx.passId, ids)
        : ctx.links.bySource(ctx.db, mappingId, ids),
    linkedTargets: (ids: string[]) =>
      planned
        ? ctx.links.plannedLinkedTargets(ctx.db, mappingId, ctx.passId, ids)
        : ctx.links.linkedTargets(ctx.db, mappingId, ids),
    page: (after: string | null, limit: number) =>
      planned
        ? ctx.links.plannedPage(ctx.db, mappingId, ctx.passId, after, limit)
        : ctx.links.page(ctx.db, mappingId, after, limit),
  }
}

/** Target ids that exist in the target system (not a dry run's placeholder), to read. */
const existing = (ids: string[]) => ids.filter((id) => !isPlannedTargetId(id))

/** How the other end's source ids become target ids, and which target ids it links. */
function otherEnd(ctx: RunContext, r: CompiledRelation) {
  const other = ctx.prepared.others.get(r.otherMapping)
  if (!other) throw new Error(`relation mapping ${r.name}: mapping ${r.otherMapping} is gone`)
  // a mapping between the same two connections the other way round (never this mapping itself)
  const reversed = other.sourceConnectionId !== ctx.prepared.spec.source.connectionId
  const links = linksOf(ctx, other.id)
  return {
    mappingId: other.id,
    async toTargets(sourceIds: string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>()
      if (reversed) for (const [t, l] of await ctx.links.byTarget(ctx.db, other.id, sourceIds)) out.set(t, l.sourceId)
      else for (const [s, l] of await links.bySource(sourceIds)) out.set(s, l.targetId)
      return out
    },
    async linked(targetIds: string[]): Promise<Set<string>> {
      return reversed ? ctx.links.linkedSources(ctx.db, other.id, targetIds) : links.linkedTargets(targetIds)
    },
  }
}

const relTypes = new WeakMap<RunContext, Map<string, string>>()

/** The table a relation side lives in, with the cmdb_rel_ci type resolved to its sys_id. */
async function tableShape(ctx: RunContext, side: SideName, rs: RelationSideInput): Promise<TableShape | undefined> {
  if (rs.kind === 'field') return undefined
  if (rs.kind === 'table') return { table: rs.table, selfField: rs.selfField, otherField: rs.otherField }
  const cache = relTypes.get(ctx) ?? new Map<string, string>()
  relTypes.set(ctx, cache)
  const key = `${side}:${rs.relType}`
  let type = cache.get(key)
  if (!type) {
    const found = await ctx.lookup(
      side,
      { field: 'name', values: [rs.relType], fields: ['sys_id', 'name'] },
      'cmdb_rel_type',
    )
    const match = found.find((t) => String(t.name).toLowerCase() === rs.relType.toLowerCase())
    if (!match) throw new Error(`no cmdb_rel_type named "${rs.relType}"`)
    type = match.id
    cache.set(key, type)
  }
  return {
    table: rs.table ?? 'cmdb_rel_ci',
    selfField: rs.self,
    otherField: rs.self === 'parent' ? 'child' : 'parent',
    type,
  }
}

function rowPair(row: SyncRecord, shape: TableShape): RelationPair | undefined {
  const self = relationIds(valueAt(row, shape.selfField))[0]
  const other = relationIds(valueAt(row, shape.otherField))[0]
  return self && other ? { self, other, row: row.id } : undefined
}

/** Rows of a relation table of the given selves (partial runs), or all of them (paged, full runs). */
async function tableRows(
  ctx: RunContext,
  side: SideName,
  shape: TableShape,
  selves: string[],
): Promise<RelationPair[]> {
  if (selves.length === 0) return []
  const rows = await ctx.lookup(
    side,
    {
      field: shape.selfField,
      values: selves,
      fields: [shape.selfField, shape.otherField],
      ...(shape.type ? { filter: `type=${shape.type}` } : {}),
    },
    shape.table,
  )
  return rows.map((r) => rowPair(r, shape)).filter((p): p is RelationPair => !!p)
}

/** Reads a whole relation table of one type into the staged pass, resumably. */
async function stageTable(
  ctx: RunContext,
  r: CompiledRelation,
  side: SideName,
  stageSide: 's' | 't',
  shape: TableShape,
): Promise<void> {
  const pages = ctx.read(
    side,
    {
      fields: [shape.selfField, shape.otherField],
      ...(shape.type ? { filter: `type=${shape.type}` } : {}),
      cursor: ctx.checkpoint.cursor,
    },
    shape.table,
  )
  for await (const page of pages) {
    const pairs = page.records.map((row) => rowPair(row, shape)).filter((p): p is RelationPair => !!p)
    await ctx.commit([], {}, { ...ctx.checkpoint, cursor: page.cursor }, (tx) =>
      ctx.stage.addRelations(tx, ctx.passId, r.index, stageSide, pairs),
    )
    if (page.cursor === null) break
  }
}

function tally(counts: Partial<RunCounts>, status: string, kind: 'CREATE' | 'DELETE', n: number): void {
  const name = status === 'ERROR' ? 'failed' : kind === 'CREATE' ? 'relationsCreated' : 'relationsDeleted'
  counts[name] = (counts[name] ?? 0) + n
}

/** One relation created or deleted, as an action: the field (or table) and the other end's id. */
function relationAction(
  r: CompiledRelation,
  kind: 'CREATE' | 'DELETE',
  status: Action['status'],
  sourceId: string | null,
  self: string,
  field: string,
  other: string,
  message: string | null,
): Action {
  return {
    kind: 'relation',
    action: kind,
    status,
    side: 'target',
    sourceId,
    targetId: self,
    display: r.name,
    changes: [
      {
        key: `relation:${r.index}`,
        side: 'target',
        field,
        before: kind === 'CREATE' ? null : other,
        after: kind === 'CREATE' ? other : null,
      },
    ],
    message,
  }
}

/** Current relations of target records held in a field. */
function fieldPairs(targets: Iterable<SyncRecord>, field: string): RelationPair[] {
  const out: RelationPair[] = []
  for (const t of targets) for (const other of relationIds(valueAt(t, field))) out.push({ self: t.id, other })
  return out
}

/**
 * Brings the relations of `selves` (links of this mapping) in step: `desired` pairs are source
 * ids, `current` pairs target ids. Returns the actions and counts to commit.
 */
async function applyRelations(
  ctx: RunContext,
  r: CompiledRelation,
  selves: Link[],
  desired: RelationPair[],
  current: RelationPair[],
  targets: Map<string, SyncRecord>,
): Promise<{ actions: Action[]; counts: Partial<RunCounts> }> {
  const end = otherEnd(ctx, r)
  const bySource = new Map(selves.map((l) => [l.sourceId, l]))
  const otherTargets = await end.toTargets([...new Set(desired.map((d) => d.other))])
  const want = new Map<string, Set<string>>()
  for (const d of desired) {
    const self = bySource.get(d.self)
    const other = otherTargets.get(d.other)
    if (!self || !other) continue
    const set = want.get(self.targetId) ?? new Set<string>()
    set.add(other)
    want.set(self.targetId, set)
  }
  const have = new Map<string, Map<string, string | null>>()
  for (const c of current) {
    const map = have.get(c.self) ?? new Map<string, string | null>()
    map.set(c.other, c.row ?? null)
    have.set(c.self, map)
  }
  const linkedOthers = await end.linked([...new Set(current.map((c) => c.other))])
  const additive = ctx.prepared.spec.mode === 'additive'
  const counts: Partial<RunCounts> = { relationsCreated: 0, relationsDeleted: 0, failed: 0 }
  const actions: Action[] = []
  const shape = await tableShape(ctx, 'target', r.target)
  const sourceOf = new Map(selves.map((l) => [l.targetId, l.sourceId]))

  if (shape) {
    const creates: Array<{ self: string; other: string }> = []
    const deletes: Array<{ self: string; other: string; row: string }> = []
    for (const self of selves.map((l) => l.targetId)) {
      const w = want.get(self) ?? new Set<string>()
      const h = have.get(self) ?? new Map<string, string | null>()
      for (const other of w) if (!h.has(other)) creates.push({ self, other })
      if (additive) continue
      for (const [other, row] of h)
        if (!w.has(other) && linkedOthers.has(other) && row) deletes.push({ self, other, row })
    }
    const changes: Change[] = [
      ...creates.map((c, i): Change => ({
        op: 'create',
        key: `c${i}`,
        values: { [shape.selfField]: c.self, [shape.otherField]: c.other, ...(shape.type ? { type: shape.type } : {}) },
      })),
      ...deletes.map((d, i): Change => ({ op: 'delete', key: `d${i}`, id: d.row })),
    ]
    const results = ctx.dryRun
      ? new Map()
      : new Map((await ctx.write('target', changes, shape.table)).map((x) => [x.key, x]))
    const record = (kind: 'CREATE' | 'DELETE', key: string, self: string, other: string) => {
      const res = results.get(key)
      const status = writeStatus(res, ctx.dryRun)
      tally(counts, status, kind, 1)
      const failed = `${kind === 'CREATE' ? 'creating' : 'deleting'} the relation failed: ${res?.error?.message ?? 'no result'}`
      actions.push(
        relationAction(
          r,
          kind,
          status,
          sourceOf.get(self) ?? null,
          self,
          shape.table,
          other,
          status === 'ERROR' ? failed : null,
        ),
      )
    }
    creates.forEach((c, i) => record('CREATE', `c${i}`, c.self, c.other))
    deletes.forEach((d, i) => record('DELETE', `d${i}`, d.self, d.other))
    return { actions, counts }
  }

  // the relation is a field of the target record: write the whole value, keeping relations to
  // records the other mapping does not link
  const field = (r.target as { field: string }).field
  const fieldType = ctx.prepared.schemas.target.field(field)?.type ?? 'relation'
  const changes: Change[] = []
  const planned = new Map<string, { added: string[]; removed: string[] }>()
  for (const l of selves) {
    const self = l.targetId
    const w = want.get(self) ?? new Set<string>()
    const h = have.get(self) ?? new Map<string, string | null>()
    const added = [...w].filter((o) => !h.has(o))
    const removed = additive ? [] : [...h.keys()].filter((o) => !w.has(o) && linkedOthers.has(o))
    if (added.length === 0 && removed.length === 0) continue
    const keep = [...h.keys()].filter((o) => !removed.includes(o))
    const next = [...keep, ...added]
    let value: unknown
    if (fieldType === 'reference') {
      if (next.length > 1)
        ctx.note(`${r.name}: a reference holds one record; ${next.length - 1} more related records were left out`)
      // one record fits: the source's relation wins over what the field holds
      value = added[0] ?? keep[0] ?? ''
    } else if (fieldType === 'list') value = next.join(',')
    else value = next.map((factSheetId) => ({ factSheetId }))
    planned.set(self, { added, removed })
    const target = targets.get(self)
    changes.push({
      op: 'update',
      key: self,
      id: self,
      values: { [field]: value },
      ...(target?.rev !== undefined ? { revision: target.rev as number } : {}),
    })
  }
  const results = ctx.dryRun ? new Map() : new Map((await ctx.write('target', changes)).map((x) => [x.key, x]))
  for (const [self, { added, removed }] of planned) {
    const res = results.get(self)
    const status = writeStatus(res, ctx.dryRun)
    if (status === 'ERROR') counts.failed = (counts.failed ?? 0) + 1
    else {
      tally(counts, status, 'CREATE', added.length)
      tally(counts, status, 'DELETE', removed.length)
    }
    const failed = status === 'ERROR' ? `writing ${field} failed: ${res?.error?.message ?? 'no result'}` : null
    for (const other of added)
      actions.push(relationAction(r, 'CREATE', status, sourceOf.get(self) ?? null, self, field, other, failed))
    for (const other of removed)
      actions.push(relationAction(r, 'DELETE', status, sourceOf.get(self) ?? null, self, field, other, failed))
  }
  return { actions, counts }
}

/**
 * A page of links cut into runs of at most MAX_RELATIONS_AT_ONCE staged relations, in page order
 * (each run's last link is a checkpoint to resume after). The staged target rows count too when
 * the target keeps its relations in a table.
 */
async function byRelationCount(
  ctx: RunContext,
  r: CompiledRelation,
  page: Link[],
  targetStaged: boolean,
): Promise<Link[][]> {
  const desired = await ctx.stage.relationCounts(
    ctx.db,
    ctx.passId,
    r.index,
    's',
    page.map((l) => l.sourceId),
  )
  const current = targetStaged
    ? await ctx.stage.relationCounts(
        ctx.db,
        ctx.passId,
        r.index,
        't',
        page.map((l) => l.targetId),
      )
    : new Map<string, number>()
  const runs: Link[][] = []
  let run: Link[] = []
  let held = 0
  for (const link of page) {
    const n = (desired.get(link.sourceId) ?? 0) + (current.get(link.targetId) ?? 0)
    if (run.length > 0 && held + n > MAX_RELATIONS_AT_ONCE) {
      runs.push(run)
      run = []
      held = 0
    }
    run.push(link)
    held += n
  }
  if (run.length > 0) runs.push(run)
  return runs
}

/** Applies the staged relations of some links and commits them with the checkpoint after the last. */
async function applyStaged(
  ctx: RunContext,
  r: CompiledRelation,
  selves: Link[],
  targetShape: TableShape | undefined,
  finder: ReturnType<typeof stagedFinder>,
): Promise<void> {
  const desired = await ctx.stage.relations(
    ctx.db,
    ctx.passId,
    r.index,
    's',
    selves.map((l) => l.sourceId),
  )
  let current: RelationPair[]
  let targets = new Map<string, SyncRecord>()
  if (targetShape) {
    current = await ctx.stage.relations(
      ctx.db,
      ctx.passId,
      r.index,
      't',
      selves.map((l) => l.targetId),
    )
    if (ctx.resumed) {
      // rows created before a restart are not in the staged table: ask for them again
      current = [...current, ...(await tableRows(ctx, 'target', targetShape, existing(selves.map((l) => l.targetId))))]
    }
  } else {
    targets = await finder.byIds(existing(selves.map((l) => l.targetId)))
    current = fieldPairs(targets.values(), (r.target as { field: string }).field)
  }
  const { actions, counts } = await applyRelations(ctx, r, selves, desired, current, targets)
  await ctx.commit(actions, counts, { ...ctx.checkpoint, after: (selves.at(-1) as Link).targetId })
}

/** The relation pass of a full run, relation mapping by relation mapping, resumable. */
export async function relationsPass(ctx: RunContext): Promise<void> {
  const skip = ctx.run.options.withoutRelations === true
  const relations = skip ? [] : ctx.mapping.relations
  const finder = stagedFinder(ctx)
  for (let i = ctx.checkpoint.relation ?? 0; i < relations.length; i++) {
    const r = relations[i] as CompiledRelation
    if (ctx.checkpoint.relation !== i)
      await ctx.commit(
        [],
        {},
        { ...ctx.checkpoint, phase: 'relations', relation: i, relationStep: 'source', cursor: null, after: null },
      )
    const sourceShape = await tableShape(ctx, 'source', r.source)
    const targetShape = await tableShape(ctx, 'target', r.target)
    if (ctx.checkpoint.relationStep === 'source') {
      if (sourceShape) await stageTable(ctx, r, 'source', 's', sourceShape)
      await ctx.commit([], {}, { ...ctx.checkpoint, relationStep: 'target', cursor: null })
    }
    if (ctx.checkpoint.relationStep === 'target') {
      if (targetShape) {
        // a restart re-reads the table from where it was; rows it staged already are kept
        await stageTable(ctx, r, 'target', 't', targetShape)
      }
      await ctx.commit([], {}, { ...ctx.checkpoint, relationStep: 'apply', cursor: null, after: null })
    }
    while (ctx.checkpoint.relationStep === 'apply') {
      const page = await linksOf(ctx, ctx.mappingId).page(ctx.checkpoint.after ?? null, BATCH)
      if (page.length === 0) break
      for (const selves of await byRelationCount(ctx, r, page, !!targetShape))
        await applyStaged(ctx, r, selves, targetShape, finder)
    }
  }
  await ctx.commit(
    [],
    {},
    { ...ctx.checkpoint, phase: 'done', relation: undefined, relationStep: undefined, cursor: null, after: null },
  )
}

/** Relations of the records a partial or delta run touched. */
export async function relationsOf(ctx: RunContext, sourceRecords: Map<string, SyncRecord>): Promise<void> {
  if (ctx.run.options.withoutRelations || ctx.prepared.spec.events.partialSync === 'withoutRelations') return
  const ids = [...sourceRecords.keys()]
  for (let start = 0; start < ids.length; start += BATCH) {
    const chunk = ids.slice(start, start + BATCH)
    const links = [...(await linksOf(ctx, ctx.mappingId).bySource(chunk)).values()]
    if (links.length === 0) continue
    for (const r of ctx.mapping.relations) {
      const sourceShape = await tableShape(ctx, 'source', r.source)
      const targetShape = await tableShape(ctx, 'target', r.target)
      const desired = sourceShape
        ? await tableRows(
            ctx,
            'source',
            sourceShape,
            links.map((l) => l.sourceId),
          )
        : fieldPairs(
            links.map((l) => sourceRecords.get(l.sourceId)).filter((s): s is SyncRecord => !!s),
            (r.source as { field: string }).field,
          )
      let targets = new Map<string, SyncRecord>()
      let current: RelationPair[]
      if (targetShape) current = await tableRows(ctx, 'target', targetShape, existing(links.map((l) => l.targetId)))
      else {
        const ids = existing(links.map((l) => l.targetId))
        const found = ids.length > 0 ? await ctx.lookup('target', { ids, fields: ctx.mapping.reads.target }) : []
        targets = new Map(found.map((t) => [t.id, t]))
        current = fieldPairs(found, (r.target as { field: string }).field)
      }
      const { actions, counts } = await applyRelations(ctx, r, links, desired, current, targets)
      await ctx.commit(actions, counts, ctx.checkpoint)
    }
  }
}

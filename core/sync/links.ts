// The links table: each linked pair of a mapping (source id <-> target id), how it came to be,
// and per field mapping a hash of the value both sides held when last synced. It is what makes
// an unchanged record cost no write, a deletion safe (only what this mapping links) and a
// restart exact (no duplicate creates).
import type { Queryable } from '../store/db.ts'

export type LinkOrigin = 'created' | 'matched' | 'identity'

export interface Link {
  sourceId: string
  targetId: string
  origin: LinkOrigin
  synced: Record<string, string>
}

interface Row {
  source_id: string
  target_id: string
  origin: LinkOrigin
  synced: Record<string, string> | null
}

const toLink = (r: Row): Link => ({
  sourceId: r.source_id,
  targetId: r.target_id,
  origin: r.origin,
  synced: r.synced ?? {},
})

/** A link of `l` that no link planned in pass $2 replaces (same source) or takes over (same target). */
const NOT_REPLACED = `not exists (select 1 from sync_stage p where p.pass_id = $2 and p.side = 'p' and p.record_id = l.source_id)
  and not exists (select 1 from sync_stage p where p.pass_id = $2 and p.side = 'p' and p.identity = l.target_id)`

export class LinksRepository {
  async bySource(q: Queryable, mappingId: string, sourceIds: readonly string[]): Promise<Map<string, Link>> {
    if (sourceIds.length === 0) return new Map()
    const { rows } = await q.query<Row>(
      'select source_id, target_id, origin, synced from sync_links where mapping_id = $1 and source_id = any($2::text[])',
      [mappingId, sourceIds],
    )
    return new Map(rows.map((r) => [r.source_id, toLink(r)]))
  }

  async byTarget(q: Queryable, mappingId: string, targetIds: readonly string[]): Promise<Map<string, Link>> {
    if (targetIds.length === 0) return new Map()
    const { rows } = await q.query<Row>(
      'select source_id, target_id, origin, synced from sync_links where mapping_id = $1 and target_id = any($2::text[])',
      [mappingId, targetIds],
    )
    return new Map(rows.map((r) => [r.target_id, toLink(r)]))
  }

  async count(q: Queryable, mappingId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>('select count(*)::int as n from sync_links where mapping_id = $1', [
      mappingId,
    ])
    return rows[0]?.n ?? 0
  }

  /** Inserts or replaces links (one statement for a page). */
  async upsert(q: Queryable, mappingId: string, runId: string, links: readonly Link[]): Promise<void> {
    if (links.length === 0) return
    // a target linked before to another source (re-created, re-matched) moves to this one
    await q.query(
      'delete from sync_links where mapping_id = $1 and target_id = any($2::text[]) and not (source_id = any($3::text[]))',
      [mappingId, links.map((l) => l.targetId), links.map((l) => l.sourceId)],
    )
    await q.query(
      `insert into sync_links (mapping_id, source_id, target_id, origin, created_run_id, synced)
       select $1, x.source_id, x.target_id, x.origin, $2, x.synced
       from jsonb_to_recordset($3::jsonb) as x(source_id text, target_id text, origin text, synced jsonb)
       on conflict (mapping_id, source_id) do update set target_id = excluded.target_id,
         origin = case when sync_links.target_id = excluded.target_id then sync_links.origin else excluded.origin end,
         synced = excluded.synced, updated_at = now()`,
      [
        mappingId,
        runId,
        JSON.stringify(
          links.map((l) => ({ source_id: l.sourceId, target_id: l.targetId, origin: l.origin, synced: l.synced })),
        ),
      ],
    )
  }

  async removeBySource(q: Queryable, mappingId: string, sourceIds: readonly string[]): Promise<void> {
    if (sourceIds.length === 0) return
    await q.query('delete from sync_links where mapping_id = $1 and source_id = any($2::text[])', [
      mappingId,
      sourceIds,
    ])
  }

  /** Links whose source the pass did not see, in source id order after `after`. */
  async unseen(q: Queryable, mappingId: string, passId: string, after: string | null, limit: number): Promise<Link[]> {
    const { rows } = await q.query<Row>(
      `select l.source_id, l.target_id, l.origin, l.synced from sync_links l
       where l.mapping_id = $1 and ($3::text is null or l.source_id > $3)
         and not exists (select 1 from sync_stage s where s.pass_id = $2 and s.side = 's' and s.record_id = l.source_id)
       order by l.source_id limit $4`,
      [mappingId, passId, after, limit],
    )
    return rows.map(toLink)
  }

  async countUnseen(q: Queryable, mappingId: string, passId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>(
      `select count(*)::int as n from sync_links l where l.mapping_id = $1
         and not exists (select 1 from sync_stage s where s.pass_id = $2 and s.side = 's' and s.record_id = l.source_id)`,
      [mappingId, passId],
    )
    return rows[0]?.n ?? 0
  }

  /** Target ids linked by `mappingId` among `ids`: the other ends a relation mapping may touch. */
  async linkedTargets(q: Queryable, mappingId: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set()
    const { rows } = await q.query<{ target_id: string }>(
      'select target_id from sync_links where mapping_id = $1 and target_id = any($2::text[])',
      [mappingId, ids],
    )
    return new Set(rows.map((r) => r.target_id))
  }

  /** Source ids linked by `mappingId` among `ids`. */
  async linkedSources(q: Queryable, mappingId: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set()
    const { rows } = await q.query<{ source_id: string }>(
      'select source_id from sync_links where mapping_id = $1 and source_id = any($2::text[])',
      [mappingId, ids],
    )
    return new Set(rows.map((r) => r.source_id))
  }

  // The links as a dry run would have left them: those it planned (sync_stage side 'p' of its
  // pass, see StageRepository.planLinks) in, the links they replace or drop out.

  /** bySource, with the links a dry run planned in pass `passId`. */
  async plannedBySource(
    q: Queryable,
    mappingId: string,
    passId: string,
    sourceIds: readonly string[],
  ): Promise<Map<string, Link>> {
    if (sourceIds.length === 0) return new Map()
    const { rows } = await q.query<Row>(
      `select l.source_id, l.target_id, l.origin, l.synced from sync_links l
       where l.mapping_id = $1 and l.source_id = any($3::text[]) and ${NOT_REPLACED}
       union all
       select p.record_id, p.identity, p.record->>'origin', null from sync_stage p
       where p.pass_id = $2 and p.side = 'p' and p.record_id = any($3::text[]) and p.identity is not null`,
      [mappingId, passId, sourceIds],
    )
    return new Map(rows.map((r) => [r.source_id, toLink(r)]))
  }

  /** linkedTargets, with the links a dry run planned in pass `passId`. */
  async plannedLinkedTargets(
    q: Queryable,
    mappingId: string,
    passId: string,
    ids: readonly string[],
  ): Promise<Set<string>> {
    if (ids.length === 0) return new Set()
    const { rows } = await q.query<{ target_id: string }>(
      `select l.target_id from sync_links l where l.mapping_id = $1 and l.target_id = any($3::text[]) and ${NOT_REPLACED}
       union
       select p.identity from sync_stage p where p.pass_id = $2 and p.side = 'p' and p.identity = any($3::text[])`,
      [mappingId, passId, ids],
    )
    return new Set(rows.map((r) => r.target_id))
  }

  /** page, with the links a dry run planned in pass `passId`; each half walks its own index. */
  async plannedPage(
    q: Queryable,
    mappingId: string,
    passId: string,
    after: string | null,
    limit: number,
  ): Promise<Link[]> {
    const { rows } = await q.query<Row>(
      `select * from (
         (select l.source_id, l.target_id, l.origin, l.synced from sync_links l
          where l.mapping_id = $1 and ($3::text is null or l.target_id > $3) and ${NOT_REPLACED}
          order by l.target_id limit $4)
         union all
         (select p.record_id, p.identity, p.record->>'origin', null from sync_stage p
          where p.pass_id = $2 and p.side = 'p' and p.identity is not null and ($3::text is null or p.identity > $3)
          order by p.identity limit $4)
       ) x order by target_id limit $4`,
      [mappingId, passId, after, limit],
    )
    return rows.map(toLink)
  }

  /** Links in target id order after `after` (relation passes walk them in batches). */
  async page(q: Queryable, mappingId: string, after: string | null, limit: number): Promise<Link[]> {
    const { rows } = await q.query<Row>(
      `select source_id, target_id, origin, synced from sync_links where mapping_id = $1 and ($2::text is null or target_id > $2)
       order by target_id limit $3`,
      [mappingId, after, limit],
    )
    return rows.map(toLink)
  }
}

// Staging of a full run's pass in the store, so memory is bounded by the page size and not by
// the tables: the target records in scope (side 't'), the source ids the pass saw (side 's'),
// match keys of the targets, relation pairs, and the links a dry run would have made (side 'p').
// A page is written in one statement.
import type { Queryable } from '../store/db.ts'

export interface StagedTarget {
  id: string
  identity: string | null
  display: string | null
  record: Record<string, unknown>
  claimedBy: string | null
}

interface Row {
  record_id: string
  identity: string | null
  display: string | null
  record: Record<string, unknown> | null
  claimed_by: string | null
}

const toStaged = (r: Row): StagedTarget => ({
  id: r.record_id,
  identity: r.identity,
  display: r.display,
  record: { ...(r.record ?? {}), id: r.record_id },
  claimedBy: r.claimed_by,
})

export type RelationStageSide = 's' | 'd' | 't'

export class StageRepository {
  async addTargets(
    q: Queryable,
    passId: string,
    rows: ReadonlyArray<{
      id: string
      identity: string | null
      display: string | null
      record: Record<string, unknown>
      keys: Array<[number, string]>
    }>,
  ): Promise<void> {
    if (rows.length === 0) return
    await q.query(
      `insert into sync_stage (pass_id, side, record_id, identity, display, record)
       select $1, 't', x.id, x.identity, x.display, x.record from jsonb_to_recordset($2::jsonb) as x(id text, identity text, display text, record jsonb)
       on conflict (pass_id, side, record_id) do update set identity = excluded.identity, display = excluded.display, record = excluded.record`,
      [passId, JSON.stringify(rows.map(({ keys: _k, ...r }) => r))],
    )
    const keys = rows.flatMap((r) => r.keys.map(([rule, key]) => ({ rule, key, id: r.id })))
    if (keys.length > 0) {
      await q.query(
        `insert into sync_stage_keys (pass_id, rule, key, record_id)
         select $1, x.rule, x.key, x.id from jsonb_to_recordset($2::jsonb) as x(rule smallint, key text, id text)`,
        [passId, JSON.stringify(keys)],
      )
    }
  }

  async seenSources(q: Queryable, passId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await q.query(
      `insert into sync_stage (pass_id, side, record_id) select $1, 's', unnest($2::text[]) on conflict do nothing`,
      [passId, ids],
    )
  }

  async countTargets(q: Queryable, passId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>(
      `select count(*)::int as n from sync_stage where pass_id = $1 and side = 't'`,
      [passId],
    )
    return rows[0]?.n ?? 0
  }

  async targets(q: Queryable, passId: string, ids: readonly string[]): Promise<Map<string, StagedTarget>> {
    if (ids.length === 0) return new Map()
    const { rows } = await q.query<Row>(
      `select record_id, identity, display, record, claimed_by from sync_stage where pass_id = $1 and side = 't' and record_id = any($2::text[])`,
      [passId, ids],
    )
    return new Map(rows.map((r) => [r.record_id, toStaged(r)]))
  }

  /** Unclaimed staged targets whose identity field holds one of `identities`. */
  async byIdentity(q: Queryable, passId: string, identities: readonly string[]): Promise<StagedTarget[]> {
    if (identities.length === 0) return []
    const { rows } = await q.query<Row>(
      `select record_id, identity, display, record, claimed_by from sync_stage
       where pass_id = $1 and side = 't' and identity = any($2::text[]) and claimed_by is null`,
      [passId, identities],
    )
    return rows.map(toStaged)
  }

  /** Unclaimed staged targets with one of `keys` under match rule `rule`, not linked by the mapping. */
  async byKeys(
    q: Queryable,
    passId: string,
    mappingId: string,
    rule: number,
    keys: readonly string[],
  ): Promise<Map<string, StagedTarget[]>> {
    if (keys.length === 0) return new Map()
    const { rows } = await q.query<Row & { key: string }>(
      `select k.key, s.record_id, s.identity, s.display, s.record, s.claimed_by
       from sync_stage_keys k join sync_stage s on s.pass_id = k.pass_id and s.side = 't' and s.record_id = k.record_id
       where k.pass_id = $1 and k.rule = $2 and k.key = any($3::text[]) and s.claimed_by is null
         and not exists (select 1 from sync_links l where l.mapping_id = $4 and l.target_id = s.record_id)`,
      [passId, rule, keys, mappingId],
    )
    const out = new Map<string, StagedTarget[]>()
    for (const r of rows) {
      const list = out.get(r.key) ?? []
      list.push(toStaged(r))
      out.set(r.key, list)
    }
    return out
  }

  async claim(
    q: Queryable,
    passId: string,
    claims: ReadonlyArray<{ targetId: string; sourceId: string }>,
  ): Promise<void> {
    if (claims.length === 0) return
    await q.query(
      `update sync_stage s set claimed_by = x.source_id from jsonb_to_recordset($2::jsonb) as x(target_id text, source_id text)
       where s.pass_id = $1 and s.side = 't' and s.record_id = x.target_id`,
      [passId, JSON.stringify(claims.map((c) => ({ target_id: c.targetId, source_id: c.sourceId })))],
    )
  }

  /** Staged targets in scope that no source claimed and the mapping does not link (strict mode). */
  async orphans(
    q: Queryable,
    passId: string,
    mappingId: string,
    after: string | null,
    limit: number,
  ): Promise<StagedTarget[]> {
    const { rows } = await q.query<Row>(
      `select s.record_id, s.identity, s.display, s.record, s.claimed_by from sync_stage s
       where s.pass_id = $1 and s.side = 't' and s.claimed_by is null and ($3::text is null or s.record_id > $3)
         and not exists (select 1 from sync_links l where l.mapping_id = $2 and l.target_id = s.record_id)
       order by s.record_id limit $4`,
      [passId, mappingId, after, limit],
    )
    return rows.map(toStaged)
  }

  async countOrphans(q: Queryable, passId: string, mappingId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>(
      `select count(*)::int as n from sync_stage s where s.pass_id = $1 and s.side = 't' and s.claimed_by is null
         and not exists (select 1 from sync_links l where l.mapping_id = $2 and l.target_id = s.record_id)`,
      [passId, mappingId],
    )
    return rows[0]?.n ?? 0
  }

  async addRelations(
    q: Queryable,
    passId: string,
    relation: number,
    side: RelationStageSide,
    pairs: ReadonlyArray<{ self: string; other: string; row?: string | null }>,
  ): Promise<void> {
    if (pairs.length === 0) return
    await q.query(
      `insert into sync_stage_relations (pass_id, relation, side, self_id, other_id, row_id)
       select $1, $2, $3, x.self, x.other, x.row from jsonb_to_recordset($4::jsonb) as x(self text, other text, row text)
       on conflict do nothing`,
      [
        passId,
        relation,
        side,
        JSON.stringify(pairs.map((p) => ({ self: p.self, other: p.other, row: p.row ?? null }))),
      ],
    )
  }

  /** How many relation pairs each of the given selves has staged on one side (selves with none left out). */
  async relationCounts(
    q: Queryable,
    passId: string,
    relation: number,
    side: RelationStageSide,
    selves: readonly string[],
  ): Promise<Map<string, number>> {
    if (selves.length === 0) return new Map()
    const { rows } = await q.query<{ self_id: string; n: number }>(
      `select self_id, count(*)::int as n from sync_stage_relations
       where pass_id = $1 and relation = $2 and side = $3 and self_id = any($4::text[]) group by self_id`,
      [passId, relation, side, selves],
    )
    return new Map(rows.map((r) => [r.self_id, r.n]))
  }

  /** Relation pairs of the given selves on one side. */
  async relations(
    q: Queryable,
    passId: string,
    relation: number,
    side: RelationStageSide,
    selves: readonly string[],
  ): Promise<Array<{ self: string; other: string; row: string | null }>> {
    if (selves.length === 0) return []
    const { rows } = await q.query<{ self_id: string; other_id: string; row_id: string | null }>(
      `select self_id, other_id, row_id from sync_stage_relations where pass_id = $1 and relation = $2 and side = $3 and self_id = any($4::text[])`,
      [passId, relation, side, selves],
    )
    return rows.map((r) => ({ self: r.self_id, other: r.other_id, row: r.row_id }))
  }

  /**
   * Links a dry run would have made or dropped (side 'p': record_id the source id, identity the
   * target id, null when the link would be dropped), so its relations are planned as the real
   * run's: one row per record the run creates, links or deletes, never more than the source
   * holds, kept in the store with the rest of the pass.
   */
  async planLinks(
    q: Queryable,
    passId: string,
    links: ReadonlyArray<{ sourceId: string; targetId: string | null; origin?: string }>,
  ): Promise<void> {
    if (links.length === 0) return
    await q.query(
      `insert into sync_stage (pass_id, side, record_id, identity, record)
       select $1, 'p', x.source_id, x.target_id, jsonb_build_object('origin', x.origin)
       from jsonb_to_recordset($2::jsonb) as x(source_id text, target_id text, origin text)
       on conflict (pass_id, side, record_id) do update set identity = excluded.identity, record = excluded.record`,
      [
        passId,
        JSON.stringify(
          links.map((l) => ({ source_id: l.sourceId, target_id: l.targetId, origin: l.origin ?? 'created' })),
        ),
      ],
    )
  }

  /** Everything of a pass (it ended, or a new pass replaces it). */
  async drop(q: Queryable, passId: string): Promise<void> {
    await q.query('delete from sync_stage_relations where pass_id = $1', [passId])
    await q.query('delete from sync_stage_keys where pass_id = $1', [passId])
    await q.query('delete from sync_stage where pass_id = $1', [passId])
  }

  /** Passes of a mapping's earlier runs that nothing will resume. */
  async dropStale(q: Queryable, mappingId: string, keepPassId: string): Promise<void> {
    const passes = `select pass_id from runs where mapping_id = $1 and pass_id is not null and pass_id <> $2 and status <> 'RUNNING'`
    for (const table of ['sync_stage_relations', 'sync_stage_keys', 'sync_stage']) {
      await q.query(`delete from ${table} where pass_id in (${passes})`, [mappingId, keepPassId])
    }
  }
}

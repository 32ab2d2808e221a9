// The graph-rule stage in the hub's store (migration 100): a read's staged keys, written while
// the walk goes and read back in keyset pages, so that no step holds more than a batch.
import type { Db } from '../../../core/store/db.ts'

/** Stages older than this belong to reads that never finished; the next read drops them. */
const ABANDONED_AFTER = '1 day'

export interface StagedPair {
  rule: number
  item: string
  /** '' when the rule relates the item to no application */
  app: string
}

export class GraphStage {
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
  }

  async open(key: string): Promise<void> {
    await this.#db.query(`delete from sam_graph_stages where started_at < now() - interval '${ABANDONED_AFTER}'`)
    await this.#db.query('insert into sam_graph_stages (stage_key) values ($1) on conflict do nothing', [key])
  }

  /** Idempotent: a walk started again after a restart stages the same pairs again. */
  async add(key: string, pairs: readonly StagedPair[]): Promise<void> {
    if (pairs.length === 0) return
    await this.#db.query(
      `insert into sam_graph_stage (stage_key, rule_index, item_id, app_id)
       select $1, r, i, a from unnest($2::int[], $3::text[], $4::text[]) as t(r, i, a)
       on conflict do nothing`,
      [key, pairs.map((p) => p.rule), pairs.map((p) => p.item), pairs.map((p) => p.app)],
    )
  }

  /** The next `limit` distinct items after `after`, in id order. */
  async items(key: string, after: string | null, limit: number): Promise<string[]> {
    const { rows } = await this.#db.query<{ item_id: string }>(
      `select distinct item_id from sam_graph_stage
       where stage_key = $1 and ($2::text is null or item_id > $2)
       order by item_id limit $3`,
      [key, after, limit],
    )
    return rows.map((r) => r.item_id)
  }

  /** The applications each of `items` is related to (items without any are left out). */
  async applications(key: string, items: readonly string[]): Promise<Map<string, string[]>> {
    const { rows } = await this.#db.query<{ item_id: string; app_id: string }>(
      `select distinct item_id, app_id from sam_graph_stage
       where stage_key = $1 and item_id = any($2::text[]) and app_id <> ''
       order by item_id, app_id`,
      [key, items],
    )
    const out = new Map<string, string[]>()
    for (const r of rows) {
      const list = out.get(r.item_id) ?? []
      list.push(r.app_id)
      out.set(r.item_id, list)
    }
    return out
  }

  async drop(key: string): Promise<void> {
    await this.#db.query('delete from sam_graph_stages where stage_key = $1', [key])
  }
}

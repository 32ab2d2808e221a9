// Change events that carry a sequence (LeanIX's transactionSequenceNumber) are taken once: the
// store keeps the last sequence taken per record of a connection, and an event at or below it is
// a replay or a late arrival. Kept in the store, not in memory, because LeanIX retries a delivery
// for up to 10 days (shared/reference/leanix.md §5) and a restart must not take it again. The
// check and the change rows commit in one transaction, so an event is never marked taken without
// being kept.
import type { ChangeEvent } from '../connector/contract.ts'
import type { Queryable } from '../store/db.ts'

/** Rows untouched this long are pruned: far beyond LeanIX's 10 days of retries. */
const KEEP_DAYS = 30
const PRUNE_EVERY_MS = 60 * 60 * 1000

/** A sequence the store can compare: a whole number, as a number or a string of digits. */
function sequenceOf(event: ChangeEvent): string | undefined {
  const s = event.sequence
  if (typeof s === 'number') return Number.isSafeInteger(s) && s >= 0 ? String(s) : undefined
  return typeof s === 'string' && /^\d{1,40}$/.test(s) ? s.replace(/^0+(?=\d)/, '') : undefined
}

export class EventSequences {
  #prunedAt = 0
  readonly #now: () => number

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  /**
   * The events not taken before, marking what they take. Events without a sequence always pass;
   * of a record's events, those above the sequence the store held pass.
   */
  async unseen(q: Queryable, connectionId: string, events: readonly ChangeEvent[]): Promise<Set<ChangeEvent>> {
    const pass = new Set<ChangeEvent>()
    const sequenced: Array<{ event: ChangeEvent; sequence: string }> = []
    for (const event of events) {
      const sequence = sequenceOf(event)
      if (sequence === undefined) pass.add(event)
      else sequenced.push({ event, sequence })
    }
    if (sequenced.length === 0) return pass
    // `before` and the upsert see the same snapshot: `before` is what the store held
    const { rows } = await q.query<{ record_id: string; before: string | null }>(
      `with incoming as (
         select x.record_id, max(x.sequence) as sequence
         from jsonb_to_recordset($2::jsonb) as x(record_id text, sequence numeric)
         group by x.record_id
       ), before as (
         select s.record_id, s.sequence from sync_event_sequences s
         where s.connection_id = $1::uuid and s.record_id in (select record_id from incoming)
       ), taken as (
         insert into sync_event_sequences as s (connection_id, record_id, sequence)
         select $1::uuid, record_id, sequence from incoming
         on conflict (connection_id, record_id) do update set sequence = excluded.sequence, seen_at = now()
         where s.sequence < excluded.sequence
         returning s.record_id
       )
       select t.record_id, b.sequence::text as before from taken t left join before b using (record_id)`,
      [connectionId, JSON.stringify(sequenced.map((s) => ({ record_id: s.event.id, sequence: s.sequence })))],
    )
    const heldBefore = new Map(rows.map((r) => [r.record_id, r.before]))
    for (const { event, sequence } of sequenced) {
      if (!heldBefore.has(event.id)) continue
      const before = heldBefore.get(event.id)
      if (before === null || before === undefined || BigInt(sequence) > BigInt(before)) pass.add(event)
    }
    await this.#pruneNowAndThen(q)
    return pass
  }

  async #pruneNowAndThen(q: Queryable): Promise<void> {
    const now = this.#now()
    if (now - this.#prunedAt < PRUNE_EVERY_MS) return
    this.#prunedAt = now
    await q.query(`delete from sync_event_sequences where seen_at < now() - make_interval(days => $1)`, [KEEP_DAYS])
  }
}

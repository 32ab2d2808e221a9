// Records waiting for a partial run (`sync_changes`): one row per mapping, side and record, a
// later change replacing an earlier one. Change events put them there (intake.ts), and so does a
// run that finds, in a write's answer, that someone edited a record between its read and its
// write (edited-meanwhile.ts).
import type { Queryable } from '../store/db.ts'

export interface PendingChange {
  mapping_id: string
  side: 's' | 't'
  record_id: string
  op: 'create' | 'update' | 'delete'
}

export async function keepPendingChanges(q: Queryable, changes: readonly PendingChange[]): Promise<void> {
  if (changes.length === 0) return
  const byKey = new Map<string, PendingChange>()
  for (const c of changes) byKey.set(`${c.mapping_id}:${c.side}:${c.record_id}`, c)
  await q.query(
    `insert into sync_changes (mapping_id, side, record_id, op)
     select x.mapping_id::uuid, x.side, x.record_id, x.op from jsonb_to_recordset($1::jsonb) as x(mapping_id text, side text, record_id text, op text)
     on conflict (mapping_id, side, record_id) do update set op = excluded.op, received_at = now(), claimed_by = null`,
    [JSON.stringify([...byKey.values()])],
  )
}

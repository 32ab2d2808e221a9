// Why a mapping may not run because of a custom connector: the connector it maps was removed
// (its cleanup not yet confirmed), or a re-discovery flagged it (drift.ts).
import type { Queryable } from '../store/db.ts'
import { SyncErrors } from '../sync/errors.ts'
import { driftOf } from './drift.ts'
import { CustomConnectorErrors } from './errors.ts'

export async function runRefusal(db: Queryable, mapping: { id: string; name: string }): Promise<Error | undefined> {
  const { rows } = await db.query<{ name: string }>(
    `select c.name from mappings m join custom_connectors c
        on (m.source_connection_id = c.connection_id and m.source_entity = c.entity)
        or (m.target_connection_id = c.connection_id and m.target_entity = c.entity)
      where m.id = $1 and c.removed_at is not null limit 1`,
    [mapping.id],
  )
  const removed = rows[0]?.name
  if (removed) return new CustomConnectorErrors.REMOVED(mapping.name, removed, removed)
  const drift = await driftOf(db, mapping.id)
  if (!drift) return undefined
  const where = drift.problems.map((p) => `${p.pointer}: ${p.message}`).join('; ')
  return new SyncErrors.MAPPING_DRIFTED(mapping.name, drift.connector, where)
}

// Why a mapping may not run because of a custom connector: the connector it maps was removed
// (its cleanup not yet confirmed), or its table drifted (drift.ts). The table is described again
// at the start of every run (one describe per custom connector of the mapping): a field removed or
// retyped on the system since the last discovery flags the mapping there and then, and the start
// is refused naming the field mapping it breaks, rather than the run failing later with the
// system's own error. A table that cannot be described now is left to the run, which says what
// fails; a flag set earlier still refuses.
import type { AuditStep } from '../audit/audit-log.ts'
import type { ConnectorLogger } from '../connector/contract.ts'
import type { MappingEnvironment } from '../mapping/prepare.ts'
import type { MappingRepository } from '../mapping/repository.ts'
import type { Db } from '../store/db.ts'
import { SyncErrors } from '../sync/errors.ts'
import { changedAny, driftOf, flagDrift } from './drift.ts'
import { CustomConnectorErrors } from './errors.ts'
import type { CustomConnectorService } from './service.ts'

export interface RunRefusalDeps {
  db: Db
  service: CustomConnectorService
  env: MappingEnvironment
  mappings: MappingRepository
  logger: ConnectorLogger
  /** the audit entry of a schema change found at the start of a run, by the hub itself */
  audit?: (connector: { id: string; name: string }) => AuditStep
}

export async function runRefusal(
  deps: RunRefusalDeps,
  mapping: { id: string; name: string },
): Promise<Error | undefined> {
  const { rows } = await deps.db.query<{ id: string; name: string; removed: boolean }>(
    `select c.id, c.name, c.removed_at is not null as removed from mappings m join custom_connectors c
        on (m.source_connection_id = c.connection_id and m.source_entity = c.entity)
        or (m.target_connection_id = c.connection_id and m.target_entity = c.entity)
      where m.id = $1 order by c.name`,
    [mapping.id],
  )
  const removed = rows.find((c) => c.removed)?.name
  if (removed) return new CustomConnectorErrors.REMOVED(mapping.name, removed, removed)
  for (const connector of rows) await redescribe(deps, connector)
  const drift = await driftOf(deps.db, mapping.id)
  if (!drift) return undefined
  const where = drift.problems.map((p) => `${p.pointer}: ${p.message}`).join('; ')
  return new SyncErrors.MAPPING_DRIFTED(mapping.name, drift.connector, where)
}

/** Describes the connector's table; a change is stored, audited and its mappings checked. */
async function redescribe(deps: RunRefusalDeps, connector: { id: string; name: string }): Promise<void> {
  let found
  try {
    found = await deps.service.rediscover(connector.id, deps.audit?.(connector), { onlyIfChanged: true })
  } catch (error) {
    deps.logger.warn(
      { err: error, customConnector: connector.name },
      'the table of a custom connector could not be described at the start of a run; the run says what fails',
    )
    return
  }
  if (changedAny(found.changes))
    await flagDrift(deps.db, { env: deps.env, mappings: deps.mappings }, found.record, found.changes)
}

// Schema drift of custom connectors. A re-discovery compares the table as it is now with the
// schema stored at registration (or the last discovery), stores the new one, and checks every
// mapping that names the connection and the table against it: a field mapping that names a field
// now gone (the mapping's own validation finds it) or whose type changed is a problem at its JSON
// pointer, and the mapping is flagged. The same check follows a change of the connector (a field
// subset that drops a mapped field) and the re-description at the start of each run (refusal.ts).
// Runs of a flagged mapping are refused (run-service.ts asks `driftOf`); saving the mapping, or a
// discovery that finds it sound after a change, clears the flag.
import type { EntityDescription } from '../connector/contract.ts'
import type { Db, Queryable } from '../store/db.ts'
import type { MappingProblem } from '../mapping/errors.ts'
import { prepareMapping, type MappingEnvironment } from '../mapping/prepare.ts'
import type { MappingRecord, MappingRepository } from '../mapping/repository.ts'
import type { CustomConnectorRecord } from './repository.ts'

export interface SchemaChanges {
  /** fields the table no longer has */
  removed: string[]
  /** fields the table still has that a change of the field subset no longer offers */
  dropped: string[]
  retyped: Array<{ field: string; from: string; to: string }>
  added: string[]
}

export interface DriftedMapping {
  id: string
  name: string
  problems: MappingProblem[]
}

export function schemaChanges(before: EntityDescription, after: EntityDescription): SchemaChanges {
  const now = new Map(after.fields.map((f) => [f.name, f]))
  const then = new Set(before.fields.map((f) => f.name))
  const changes: SchemaChanges = { removed: [], dropped: [], retyped: [], added: [] }
  for (const field of before.fields) {
    const current = now.get(field.name)
    if (!current) changes.removed.push(field.name)
    else if (current.type !== field.type || (current.reference ?? '') !== (field.reference ?? ''))
      changes.retyped.push({ field: field.name, from: describeType(field), to: describeType(current) })
  }
  changes.added = after.fields.filter((f) => !then.has(f.name)).map((f) => f.name)
  return changes
}

const describeType = (f: { type: string; reference?: string }) => (f.reference ? `${f.type} to ${f.reference}` : f.type)

/** the field mappings that name a changed field on the custom connector's side, at their pointers */
function changedFieldProblems(
  mapping: MappingRecord,
  side: 'source' | 'target',
  connector: CustomConnectorRecord,
  changes: SchemaChanges,
): MappingProblem[] {
  const gone = new Set(changes.removed)
  const dropped = new Set(changes.dropped)
  const retyped = new Map(changes.retyped.map((r) => [r.field, r]))
  const problems: MappingProblem[] = []
  mapping.definition.fields.forEach((fieldMapping, index) => {
    // `field` (tag groups, subscriptions, related names) names the side without the structure
    for (const key of [side, 'field'] as const) {
      const value = (fieldMapping as Record<string, unknown>)[key]
      if (typeof value !== 'string') continue
      const name = value.split('.')[0] as string
      const pointer = `/fields/${index}/${key}`
      if (gone.has(name))
        problems.push({
          pointer,
          message: `${name} was removed from ${connector.entity} (custom connector ${connector.name})`,
        })
      if (dropped.has(name))
        problems.push({
          pointer,
          message: `${name} of ${connector.entity} is no longer offered by custom connector ${connector.name} (its field subset was changed)`,
        })
      const change = retyped.get(name)
      if (change)
        problems.push({
          pointer,
          message: `${name} of ${connector.entity} changed type from ${change.from} to ${change.to} (custom connector ${connector.name})`,
        })
    }
  })
  return problems
}

const servesSide = (connector: CustomConnectorRecord, connectionId: string, entity: string) =>
  connectionId === connector.connectionId && entity === connector.entity

/** The mappings whose source or target is the connector's connection and table. */
export async function mappingsOfTable(
  mappings: MappingRepository,
  connector: CustomConnectorRecord,
): Promise<MappingRecord[]> {
  return ((await mappings.byConnections([connector.connectionId])).get(connector.connectionId) ?? []).filter(
    (m) =>
      servesSide(connector, m.sourceConnectionId, m.sourceEntity) ||
      servesSide(connector, m.targetConnectionId, m.targetEntity),
  )
}

/**
 * The mappings of `using` whose field mappings name a field that `changes` removed or retyped on
 * the connector's side, each problem at its pointer: known without asking any system or store.
 */
export function changedFieldDrift(
  using: readonly MappingRecord[],
  connector: CustomConnectorRecord,
  changes: SchemaChanges,
): DriftedMapping[] {
  const drifted: DriftedMapping[] = []
  for (const mapping of using) {
    const problems: MappingProblem[] = []
    if (servesSide(connector, mapping.sourceConnectionId, mapping.sourceEntity))
      problems.push(...changedFieldProblems(mapping, 'source', connector, changes))
    if (servesSide(connector, mapping.targetConnectionId, mapping.targetEntity))
      problems.push(...changedFieldProblems(mapping, 'target', connector, changes))
    if (problems.length > 0) drifted.push({ id: mapping.id, name: mapping.name, problems })
  }
  return drifted
}

/** Flags the drifted mappings (their runs are refused), in the caller's transaction. */
export async function flagMappings(tx: Queryable, connectorId: string, drifted: readonly DriftedMapping[]) {
  for (const mapping of drifted) await flag(tx, mapping.id, connectorId, mapping.problems)
}

export const changedAny = (changes: SchemaChanges) =>
  changes.removed.length + changes.dropped.length + changes.retyped.length + changes.added.length > 0

/**
 * Checks and flags (or clears) every mapping of the connector's connection and table. When the
 * schema did not change since the last discovery, the flags it left stand (a retyped field is
 * no longer a difference then, yet still breaks the mapping): only saving the mapping clears them.
 */
export async function flagDrift(
  db: Db,
  deps: { env: MappingEnvironment; mappings: MappingRepository },
  connector: CustomConnectorRecord,
  changes: SchemaChanges,
): Promise<DriftedMapping[]> {
  const using = await mappingsOfTable(deps.mappings, connector)
  const changed = new Map(changedFieldDrift(using, connector, changes).map((d) => [d.id, d.problems]))
  const standing = new Map<string, MappingProblem[]>()
  if (!changedAny(changes) && using.length > 0) {
    const { rows } = await db.query<{ mapping_id: string; problems: MappingProblem[] }>(
      'select mapping_id, problems from mapping_drift where custom_connector_id = $1 and mapping_id = any($2::uuid[])',
      [connector.id, using.map((m) => m.id)],
    )
    for (const row of rows) standing.set(row.mapping_id, row.problems)
  }
  const drifted: DriftedMapping[] = []
  for (const mapping of using) {
    const problems = [...(changed.get(mapping.id) ?? []), ...(standing.get(mapping.id) ?? [])]
    const prepared = await prepareMapping(mapping.definition, deps.env, { selfId: mapping.id })
    if (!prepared.ok) problems.push(...prepared.problems)
    const unique = problems.filter((p, i) => problems.findIndex((q) => q.pointer === p.pointer) === i)
    if (unique.length > 0) drifted.push({ id: mapping.id, name: mapping.name, problems: unique })
  }
  await db.transaction(async (tx) => {
    await flagMappings(tx, connector.id, drifted)
    const sound = using.filter((m) => !drifted.some((d) => d.id === m.id)).map((m) => m.id)
    if (sound.length > 0) await tx.query('delete from mapping_drift where mapping_id = any($1::uuid[])', [sound])
  })
  return drifted
}

async function flag(tx: Queryable, mappingId: string, connectorId: string, problems: MappingProblem[]) {
  await tx.query(
    `insert into mapping_drift (mapping_id, custom_connector_id, problems) values ($1, $2, $3)
     on conflict (mapping_id) do update set custom_connector_id = excluded.custom_connector_id,
       problems = excluded.problems, flagged_at = now()`,
    [mappingId, connectorId, JSON.stringify(problems)],
  )
}

/** Why a mapping may not run because of drift, or undefined when it is not flagged. */
export async function driftOf(
  db: Queryable,
  mappingId: string,
): Promise<{ connector: string; problems: MappingProblem[] } | undefined> {
  const { rows } = await db.query<{ connector: string; problems: MappingProblem[] }>(
    `select c.name as connector, d.problems from mapping_drift d join custom_connectors c on c.id = d.custom_connector_id
      where d.mapping_id = $1`,
    [mappingId],
  )
  return rows[0]
}

// Schema drift of custom connectors. A re-discovery compares the table as it is now with the
// schema stored at registration (or the last discovery), stores the new one, and checks every
// mapping that names the connection and the table against it: a field mapping that names a field
// now gone (the mapping's own validation finds it) or whose type changed is a problem at its JSON
// pointer, and the mapping is flagged. Runs of a flagged mapping are refused (run-service.ts asks
// `driftOf`); saving the mapping, or a discovery that finds it sound, clears the flag.
import type { EntityDescription } from '../connector/contract.ts'
import type { Db, Queryable } from '../store/db.ts'
import type { MappingProblem } from '../mapping/errors.ts'
import { prepareMapping, type MappingEnvironment } from '../mapping/prepare.ts'
import type { MappingRecord, MappingRepository } from '../mapping/repository.ts'
import type { CustomConnectorRecord } from './repository.ts'

export interface SchemaChanges {
  removed: string[]
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
  const changes: SchemaChanges = { removed: [], retyped: [], added: [] }
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

/** Checks and flags (or clears) every mapping of the connector's connection and table. */
export async function flagDrift(
  db: Db,
  deps: { env: MappingEnvironment; mappings: MappingRepository },
  connector: CustomConnectorRecord,
  changes: SchemaChanges,
): Promise<DriftedMapping[]> {
  const using = (
    (await deps.mappings.byConnections([connector.connectionId])).get(connector.connectionId) ?? []
  ).filter(
    (m) =>
      (m.sourceConnectionId === connector.connectionId && m.sourceEntity === connector.entity) ||
      (m.targetConnectionId === connector.connectionId && m.targetEntity === connector.entity),
  )
  const drifted: DriftedMapping[] = []
  for (const mapping of using) {
    const problems: MappingProblem[] = []
    for (const side of ['source', 'target'] as const) {
      const ofSide = side === 'source' ? mapping.sourceConnectionId : mapping.targetConnectionId
      const entity = side === 'source' ? mapping.sourceEntity : mapping.targetEntity
      if (ofSide === connector.connectionId && entity === connector.entity)
        problems.push(...changedFieldProblems(mapping, side, connector, changes))
    }
    const prepared = await prepareMapping(mapping.definition, deps.env, { selfId: mapping.id })
    if (!prepared.ok)
      for (const p of prepared.problems) if (!problems.some((q) => q.pointer === p.pointer)) problems.push(p)
    if (problems.length > 0) drifted.push({ id: mapping.id, name: mapping.name, problems })
  }
  await db.transaction(async (tx) => {
    for (const mapping of using) {
      const found = drifted.find((d) => d.id === mapping.id)
      if (found) await flag(tx, mapping.id, connector.id, found.problems)
      else await tx.query('delete from mapping_drift where mapping_id = $1', [mapping.id])
    }
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

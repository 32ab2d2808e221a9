// A connection's connector with its custom connectors laid over it: for an entity a custom
// connector serves, discovery answers the schema stored when it was registered (the field subset
// applied), reads and lookups carry its constraint, and a record is known by its display field.
// Everything else, and every request to the system, is the base connector's, through its client.
// Serving the stored schema is what makes a drift visible: mappings are prepared against what was
// registered, and a re-discovery that changes it is what flags them.
import type {
  ConnectionContext,
  Connector,
  EntityDescription,
  LookupRequest,
  ReadRequest,
} from '../connector/contract.ts'
import type { CustomConnectorRecord } from './repository.ts'

/** The filter a read of `def`'s entity sends: its constraint ANDed with the request's. */
function constrained(base: Connector, def: CustomConnectorRecord, filter: string | undefined): string | undefined {
  if (!def.filter) return filter
  if (!filter) return def.filter
  // registration refuses a constraint on a connector that cannot AND filters
  return base.andFilters!(def.filter, filter)
}

export function withCustomEntities(base: Connector, defs: readonly CustomConnectorRecord[]): Connector {
  if (defs.length === 0) return base
  const byEntity = new Map(defs.map((d) => [d.entity, d]))
  const custom = (entity: string) => byEntity.get(entity)
  const discover = base.discover?.bind(base)
  const read = base.read?.bind(base)
  const lookup = base.lookup?.bind(base)
  const identityField = base.identityField?.bind(base)
  const displayField = base.displayField?.bind(base)
  const filterError = base.filterError?.bind(base)
  /** a read or lookup of a custom entity carries its constraint */
  const narrowed = <R extends { filter?: string }>(entity: string, request: R): R => {
    const def = custom(entity)
    const filter = def ? constrained(base, def, request.filter) : request.filter
    return filter !== undefined ? { ...request, filter } : request
  }
  return {
    ...base,
    ...(discover
      ? {
          async discover(conn: ConnectionContext, entities?: readonly string[]): Promise<EntityDescription[]> {
            if (!entities || entities.length === 0) {
              const listed = (await discover(conn)).filter((e) => !byEntity.has(e.name))
              return [...listed, ...defs.map((d) => d.schema)]
            }
            const others = entities.filter((e) => !byEntity.has(e))
            const found = others.length > 0 ? await discover(conn, others) : []
            const stored = entities.flatMap((e) => {
              const def = custom(e)
              return def ? [def.schema] : []
            })
            return [...found.filter((e) => !byEntity.has(e.name)), ...stored]
          },
        }
      : {}),
    ...(read
      ? {
          read: (conn: ConnectionContext, entity: string, request: ReadRequest) =>
            read(conn, entity, narrowed(entity, request)),
        }
      : {}),
    ...(lookup
      ? {
          lookup: (conn: ConnectionContext, entity: string, request: LookupRequest) =>
            lookup(conn, entity, narrowed(entity, request)),
        }
      : {}),
    identityField(conn: ConnectionContext, entity: string) {
      const field = identityField?.(conn, entity)
      const def = custom(entity)
      // a custom table need not have the base's identity field (a ServiceNow table that does not
      // extend cmdb_ci has no correlation_id): the mapping then names one (target.identityField)
      if (def && field && !def.schema.fields.some((f) => f.name === field)) return undefined
      return field
    },
    filterError(filter: string, entity?: string) {
      const why = filterError?.(filter, entity)
      const def = entity === undefined ? undefined : custom(entity)
      if (why || !def?.filter) return why
      try {
        constrained(base, def, filter)
        return undefined
      } catch (error) {
        return `it cannot be joined with the constraint of the custom connector ${def.name}: ${(error as Error).message}`
      }
    },
    displayField(entity: string) {
      return custom(entity)?.displayField ?? displayField?.(entity) ?? 'name'
    },
  }
}

/** Tells apart catalog entries made with different custom connectors of one connection. */
export function customFingerprint(defs: readonly CustomConnectorRecord[]): string {
  return defs.map((d) => `${d.id}@${d.discoveredAt}/${d.updatedAt}`).join(',')
}

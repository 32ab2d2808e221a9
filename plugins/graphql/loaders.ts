// Fields that fan out over lists, batched per request (DataLoader): every parent of a field asked
// for in one tick is answered by one call, so a status query over N mappings costs one query per
// field, not N (the N+1 cure). Batches are keyed by id. mercurius' own loaders key each parent by
// its whole record serialised (a mapping's record holds its whole specification), which cost a
// status query more CPU than the store round trips they saved. Records of the status snapshot
// carry their health and last finished run (plugins/status-snapshot.ts) and are answered from it.
import DataLoader from 'dataloader'
import type { FastifyInstance } from 'fastify'
import type { IResolvers } from 'mercurius'
import type { ConnectionRecord } from '../../core/connections/repository.ts'
import type { MappingRecord } from '../../core/mapping/repository.ts'
import type { RunRecord } from '../../core/sync/runs-repository.ts'

type Batch<V> = (ids: readonly string[]) => Promise<Map<string, V>>

/**
 * One DataLoader per GraphQL context (a request, or a subscription's socket) and field. Nothing
 * is memoised beyond the tick that batches it: a subscription's context lives as long as its
 * socket, and its events must not be answered from an old read.
 */
function batching() {
  const byContext = new WeakMap<object, Map<string, DataLoader<string, unknown>>>()
  return function load<V>(context: unknown, field: string, batch: Batch<V>, id: string, missing: V): Promise<V> {
    let loaders = byContext.get(context as object)
    if (!loaders) byContext.set(context as object, (loaders = new Map()))
    let loader = loaders.get(field) as DataLoader<string, V> | undefined
    if (!loader) {
      loader = new DataLoader<string, V>(
        async (ids) => {
          const found = await batch([...new Set(ids)])
          return ids.map((key) => (found.has(key) ? (found.get(key) as V) : missing))
        },
        { cache: false },
      )
      loaders.set(field, loader as DataLoader<string, unknown>)
    }
    return loader.load(id)
  }
}

export function buildBatchedResolvers(app: FastifyInstance): IResolvers {
  const load = batching()
  return {
    Mapping: {
      source: (parent: MappingRecord, _args: unknown, context: unknown) =>
        load(context, 'Mapping.source', (ids) => app.connections.getMany(ids), parent.sourceConnectionId, null),
      target: (parent: MappingRecord, _args: unknown, context: unknown) =>
        load(context, 'Mapping.target', (ids) => app.connections.getMany(ids), parent.targetConnectionId, null),
      lastRun: (parent: MappingRecord, _args: unknown, context: unknown) =>
        load(context, 'Mapping.lastRun', (ids) => app.runs.latestByMappings(ids), parent.id, null),
      lastFinishedRun: (parent: MappingRecord, _args: unknown, context: unknown) => {
        const known = app.status.lastFinishedRunOf(parent)
        if (known !== undefined) return known
        return load(context, 'Mapping.lastFinishedRun', (ids) => app.runs.lastFinishedByMappings(ids), parent.id, null)
      },
      // one query for every mapping of the request (per distinct limit)
      runs: (parent: MappingRecord, args: { limit: number }, context: unknown) =>
        load<RunRecord[]>(
          context,
          `Mapping.runs(${args.limit})`,
          (ids) => app.runs.recentByMappings(ids, args.limit),
          parent.id,
          [],
        ),
    },
    Run: {
      mapping: (parent: RunRecord, _args: unknown, context: unknown) =>
        load(context, 'Run.mapping', (ids) => app.mappings.getMany(ids), parent.mappingId, null),
    },
    Connection: {
      mappings: (parent: ConnectionRecord, _args: unknown, context: unknown) =>
        load<MappingRecord[]>(context, 'Connection.mappings', (ids) => app.mappings.byConnections(ids), parent.id, []),
      health: (parent: ConnectionRecord, _args: unknown, context: unknown) => {
        const known = app.status.healthOf(parent)
        if (known !== undefined) return known
        return load(context, 'Connection.health', (ids) => app.connections.health.getMany(ids), parent.id, null)
      },
    },
    Connector: {
      connections: (parent: { name: string }, _args: unknown, context: unknown) =>
        load<ConnectionRecord[]>(
          context,
          'Connector.connections',
          async (names) => {
            const { items } = await app.connections.list({ limit: 500 })
            return new Map(names.map((name) => [name, items.filter((c) => c.connector === name)]))
          },
          parent.name,
          [],
        ),
    },
  }
}

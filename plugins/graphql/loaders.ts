// Fields that fan out over lists, batched per request (DataLoader): every parent of a field asked
// for in one tick is answered by one call, so a status query over N mappings costs one query per
// field, not N (the N+1 cure). Batches are keyed by id. mercurius' own loaders key each parent by
// its whole record serialised (a mapping's record holds its whole specification), which cost a
// status query more CPU than the store round trips they saved. Records of the status snapshot
// carry their health and last finished run (plugins/status-snapshot.ts) and are answered from it.
import DataLoader from 'dataloader'
import type { FastifyInstance } from 'fastify'
import type { MercuriusContext } from 'mercurius'
import type { ConnectionRecord } from '../../core/connections/repository.ts'
import type { MappingRecord } from '../../core/mapping/repository.ts'
import type { RunRecord } from '../../core/sync/runs-repository.ts'
import type { Resolvers } from './resolver-types.ts'

type Batch<V> = (ids: readonly string[]) => Promise<Map<string, V>>

/**
 * One DataLoader per GraphQL context (a request, or a subscription's socket) and field. Nothing
 * is memoised beyond the tick that batches it: a subscription's context lives as long as its
 * socket, and its events must not be answered from an old read.
 */
function batching() {
  const byContext = new WeakMap<MercuriusContext, Map<string, DataLoader<string, unknown>>>()
  return function load<V>(
    context: MercuriusContext,
    field: string,
    batch: Batch<V>,
    id: string,
    missing: V,
  ): Promise<V> {
    let loaders = byContext.get(context)
    if (!loaders) byContext.set(context, (loaders = new Map()))
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

export function buildBatchedResolvers(app: FastifyInstance): Resolvers {
  const load = batching()
  return {
    Mapping: {
      source: (parent, _args, context) =>
        load(context, 'Mapping.source', (ids) => app.connections.getMany(ids), parent.sourceConnectionId, null),
      target: (parent, _args, context) =>
        load(context, 'Mapping.target', (ids) => app.connections.getMany(ids), parent.targetConnectionId, null),
      lastRun: (parent, _args, context) =>
        load(context, 'Mapping.lastRun', (ids) => app.runs.latestByMappings(ids), parent.id, null),
      lastFinishedRun: (parent, _args, context) => {
        const known = app.status.lastFinishedRunOf(parent)
        if (known !== undefined) return known
        return load(context, 'Mapping.lastFinishedRun', (ids) => app.runs.lastFinishedByMappings(ids), parent.id, null)
      },
      // one query for every mapping of the request (per distinct limit)
      runs: (parent, args, context) =>
        load<RunRecord[]>(
          context,
          `Mapping.runs(${args.limit})`,
          (ids) => app.runs.recentByMappings(ids, args.limit),
          parent.id,
          [],
        ),
    },
    Run: {
      mapping: (parent, _args, context) =>
        load(context, 'Run.mapping', (ids) => app.mappings.getMany(ids), parent.mappingId, null),
    },
    Connection: {
      mappings: (parent, _args, context) =>
        load<MappingRecord[]>(context, 'Connection.mappings', (ids) => app.mappings.byConnections(ids), parent.id, []),
      health: (parent, _args, context) => {
        const known = app.status.healthOf(parent)
        if (known !== undefined) return known
        return load(context, 'Connection.health', (ids) => app.connections.health.getMany(ids), parent.id, null)
      },
    },
    Connector: {
      connections: (parent, _args, context) =>
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

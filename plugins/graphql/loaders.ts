// Loaders: mercurius batches every parent of a field within one request into one call, so a
// status query over N mappings costs one query per field, not N (the N+1 cure).
import type { FastifyInstance } from 'fastify'
import type { MercuriusLoaders } from 'mercurius'
import type { MappingRecord } from '../../core/mapping/repository.ts'
import type { RunRecord } from '../../core/sync/runs-repository.ts'

type Query<P, A = Record<string, unknown>> = { obj: P; params: A }

export function buildLoaders(app: FastifyInstance): MercuriusLoaders {
  return {
    Mapping: {
      source: async (queries: Query<MappingRecord>[]) => {
        const found = await app.connections.getMany(queries.map((q) => q.obj.sourceConnectionId))
        return queries.map((q) => found.get(q.obj.sourceConnectionId) ?? null)
      },
      target: async (queries: Query<MappingRecord>[]) => {
        const found = await app.connections.getMany(queries.map((q) => q.obj.targetConnectionId))
        return queries.map((q) => found.get(q.obj.targetConnectionId) ?? null)
      },
      lastRun: async (queries: Query<MappingRecord>[]) => {
        const latest = await app.runs.latestByMappings(queries.map((q) => q.obj.id))
        return queries.map((q) => latest.get(q.obj.id) ?? null)
      },
      lastFinishedRun: async (queries: Query<MappingRecord>[]) => {
        const last = await app.runs.lastFinishedByMappings(queries.map((q) => q.obj.id))
        return queries.map((q) => last.get(q.obj.id) ?? null)
      },
      // one query for every mapping of the request (per distinct limit)
      runs: async (queries: Query<MappingRecord, { limit: number }>[]) => {
        const limits = [...new Set(queries.map((q) => q.params.limit))]
        const byLimit = new Map<number, Map<string, RunRecord[]>>()
        for (const limit of limits) {
          byLimit.set(
            limit,
            await app.runs.recentByMappings(
              queries.filter((q) => q.params.limit === limit).map((q) => q.obj.id),
              limit,
            ),
          )
        }
        return queries.map((q) => byLimit.get(q.params.limit)?.get(q.obj.id) ?? [])
      },
    },
    Run: {
      mapping: async (queries: Query<RunRecord>[]) => {
        const found = await app.mappings.getMany([...new Set(queries.map((q) => q.obj.mappingId))])
        return queries.map((q) => found.get(q.obj.mappingId) ?? null)
      },
    },
    Connection: {
      mappings: async (queries: Query<{ id: string }>[]) => {
        const grouped = await app.mappings.byConnections(queries.map((q) => q.obj.id))
        return queries.map((q) => grouped.get(q.obj.id) ?? [])
      },
      health: async (queries: Query<{ id: string }>[]) => {
        const found = await app.connections.health.getMany(queries.map((q) => q.obj.id))
        return queries.map((q) => found.get(q.obj.id) ?? null)
      },
    },
    Connector: {
      connections: async (queries: Query<{ name: string }>[]) => {
        const { items } = await app.connections.list({ limit: 500 })
        return queries.map((q) => items.filter((c) => c.connector === q.obj.name))
      },
    },
  }
}

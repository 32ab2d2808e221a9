// Mapping and run records as plugins: `app.mappings` and `app.runs`.
import fp from 'fastify-plugin'
import { MappingRepository } from '../core/mapping/repository.ts'
import { RunRepository } from '../core/sync/runs-repository.ts'

declare module 'fastify' {
  interface FastifyInstance {
    mappings: MappingRepository
    runs: RunRepository
  }
}

export default fp(
  async function syncRecords(app) {
    app.decorate('mappings', new MappingRepository(app.db))
    app.decorate('runs', new RunRepository(app.db))
  },
  { name: 'crosswalk-sync-records', dependencies: ['crosswalk-store'] },
)

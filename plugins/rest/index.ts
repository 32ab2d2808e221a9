// The REST admin API under /api/v1, one file per resource.
import type { FastifyInstance } from 'fastify'
import connectorRoutes from './connectors.ts'
import connectionRoutes from './connections.ts'

export default async function restApi(app: FastifyInstance): Promise<void> {
  await app.register(connectorRoutes)
  await app.register(connectionRoutes)
}

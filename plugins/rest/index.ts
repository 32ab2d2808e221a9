// The REST admin API under /api/v1, one file per resource.
import type { FastifyInstance } from 'fastify'
import connectorRoutes from './connectors.ts'
import connectionRoutes from './connections.ts'
import entityRoutes from './entities.ts'
import changeRoutes from './changes.ts'
import mappingRoutes from './mappings.ts'
import runRoutes from './runs.ts'
import statusRoutes from './status.ts'
import customConnectorRoutes from './custom-connectors.ts'
import { Mapping, MappingDefinition, Run, RunAction, RunCountsSchema } from '../schemas/mappings.ts'
import { Entity, EntityField } from '../schemas/entities.ts'

export default async function restApi(app: FastifyInstance): Promise<void> {
  // shared by the mapping and run routes (each route file is its own encapsulated plugin)
  for (const schema of [MappingDefinition, RunCountsSchema, Mapping, Run, RunAction]) app.addSchema(schema)
  // entities are shown by the entity routes, custom connectors and connectors alike
  for (const schema of [EntityField, Entity]) app.addSchema(schema)
  await app.register(connectorRoutes)
  await app.register(customConnectorRoutes)
  await app.register(connectionRoutes)
  await app.register(entityRoutes)
  await app.register(changeRoutes)
  await app.register(mappingRoutes)
  await app.register(runRoutes)
  await app.register(statusRoutes)
}

// /services/pathfinder/v1: the GraphQL endpoint and the data model, behind bearer auth and the
// per-user rate limit (1800 requests/minute, 429 USER_INTERVAL_REQUEST_LIMIT_EXCEEDED with
// Retry-After, docs/reference/leanix.md §8). A workspace admin replaces the data model with PUT
// (pathfinder/data-model-update.ts).
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { dataModelDocument } from '../pathfinder/data-model.ts'
import {
  DataModelRefusal,
  fieldsEveryFactSheetHas,
  parseDataModel,
  planDataModelUpdate,
  type Deletion,
} from '../pathfinder/data-model-update.ts'
import type { GraphQLRequestBody } from '../pathfinder/graphql-endpoint.ts'
import type { EmulatorRuntime } from '../runtime.ts'
import { authenticatedUser, bearerAuth } from './bearer-auth.ts'
import { pathfinderRestRoutes } from './pathfinder-rest.ts'

export async function pathfinderRoutes(app: FastifyInstance, runtime: EmulatorRuntime): Promise<void> {
  app.addHook('onRequest', bearerAuth(runtime))
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    keyGenerator: (request) => request.leanixUser?.id ?? request.ip,
    max: () => (runtime.faults.current.rateLimitStorm ? 0 : runtime.rateLimit.max),
    timeWindow: () => runtime.rateLimit.windowMs,
    errorResponseBuilder: () => ({
      statusCode: 429,
      status: 'ERROR',
      message: 'USER_INTERVAL_REQUEST_LIMIT_EXCEEDED',
    }),
  })

  app.post('/services/pathfinder/v1/graphql', async (request) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as GraphQLRequestBody
    return runtime.graphql.run(body, authenticatedUser(request))
  })

  const dataModel = () => dataModelDocument(runtime.store.metaModel)
  app.get('/services/pathfinder/v1/models/dataModel', async () => dataModel())
  app.put('/services/pathfinder/v1/models/dataModel', async (request, reply) => {
    const user = authenticatedUser(request)
    const answer = (status: number, deletions: Deletion[], errorMessage?: string) =>
      reply.code(status).send({
        status: errorMessage === undefined ? 'OK' : 'ERROR',
        type: 'DataModel',
        data: deletions,
        total: deletions.length,
        errors: errorMessage === undefined ? [] : [{ value: 'DataModel', messages: [errorMessage] }],
        ...(errorMessage === undefined ? {} : { errorMessage }),
      })
    if (user.role !== 'ADMIN')
      return answer(403, [], `Access denied: changing the data model needs the ADMIN role, not ${user.role}`)
    const force = (request.query as { force?: string }).force === 'true'
    try {
      const reserved = fieldsEveryFactSheetHas(runtime.graphql.graphqlSchema)
      const update = planDataModelUpdate(runtime.store, parseDataModel(request.body, runtime.store.metaModel, reserved))
      if (update.deletions.length > 0 && !force)
        return answer(400, update.deletions, 'The update deletes data; send force=true to apply it')
      update.apply()
      return answer(200, update.deletions)
    } catch (error) {
      if (error instanceof DataModelRefusal) return answer(400, [], error.message)
      throw error
    }
  })
  pathfinderRestRoutes(app, runtime)
}

// /services/pathfinder/v1: the GraphQL endpoint and the data model, behind bearer auth and the
// per-user rate limit (1800 requests/minute, 429 USER_INTERVAL_REQUEST_LIMIT_EXCEEDED with
// Retry-After, docs/reference/leanix.md §8).
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { dataModelDocument } from '../pathfinder/data-model.ts'
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
  pathfinderRestRoutes(app, runtime)
}

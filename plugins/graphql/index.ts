// GraphQL at /graphql (mercurius): queries and mutations over the same repositories as REST,
// subscriptions over WebSocket fed by the event bus, a query depth limit, loaders against N+1,
// GraphiQL outside production. Reaching /graphql needs a viewer token; mutations check more.
import fp from 'fastify-plugin'
import mercurius from 'mercurius'
import { typeDefs } from './schema.ts'
import { buildResolvers } from './resolvers.ts'
import { buildLoaders } from './loaders.ts'

export default fp(
  async function graphql(app) {
    // mercurius declares its own routes; give them the access rules every admin route has
    app.addHook('onRoute', (route) => {
      if (route.url === '/graphql') route.config = { ...(route.config ?? {}), role: 'viewer' }
      else if (route.url.startsWith('/graphiql')) {
        // the GraphiQL page and its assets: public, and not part of the API document
        route.config = { ...(route.config ?? {}), public: true }
        route.schema = { ...(route.schema ?? {}), hide: true }
      }
    })
    await app.register(mercurius, {
      schema: typeDefs,
      resolvers: buildResolvers(app),
      loaders: buildLoaders(app),
      queryDepth: app.config.graphql.queryDepth,
      graphiql: !app.config.production,
      subscription: true,
      path: '/graphql',
      // errors keep their code; 5xx texts are hidden like on REST
      errorFormatter: (execution, context) => {
        const formatted = mercurius.defaultErrorFormatter(execution, context)
        const originals = (execution.errors ?? []).map(
          (e) => e.originalError as (Error & { code?: string; statusCode?: number }) | undefined,
        )
        formatted.response.errors = formatted.response.errors?.map((error, index) => {
          const original = originals[index]
          const code = original?.code
          if (code?.startsWith('CW_')) return { ...error, extensions: { ...(error.extensions ?? {}), code } }
          // an unexpected exception inside a resolver: hide its text, keep it in the log
          if (original && !code && (original.statusCode ?? 500) >= 500) {
            context.reply.request.log.error({ err: original }, 'graphql resolver failed')
            return {
              ...error,
              message: `Internal error; quote request id ${context.reply.request.id} when reporting it`,
            }
          }
          return error
        })
        return formatted
      },
    })
  },
  {
    name: 'crosswalk-graphql',
    dependencies: ['crosswalk-kernel', 'crosswalk-connections', 'crosswalk-sync-records'],
  },
)

// GraphQL at /graphql (mercurius): queries and mutations over the same repositories as REST,
// subscriptions over WebSocket fed by the event bus, a query depth limit, loaders against N+1,
// GraphiQL outside production. Reaching /graphql needs a viewer token; mutations check more.
// A WebSocket client sends the token on the upgrade request, or (browsers cannot set headers
// there) as `{"authorization": "Bearer <token>"}` in the connection_init payload.
import fp from 'fastify-plugin'
import mercurius from 'mercurius'
import type { Principal } from '../../core/auth/principal.ts'
import { roleAllows } from '../../core/auth/roles.ts'
import { AuthErrors } from '../../core/auth/errors.ts'
import { typeDefs } from './schema.ts'
import { buildResolvers } from './resolvers.ts'
import { buildLoaders } from './loaders.ts'

/** the Authorization value of a connection_init payload (either capitalisation, as clients send it) */
function authorizationOf(payload: unknown): string | undefined {
  if (!payload || typeof payload !== 'object') return undefined
  const record = payload as Record<string, unknown>
  const value = record.authorization ?? record.Authorization
  return typeof value === 'string' ? value : undefined
}

export default fp(
  async function graphql(app) {
    // mercurius declares its own routes; give them the access rules every admin route has
    app.addHook('onRoute', (route) => {
      if (route.url === '/graphql') {
        route.config = { ...(route.config ?? {}), role: 'viewer', authInConnectionInit: true }
      } else if (route.url.startsWith('/graphiql')) {
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
      subscription: {
        // the principal of the upgrade request, if it carried a token
        context: (_socket, request) => ({ principal: request.principal }),
        // a token in the connection_init payload replaces it; a bad one closes the socket
        onConnect: async ({ payload }) => {
          const value = authorizationOf(payload)
          if (value === undefined) return true
          const principal = await app.auth.verifyAuthorization(value)
          if (!principal || !roleAllows(principal.role, 'viewer')) return false
          return { principal }
        },
      },
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
    // no token on the upgrade and none in connection_init: nothing may be subscribed to
    app.graphql.addHook('preSubscriptionParsing', async (_schema, _source, context) => {
      const principal = (context as { principal?: Principal }).principal
      if (!principal) {
        throw new AuthErrors.REQUIRED(
          'none was sent: put it on the upgrade request or in the connection_init payload as {"authorization": "Bearer <token>"}',
        )
      }
    })
  },
  {
    name: 'crosswalk-graphql',
    dependencies: ['crosswalk-kernel', 'crosswalk-connections', 'crosswalk-sync-records'],
  },
)

// GraphQL at /graphql (mercurius): queries and mutations over the same repositories as REST,
// subscriptions over WebSocket fed by the event bus, loaders against N+1, GraphiQL outside
// production (graphiql.ts, no CDN). Reaching /graphql needs a viewer token; fields that need
// more say so in the schema (@requires, role-directive.ts). What one request may ask for is bounded before anything runs (depth: depth.ts, which
// leaves introspection free; cost and mutations: cost.ts; arguments: argument-rules.ts) and after
// (the answer's size); errors leave through error-format.ts.
// A WebSocket client sends the token on the upgrade request, or (browsers cannot set headers
// there) as `{"authorization": "Bearer <token>"}` in the connection_init payload.
import fp from 'fastify-plugin'
import mercurius, { type IResolvers } from 'mercurius'
import { CheckedDocuments } from './checked-documents.ts'
import { Kind, OperationTypeNode, Source, getOperationAST } from 'graphql'
import type { FastifyRequest } from 'fastify'
import type { Principal } from '../../core/auth/principal.ts'
import { roleAllows } from '../../core/auth/roles.ts'
import { AuthErrors } from '../../core/auth/errors.ts'
import { typeDefs } from './schema.ts'
import { buildResolvers } from './resolvers.ts'
import { buildBatchedResolvers } from './loaders.ts'
import { enforceRoleDirectives } from './role-directive.ts'
import { enforceCost, type CostSettings } from './cost.ts'
import { enforceDepth } from './depth.ts'
import { checkArguments } from './argument-rules.ts'
import { formatErrors, statusOf } from './error-format.ts'
import { GraphqlErrors } from './errors.ts'
import { SubscriptionSockets, type ClosableSocket } from './subscription-sockets.ts'
import { describeGraphqlRoute } from './openapi-operation.ts'
import { graphiqlRoutes } from './graphiql.ts'

/** the Authorization value of a connection_init payload (either capitalisation, as clients send it) */
function authorizationOf(payload: unknown): string | undefined {
  if (!payload || typeof payload !== 'object') return undefined
  const record = payload as Record<string, unknown>
  const value = record.authorization ?? record.Authorization
  return typeof value === 'string' ? value : undefined
}

/** The operation name a request named, from its body (POST) or query string (GET). */
/** Resolvers of both, type by type (a field defined by both is a mistake: refused). */
function mergeResolvers(a: IResolvers, b: IResolvers): IResolvers {
  const merged: Record<string, Record<string, unknown>> = { ...(a as Record<string, Record<string, unknown>>) }
  for (const [type, fields] of Object.entries(b as Record<string, Record<string, unknown>>)) {
    const clash = Object.keys(fields).find((field) => merged[type] && field in merged[type])
    if (clash) throw new Error(`${type}.${clash} is resolved twice`)
    merged[type] = { ...merged[type], ...fields }
  }
  return merged as IResolvers
}

function operationNameOf(request: FastifyRequest | undefined): string | undefined {
  const from = (source: unknown) => {
    const value = source && typeof source === 'object' ? (source as Record<string, unknown>).operationName : undefined
    return typeof value === 'string' ? value : undefined
  }
  return request ? (from(request.body) ?? from(request.query)) : undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    /** the WebSockets carrying subscriptions, closed when their token stops being valid */
    graphqlSockets: SubscriptionSockets
  }
}

export default fp(
  async function graphql(app) {
    const limits: CostSettings = {
      maxCost: app.config.graphql.maxCost,
      maxListSize: app.config.graphql.maxListSize,
      assumedListSize: app.config.graphql.assumedListSize,
      maxMutations: app.config.graphql.maxMutations,
    }
    // mercurius declares its own routes; give them the access rules every admin route has
    app.addHook('onRoute', (route) => {
      if (route.url === '/graphql') {
        route.config = { ...(route.config ?? {}), role: 'viewer', authInConnectionInit: true }
        route.schema = describeGraphqlRoute(route.method, route.schema)
      } else if (route.url.startsWith('/graphiql')) {
        // the GraphiQL page and its assets: public as the API docs are (publicDocs), not part of the API document
        route.config = { ...(route.config ?? {}), public: app.config.publicDocs, role: 'viewer' }
        route.schema = { ...(route.schema ?? {}), hide: true }
      }
    })
    await app.register(mercurius, {
      schema: typeDefs,
      resolvers: mergeResolvers(buildResolvers(app), buildBatchedResolvers(app)),
      // compiled (graphql-jit) from a query's second run: the same queries come again and again
      jit: 1,
      // GraphiQL is served by graphiql.ts (mercurius' own page loads it from a CDN)
      graphiql: false,
      subscription: {
        // the principal of the upgrade request, if it carried a token, and its socket
        context: (socket, request) => ({
          principal: request.principal,
          authorization: request.headers.authorization,
          socket,
        }),
        // a token in the connection_init payload replaces it; a bad one closes the socket
        onConnect: async ({ payload }) => {
          const value = authorizationOf(payload)
          if (value === undefined) return true
          const principal = await app.auth.verifyAuthorization(value)
          if (!principal || !roleAllows(principal.role, 'viewer')) return false
          return { principal, authorization: value }
        },
      },
      path: '/graphql',
      // every error with a CW_ code and a message about the request (error-format.ts)
      errorFormatter: (execution, context) => {
        const request = (context as { reply?: { request: FastifyRequest } }).reply?.request
        const errors = execution.errors ?? []
        const body = request?.body as { variables?: unknown } | undefined
        return {
          statusCode: statusOf(errors, Boolean(execution.data)),
          response: {
            data: execution.data ?? null,
            errors: formatErrors({
              errors,
              request,
              schema: app.graphql.schema,
              variables: body?.variables ?? (request?.query as { variables?: unknown } | undefined)?.variables,
              log: request?.log ?? app.log,
            }),
          },
        } as ReturnType<typeof mercurius.defaultErrorFormatter>
      },
    })
    await enforceRoleDirectives(app)
    if (!app.config.production) graphiqlRoutes(app)
    // a document that came as a JSON AST (mercurius accepts one) instead of GraphQL text
    app.graphql.addHook('preValidation', async (_schema, document) => {
      if (document?.kind !== Kind.DOCUMENT || !(document.loc?.source instanceof Source)) {
        throw new GraphqlErrors.INVALID('"query" must be a GraphQL document as text')
      }
    })
    // bounded before anything runs: mutations, cost, and what the arguments hold
    const checked = new CheckedDocuments()
    app.graphql.addHook('preExecution', async (schema, document, context, variables) => {
      const request = (context as { reply?: { request: FastifyRequest } }).reply?.request
      const operationName = operationNameOf(request)
      // this hook sees HTTP requests only (a socket's subscriptions pass preSubscriptionExecution)
      if (getOperationAST(document, operationName)?.operation === OperationTypeNode.SUBSCRIPTION) {
        throw new GraphqlErrors.SUBSCRIPTION_OVER_HTTP()
      }
      checked.check(schema, document, operationName, variables, () => {
        enforceDepth(document, app.config.graphql.queryDepth)
        enforceCost(schema, document, variables, operationName, limits)
        checkArguments(schema, document, variables, operationName, limits.maxListSize)
      })
      // mercurius compiles a query text once, for the operation named by the request that compiled
      // it, and runs that for every later request of the same text, whichever operation it names:
      // a document of several operations is handed back as a copy, which mercurius never compiles
      if (document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length > 1) {
        return { document: { ...document } }
      }
      return undefined
    })
    app.graphql.addHook('preSubscriptionExecution', async (schema, document) => {
      // a subscription's variables are not handed to this hook: it is priced at its argument
      // defaults, and one that needs a variable to be priced is left to its own validation
      enforceDepth(document, app.config.graphql.queryDepth)
      try {
        enforceCost(schema, document, undefined, undefined, limits)
      } catch (error) {
        if ((error as { code?: string }).code?.startsWith('CW_')) throw error
      }
    })
    // bounded after: an answer larger than the limit is replaced by an error saying so
    const maxAnswerBytes = app.config.graphql.maxAnswerBytes
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.routeOptions.url !== '/graphql' || typeof payload !== 'string') return payload
      if (Buffer.byteLength(payload) <= maxAnswerBytes) return payload
      const error = new GraphqlErrors.ANSWER_TOO_LARGE(maxAnswerBytes)
      request.log.warn(
        { bytes: Buffer.byteLength(payload), limit: maxAnswerBytes },
        'graphql answer refused: too large',
      )
      void reply.code(error.statusCode)
      return JSON.stringify({ data: null, errors: [{ message: error.message, extensions: { code: error.code } }] })
    })
    // no token on the upgrade and none in connection_init: nothing may be subscribed to; with
    // one, the socket is followed so that it closes when the token stops being valid
    const sockets = new SubscriptionSockets((value) => app.auth.verifyAuthorization(value))
    app.auth.onRevoked((tokenId) => sockets.revoked(tokenId))
    app.addHook('onReady', async () => sockets.start(app.config.graphql.subscriptionAuthSeconds * 1000))
    app.addHook('onClose', async () => sockets.stop())
    app.decorate('graphqlSockets', sockets)
    app.graphql.addHook('preSubscriptionParsing', async (_schema, _source, context) => {
      const { principal, authorization, socket } = context as {
        principal?: Principal
        authorization?: string
        socket?: ClosableSocket
      }
      if (!principal) {
        throw new AuthErrors.REQUIRED(
          'none was sent: put it on the upgrade request or in the connection_init payload as {"authorization": "Bearer <token>"}',
        )
      }
      if (authorization && socket) sockets.track(authorization, principal, socket)
    })
  },
  {
    name: 'crosswalk-graphql',
    dependencies: ['crosswalk-kernel', 'crosswalk-connections', 'crosswalk-sync'],
  },
)

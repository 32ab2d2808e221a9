// Resolvers: thin, over the same repositories REST uses. Fields that fan out over lists are
// resolved by loaders (loaders.ts), one query per request and field, not one per parent.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { IResolvers } from 'mercurius'
import { describeConnector } from '../../core/connector/describe.ts'
import type { HubEventName, HubEvents } from '../../core/bus/events.ts'
import { roleAllows, type Role } from '../../core/auth/roles.ts'
import type { RunStatus } from '../../core/sync/runs-repository.ts'
import { AuthErrors } from '../../core/auth/errors.ts'
import { buildSyncResolvers } from './sync-resolvers.ts'

export interface GraphqlContext {
  app: FastifyInstance
  reply: { request: FastifyRequest }
}

/** Mutations need more than the viewer role that reaching /graphql needs. */
export function requireRole(context: GraphqlContext, role: Role): void {
  const principal = (context.reply.request as FastifyRequest & { principal?: { role: Role; name?: string } }).principal
  const held = principal?.role ?? 'viewer'
  if (!roleAllows(held, role)) throw new AuthErrors.FORBIDDEN(role, principal?.name ?? 'unknown', held)
}

/** A subscription's async iterator over one bus event, filtered by mapping, ended with the socket. */
function busStream<E extends HubEventName>(app: FastifyInstance, event: E, filter: (p: HubEvents[E]) => boolean) {
  const controller = new AbortController()
  const source = app.bus.stream(event, controller.signal)
  const iterator: AsyncIterableIterator<Record<string, HubEvents[E]>> = {
    async next() {
      for (;;) {
        const { value, done } = await source.next()
        if (done) return { value: undefined, done: true }
        if (filter(value)) return { value: { [fieldOf[event] as string]: value }, done: false }
      }
    },
    async return() {
      controller.abort()
      return { value: undefined, done: true }
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
  return iterator
}

const fieldOf: Partial<Record<HubEventName, string>> & Record<string, string> = {
  'run.progress': 'runProgress',
  'run.finished': 'runFinished',
  'connection.changed': 'connectionChanged',
  'provisioning.completed': 'provisioningCompleted',
}

export function buildResolvers(app: FastifyInstance): IResolvers {
  const sync = buildSyncResolvers(app)
  return {
    ...sync,
    Query: {
      connectors: () => app.connectors.list().map(describeConnector),
      connector: (_root, args: { name: string }) =>
        app.connectors.has(args.name) ? describeConnector(app.connectors.get(args.name)) : null,
      connections: (_root, args: { connector?: string | null; limit: number; offset: number }) =>
        app.connections.list({
          limit: Math.min(args.limit, 500),
          offset: args.offset,
          ...(args.connector ? { connector: args.connector } : {}),
        }),
      connection: async (_root, args: { id: string }) =>
        (await app.connections.getMany([args.id])).get(args.id) ?? null,
      mappings: async (_root, args: { limit: number; offset: number }) =>
        (await app.mappings.list({ limit: Math.min(args.limit, 500), offset: args.offset })).items,
      mapping: async (_root, args: { id: string }) => (await app.mappings.getMany([args.id])).get(args.id) ?? null,
      runs: async (_root, args: { mappingId?: string | null; status?: RunStatus | null; limit: number }) =>
        (
          await app.runs.list({
            limit: args.limit,
            ...(args.mappingId ? { mappingId: args.mappingId } : {}),
            ...(args.status ? { status: args.status } : {}),
          })
        ).items,
      run: async (_root, args: { id: string }) => (await app.runs.getMany([args.id])).get(args.id) ?? null,
      // the shared status snapshot (plugins/status-snapshot.ts); its health and last runs are
      // answered from it by the loaders
      integrationStatus: async () => {
        const snapshot = await app.status.current()
        return {
          generatedAt: snapshot.generatedAt.toISOString(),
          connections: snapshot.connections,
          mappings: snapshot.mappings,
          sim: snapshot.sim,
        }
      },
      ...sync.Query,
    },
    Mutation: {
      createConnection: async (
        _root,
        args: { input: { name: string; connector: string; settings: Record<string, unknown> } },
        context,
      ) => {
        requireRole(context as GraphqlContext, 'admin')
        const audit = app.audit.inTransaction((context as GraphqlContext).reply.request)
        return app.connections.create(args.input, { audit })
      },
      updateConnection: async (
        _root,
        args: { id: string; patch: { name?: string | null; settings?: Record<string, unknown> | null } },
        context,
      ) => {
        requireRole(context as GraphqlContext, 'admin')
        const audit = app.audit.inTransaction((context as GraphqlContext).reply.request)
        const patch = {
          ...(args.patch.name ? { name: args.patch.name } : {}),
          ...(args.patch.settings ? { settings: args.patch.settings } : {}),
        }
        return app.connections.update(args.id, patch, { audit })
      },
      deleteConnection: async (_root, args: { id: string }, context) => {
        requireRole(context as GraphqlContext, 'admin')
        await app.connections.delete(args.id, {
          audit: app.audit.inTransaction((context as GraphqlContext).reply.request),
        })
        return true
      },
      checkConnection: async (_root, args: { id: string }, context) => {
        requireRole(context as GraphqlContext, 'operator')
        return app.connections.check(args.id, (context as GraphqlContext).reply.request.log)
      },
      ...sync.Mutation,
    },
    Subscription: {
      runProgress: {
        subscribe: (_root: unknown, args: { mappingId?: string | null }) =>
          busStream(app, 'run.progress', (p) => !args.mappingId || p.mappingId === args.mappingId),
      },
      runFinished: {
        subscribe: (_root: unknown, args: { mappingId?: string | null }) =>
          busStream(app, 'run.finished', (p) => !args.mappingId || p.mappingId === args.mappingId),
      },
      connectionChanged: {
        subscribe: () => busStream(app, 'connection.changed', () => true),
      },
      provisioningCompleted: {
        subscribe: (_root: unknown, args: { provisioningTarget?: string | null }) =>
          busStream(
            app,
            'provisioning.completed',
            (p) => !args.provisioningTarget || p.provisioningTarget === args.provisioningTarget,
          ),
      },
    },
    Connection: {
      connector: (parent: { connector: string }) =>
        app.connectors.has(parent.connector) ? describeConnector(app.connectors.get(parent.connector)) : null,
    },
  }
}

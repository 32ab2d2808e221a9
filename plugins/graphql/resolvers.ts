// Resolvers: thin, over the same repositories REST uses. Fields that fan out over lists are
// resolved by loaders (loaders.ts), one query per request and field, not one per parent. Their
// arguments, parents and results are typed from the SDL (resolver-types.ts, generated).
import type { FastifyInstance } from 'fastify'
import { describeConnector } from '../../core/connector/describe.ts'
import type { HubEventName, HubEvents } from '../../core/bus/events.ts'
import type { Resolvers } from './resolver-types.ts'
import { buildSyncResolvers } from './sync-resolvers.ts'
import { changeCustomConnector, rediscoverAndFlag, removeCustomConnector } from '../custom-connectors.ts'

/** A subscription's filter: the events of one mapping, or of every mapping when none is named. */
function ofMapping(mappingId: string | null | undefined): (event: { mappingId: string }) => boolean {
  return (event) => !mappingId || event.mappingId === mappingId
}

/**
 * A subscription's async iterator over one bus event, filtered, each event handed out as `field`
 * makes it (the subscription field's name as key), ended with the socket.
 */
function busStream<E extends HubEventName, T>(
  app: FastifyInstance,
  event: E,
  filter: (p: HubEvents[E]) => boolean,
  field: (p: HubEvents[E]) => T,
) {
  const controller = new AbortController()
  const source = app.bus.stream(event, controller.signal)
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const { value, done } = await source.next()
        if (done) return { value: undefined, done: true }
        if (filter(value)) return { value: field(value), done: false }
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

/**
 * Settings as the client sent them: the JSON scalar lets any JSON value through (REST's route
 * schema lets only objects through), and the repository checks them against the connector's schema.
 */
const sentSettings = (value: unknown) => value as Record<string, unknown>

export function buildResolvers(app: FastifyInstance): Resolvers {
  const sync = buildSyncResolvers(app)
  return {
    ...sync,
    Query: {
      // custom connectors come from the store: one added on any instance is listed at once
      connectors: async () => [
        ...app.connectors.list().map(describeConnector),
        ...(await app.customConnectors.describeAll()),
      ],
      connector: async (_root, args) =>
        app.connectors.has(args.name)
          ? describeConnector(app.connectors.get(args.name))
          : ((await app.customConnectors.describe(args.name)) ?? null),
      customConnectors: () => app.customConnectors.list(),
      customConnector: async (_root, args) => (await app.customConnectors.repository.find(args.idOrName)) ?? null,
      connections: (_root, args) =>
        app.connections.list({
          limit: Math.min(args.limit, 500),
          offset: args.offset,
          ...(args.connector ? { connector: args.connector } : {}),
        }),
      connection: async (_root, args) => (await app.connections.getMany([args.id])).get(args.id) ?? null,
      mappings: async (_root, args) =>
        (await app.mappings.list({ limit: Math.min(args.limit, 500), offset: args.offset })).items,
      mapping: async (_root, args) => (await app.mappings.getMany([args.id])).get(args.id) ?? null,
      runs: async (_root, args) =>
        (
          await app.runs.list({
            limit: args.limit,
            ...(args.mappingId ? { mappingId: args.mappingId } : {}),
            ...(args.status ? { status: args.status } : {}),
          })
        ).items,
      run: async (_root, args) => (await app.runs.getMany([args.id])).get(args.id) ?? null,
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
      createConnection: async (_root, args, context) => {
        const audit = app.audit.inTransaction(context.reply.request)
        return app.connections.create({ ...args.input, settings: sentSettings(args.input.settings) }, { audit })
      },
      updateConnection: async (_root, args, context) => {
        const audit = app.audit.inTransaction(context.reply.request)
        const patch = {
          ...(args.patch.name ? { name: args.patch.name } : {}),
          ...(args.patch.settings ? { settings: sentSettings(args.patch.settings) } : {}),
        }
        return app.connections.update(args.id, patch, { audit })
      },
      deleteConnection: async (_root, args, context) => {
        await app.connections.delete(args.id, { audit: app.audit.inTransaction(context.reply.request) })
        return true
      },
      createCustomConnector: async (_root, args, context) => {
        const { fields, filter, ...input } = args.input
        return app.customConnectors.register(
          { ...input, ...(fields ? { fields } : {}), ...(filter !== null && filter !== undefined ? { filter } : {}) },
          app.audit.inTransaction(context.reply.request),
        )
      },
      updateCustomConnector: (_root, args, context) => {
        const { displayField, fields, filter } = args.patch
        // a member left out stays; null sets it to none (fields: every field; filter: no constraint)
        return changeCustomConnector(
          app,
          args.idOrName,
          {
            ...(displayField !== undefined && displayField !== null ? { displayField } : {}),
            ...(fields !== undefined ? { fields } : {}),
            ...(filter !== undefined ? { filter } : {}),
          },
          app.audit.inTransaction(context.reply.request),
          args.expectedUpdatedAt ?? undefined,
        )
      },
      rediscoverCustomConnector: (_root, args, context) =>
        rediscoverAndFlag(app, args.idOrName, app.audit.inTransaction(context.reply.request)),
      removeCustomConnector: (_root, args, context) =>
        removeCustomConnector(app, args.idOrName, app.audit.inTransaction(context.reply.request)),
      cleanupCustomConnector: (_root, args, context) =>
        app.customConnectors.cleanup(args.idOrName, args.confirm, app.audit.inTransaction(context.reply.request)),
      checkConnection: async (_root, args, context) => app.connections.check(args.id, context.reply.request.log),
      adviseConnection: async (_root, args, context) =>
        app.sizingAdvisor.advise(
          args.id,
          args.discoveryModelFilter ? { discoveryModelFilter: args.discoveryModelFilter } : {},
          context.reply.request.log,
        ),
      applyItComponentFlow: async (_root, args, context) => {
        const { servicenowConnectionId, leanixConnectionId, flow, hardware, prefix, discoveryModelFilter } = args
        return app.itComponentFlows.apply(
          servicenowConnectionId,
          {
            leanixConnectionId,
            ...(flow ? { flow } : {}),
            ...(typeof hardware === 'boolean' ? { hardware } : {}),
            ...(prefix ? { prefix } : {}),
            ...(discoveryModelFilter ? { discoveryModelFilter } : {}),
          },
          context.reply.request.principal?.name ?? null,
          context.reply.request.log,
        )
      },
      ...sync.Mutation,
    },
    Subscription: {
      runProgress: {
        subscribe: (_root, args) =>
          busStream(app, 'run.progress', ofMapping(args.mappingId), (runProgress) => ({ runProgress })),
      },
      runFinished: {
        subscribe: (_root, args) =>
          busStream(app, 'run.finished', ofMapping(args.mappingId), (runFinished) => ({ runFinished })),
      },
      connectionChanged: {
        subscribe: () =>
          busStream(
            app,
            'connection.changed',
            () => true,
            (connectionChanged) => ({ connectionChanged }),
          ),
      },
      provisioningCompleted: {
        subscribe: (_root, args) =>
          busStream(
            app,
            'provisioning.completed',
            (p) => !args.provisioningTarget || p.provisioningTarget === args.provisioningTarget,
            (provisioningCompleted) => ({ provisioningCompleted }),
          ),
      },
    },
    CustomConnector: {
      connection: async (parent) =>
        (await app.connections.getMany([parent.connectionId])).get(parent.connectionId) ?? null,
    },
    Connection: {
      connector: (parent) =>
        app.connectors.has(parent.connector) ? describeConnector(app.connectors.get(parent.connector)) : null,
    },
  }
}

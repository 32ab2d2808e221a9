// Connection records over REST: create, read, update, delete and check. Secrets are accepted on
// write and never returned; the answer lists which ones are set.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorRef, IdParams, RefTo, adminErrors } from '../schemas/common.ts'
import {
  CheckResult,
  Connection,
  ConnectionCreate,
  ConnectionList,
  ConnectionListQuery,
  ConnectionUpdate,
  ConnectionUpdated,
} from '../schemas/connections.ts'

const connectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Connection)
  const ConnectionRef = RefTo(Connection)

  app.get(
    '/connections',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['connections'],
        operationId: 'listConnections',
        summary: 'List connections',
        querystring: ConnectionListQuery,
        response: { 200: ConnectionList, ...adminErrors },
      },
    },
    async (request) =>
      app.connections.list({
        limit: request.query.limit,
        offset: request.query.offset,
        ...(request.query.connector ? { connector: request.query.connector } : {}),
      }),
  )

  app.post(
    '/connections',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['connections'],
        operationId: 'createConnection',
        summary: "Create a connection; settings are validated against the connector's schema",
        body: ConnectionCreate,
        response: { 201: ConnectionRef, 404: ErrorRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const created = await app.connections.create(request.body, { audit: app.audit.inTransaction(request) })
      return reply.code(201).header('location', `/api/v1/connections/${created.id}`).send(created)
    },
  )

  app.get(
    '/connections/:id',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['connections'],
        operationId: 'getConnection',
        summary: 'One connection',
        params: IdParams,
        response: { 200: ConnectionRef, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request) => app.connections.get(request.params.id),
  )

  app.patch(
    '/connections/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['connections'],
        operationId: 'patchConnection',
        summary: "Change a connection's name or settings (merged); secrets are replaced when given",
        description:
          'Secrets are bound to the origin (scheme, host, port) of every URL setting (instanceUrl, proxyUrl...): a change that moves one drops the stored secrets unless the same request sends them again, and lists them in secretsDropped.',
        params: IdParams,
        body: ConnectionUpdate,
        response: { 200: ConnectionUpdated, 404: ErrorRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request) => {
      const patch = {
        ...(request.body.name !== undefined ? { name: request.body.name } : {}),
        ...(request.body.settings !== undefined ? { settings: request.body.settings } : {}),
      }
      return app.connections.update(request.params.id, patch, { audit: app.audit.inTransaction(request) })
    },
  )

  app.delete(
    '/connections/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['connections'],
        operationId: 'deleteConnection',
        summary: 'Delete a connection and its secrets',
        params: IdParams,
        response: { 204: Type.Null(), 404: ErrorRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      await app.connections.delete(request.params.id, { audit: app.audit.inTransaction(request) })
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/connections/:id/check',
    {
      config: { role: 'operator' },
      schema: {
        tags: ['connections'],
        operationId: 'checkConnection',
        summary: 'Reach the system with this connection and report whether its permissions are enough',
        description:
          "The outcome is kept as the connection's health (GET /api/v1/status), as the periodic checks' are.",
        params: IdParams,
        response: { 200: CheckResult, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request) => app.connections.check(request.params.id, request.log),
  )
}

export default connectionRoutes

// GET /api/v1/connectors: what is installed and what a connection of each needs.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { describeConnector } from '../../core/connector/describe.ts'
import { ErrorRef, RefTo, adminErrors } from '../schemas/common.ts'
import { ConnectorList, ConnectorParams, ConnectorSummary } from '../schemas/connections.ts'

const connectorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(ConnectorSummary)
  app.get(
    '/connectors',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['connectors'],
        operationId: 'listConnectors',
        summary: 'List installed connectors',
        response: { 200: ConnectorList, ...adminErrors },
      },
    },
    async () => {
      const items = app.connectors.list().map(describeConnector)
      return { items, total: items.length }
    },
  )
  app.get(
    '/connectors/:name',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['connectors'],
        operationId: 'getConnector',
        summary: 'One connector and the JSON Schema of its settings',
        params: ConnectorParams,
        response: { 200: RefTo(ConnectorSummary), 404: ErrorRef, ...adminErrors },
      },
    },
    async (request) => describeConnector(app.connectors.get(request.params.name)),
  )
}

export default connectorRoutes

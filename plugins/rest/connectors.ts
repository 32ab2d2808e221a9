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
      // custom connectors come from the store: one added on any instance is listed at once
      const items = [...app.connectors.list().map(describeConnector), ...(await app.customConnectors.describeAll())]
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
    async (request) => {
      const { name } = request.params
      if (app.connectors.has(name)) return describeConnector(app.connectors.get(name))
      // CW_CONNECTOR_NOT_FOUND when it is no custom connector either
      return (await app.customConnectors.describe(name)) ?? describeConnector(app.connectors.get(name))
    },
  )
}

export default connectorRoutes

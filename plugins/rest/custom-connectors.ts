// Custom connectors over REST: a table of a connection registered at run time. The routes are
// generic (Fastify takes no routes after ready): each answer carries the table's discovered
// schema, so the OpenAPI document stays right whatever tables are registered later.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorRef, RefTo, adminErrors } from '../schemas/common.ts'
import {
  CustomConnector,
  CustomConnectorCreate,
  CustomConnectorList,
  CustomConnectorIfMatch,
  CustomConnectorParams,
  customConnectorEtag,
  readAtOf,
  CustomConnectorPatch,
  CustomConnectorChangeResult,
  Rediscovery,
  Removal,
  Cleanup,
  CleanupBody,
} from '../schemas/custom-connectors.ts'
import { changeCustomConnector, rediscoverAndFlag, removeCustomConnector } from '../custom-connectors.ts'

const customConnectorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(CustomConnector)
  app.addSchema(CustomConnectorCreate)
  app.addSchema(CustomConnectorPatch)
  const CustomConnectorRef = RefTo(CustomConnector)

  app.get(
    '/custom-connectors',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['connectors'],
        operationId: 'listCustomConnectors',
        summary: 'List custom connectors (tables of a connection registered at run time)',
        response: { 200: CustomConnectorList, ...adminErrors },
      },
    },
    async () => {
      const items = await app.customConnectors.list()
      return { items, total: items.length }
    },
  )

  app.post(
    '/custom-connectors',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['connectors'],
        operationId: 'createCustomConnector',
        summary: 'Register a custom connector for a table of a connection',
        description:
          "The hub describes the table through the connection (for ServiceNow: sys_db_object and sys_dictionary, with the fields inherited through the super class, their types, references, choices, mandatory and read-only flags), reads one record to prove the connection's user may, and stores the definition. It is then listed by GET /api/v1/connectors, and a mapping whose side names the connection and the table uses it, on every hub instance at once. Nothing is stored when anything is refused.",
        body: RefTo(CustomConnectorCreate),
        response: { 201: CustomConnectorRef, 404: ErrorRef, 409: ErrorRef, 424: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const created = await app.customConnectors.register(request.body, app.audit.inTransaction(request))
      return reply.code(201).header('location', `/api/v1/custom-connectors/${created.id}`).send(created)
    },
  )

  app.get(
    '/custom-connectors/:idOrName',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['connectors'],
        operationId: 'getCustomConnector',
        summary: 'One custom connector, by id or name, with its discovered schema',
        params: CustomConnectorParams,
        response: { 200: CustomConnectorRef, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const found = await app.customConnectors.get(request.params.idOrName)
      return reply.header('etag', customConnectorEtag(found)).send(found)
    },
  )

  app.patch(
    '/custom-connectors/:idOrName',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['connectors'],
        operationId: 'changeCustomConnector',
        summary:
          "Change a custom connector's display field, field subset or constraint (If-Match guards against lost updates)",
        description:
          'The table is described again and the change checked as a registration is (the fields exist, the constraint is valid, the records readable). In one transaction the connector is changed, the mappings of its table whose field mappings name a field it no longer offers are flagged (their runs refused with CW_RUN_MAPPING_DRIFTED, naming the field mapping), and the change is audited with the values before and after; then the runs of those mappings that wait or run are cancelled. Every hub instance uses the change at once. The name, connection, table and key field cannot be changed (CW_CUSTOM_CONNECTOR_UNCHANGEABLE): remove the connector and register another. Nothing is changed when anything is refused.',
        params: CustomConnectorParams,
        headers: CustomConnectorIfMatch,
        body: RefTo(CustomConnectorPatch),
        response: { 200: CustomConnectorChangeResult, 404: ErrorRef, 409: ErrorRef, 424: ErrorRef, ...adminErrors },
      },
    },
    async (request, reply) => {
      const changed = await changeCustomConnector(
        app,
        request.params.idOrName,
        request.body,
        app.audit.inTransaction(request),
        readAtOf(request.headers['if-match']),
      )
      return reply.header('etag', customConnectorEtag(changed.connector)).send(changed)
    },
  )

  app.post(
    '/custom-connectors/:idOrName/discover',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['connectors'],
        operationId: 'rediscoverCustomConnector',
        summary: "Describe the connector's table again and flag the mappings its changes break",
        description:
          'The new schema replaces the stored one (the subset fields still there). Every mapping that names the connection and the table is checked against it: one whose field mappings name a removed field, or one whose type changed, is flagged, and its runs are refused (CW_RUN_MAPPING_DRIFTED) until it is saved again.',
        params: CustomConnectorParams,
        response: { 200: Rediscovery, 404: ErrorRef, 424: ErrorRef, ...adminErrors },
      },
    },
    async (request) => rediscoverAndFlag(app, request.params.idOrName, app.audit.inTransaction(request)),
  )

  app.delete(
    '/custom-connectors/:idOrName',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['connectors'],
        operationId: 'removeCustomConnector',
        summary: 'Remove a custom connector: its runs are cancelled and refused, its links kept until the cleanup',
        description:
          'The runs of the mappings of its table that wait or run are cancelled, and new ones are refused (CW_CUSTOM_CONNECTOR_REMOVED) instead of running on the bare table. The links of those mappings are kept until POST .../cleanup confirms their deletion.',
        params: CustomConnectorParams,
        response: { 200: Removal, 404: ErrorRef, ...adminErrors },
      },
    },
    async (request) => removeCustomConnector(app, request.params.idOrName, app.audit.inTransaction(request)),
  )

  app.post(
    '/custom-connectors/:idOrName/cleanup',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['connectors'],
        operationId: 'cleanupCustomConnector',
        summary: "Confirm a removed custom connector's cleanup: its mappings' links are deleted, the mappings disabled",
        params: CustomConnectorParams,
        body: CleanupBody,
        response: { 200: Cleanup, 404: ErrorRef, 409: ErrorRef, ...adminErrors },
      },
    },
    async (request) =>
      app.customConnectors.cleanup(request.params.idOrName, request.body.confirm, app.audit.inTransaction(request)),
  )
}

export default customConnectorRoutes

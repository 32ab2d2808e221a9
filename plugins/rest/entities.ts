// What a connection holds, for viewers: its entities with their fields (the connector's schema
// discovery, cached with mapping validation's) and a preview of a few records of one, never with
// a credential in it (core/connections/entities.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger } from 'fastify'
import { EntityBrowser } from '../../core/connections/entities.ts'
import type { ResolvedConnection } from '../../core/mapping/catalog.ts'
import { ErrorRef, IdParams, RefTo, adminErrors } from '../schemas/common.ts'
import { Entity, EntityList, EntityParams, EntityPreview, PreviewQuery } from '../schemas/entities.ts'

/** How long one discovery or preview may keep the system busy. */
const SYSTEM_TIMEOUT_MS = 30_000

const entityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const browser = new EntityBrowser(app.sync.catalog)
  // the connection's failures, answered in the connected system's words
  const systemErrors = { 404: ErrorRef, 424: ErrorRef, ...adminErrors }

  /** the connection as mappings see it: its custom connectors' schemas and constraints laid over it */
  async function resolve(id: string, log: FastifyBaseLogger): Promise<ResolvedConnection> {
    const record = await app.connections.get(id)
    return app.customConnectors.overlay({
      connector: app.connectors.get(record.connector),
      context: await app.connections.resolve(id, log, AbortSignal.timeout(SYSTEM_TIMEOUT_MS)),
    })
  }

  app.get(
    '/connections/:id/entities',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['connections'],
        operationId: 'listEntities',
        summary: 'What a connection holds: its entities (ServiceNow tables, LeanIX fact sheet types) and their fields',
        description:
          "As the connector's schema discovery gives them, cached for a few minutes with mapping validation's: LeanIX's whole data model; for ServiceNow the tables named in the connection's settings (tables), or the CSDM defaults. Any other table the user can see is described by GET .../entities/{entity}. Fields that hold credentials say secret: true. A table or fact sheet type registered as a custom connector is shown as mappings get it: its registered field subset.",
        params: IdParams,
        response: { 200: EntityList, ...systemErrors },
      },
    },
    async (request) => {
      const items = await browser.list(await resolve(request.params.id, request.log))
      return { items, total: items.length }
    },
  )

  app.get(
    '/connections/:id/entities/:entity',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['connections'],
        operationId: 'getEntity',
        summary: 'One entity of a connection and its fields, listed or not (any table its user can see)',
        params: EntityParams,
        response: { 200: RefTo(Entity), ...systemErrors },
      },
    },
    async (request) => browser.describe(await resolve(request.params.id, request.log), request.params.entity),
  )

  app.get(
    '/connections/:id/entities/:entity/records',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['connections'],
        operationId: 'previewEntityRecords',
        summary: 'A preview of a few records of an entity, optionally filtered; credentials are never shown',
        description:
          "Reads at most limit records (20) in the system's order, optionally those matching a filter in the system's own language. Fields that hold credentials (a ServiceNow password type, or a name such as password, token, secret or api_key) are never asked for, listed under redacted, and dropped from whatever the system sends anyway, nested keys included.",
        params: EntityParams,
        querystring: PreviewQuery,
        response: { 200: EntityPreview, ...systemErrors },
      },
    },
    async (request) =>
      browser.preview(await resolve(request.params.id, request.log), request.params.entity, {
        limit: request.query.limit,
        ...(request.query.filter !== undefined ? { filter: request.query.filter } : {}),
      }),
  )
}

export default entityRoutes

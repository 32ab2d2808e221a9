// The OpenAPI documents generated from the route schemas (@fastify/swagger) and Swagger UI at
// /docs. Two documents: the admin API (app.swagger(), /docs/json) and the IdentityNow-compatible
// API (app.identityNowSwagger(), /docs/identitynow/json), each listed in Swagger UI's picker.
// Which routes go where, and the rules every operation follows, are in openapi-routes.ts.
import fp from 'fastify-plugin'
import swagger, { type SwaggerOptions } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { OpenAPIV3 } from 'openapi-types'
import { ErrorResponse } from '../schemas/common.ts'
import { transformFor, withoutUnusedSchemas, type OpenApiDocumentName } from './openapi-routes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** the IdentityNow-compatible API's OpenAPI document */
    identityNowSwagger: FastifyInstance['swagger']
  }
}

/** Where each document is served, below /docs (Swagger UI lists both). */
export const OPENAPI_DOCUMENT_PATHS: Record<OpenApiDocumentName, string> = {
  admin: '/docs/json',
  identitynow: '/docs/identitynow/json',
}

const LICENSE = { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' }
// relative: the documents describe whichever hub serves them
const SERVERS = [{ url: '/', description: 'This hub (the document describes the hub that serves it)' }]
const BEARER = { bearerAuth: { type: 'http' as const, scheme: 'bearer' } }

export const OPENAPI_INFO = {
  title: 'Crosswalk admin API',
  description:
    'Integration hub for LeanIX, ServiceNow CMDB and IdentityNow SIM. Every route needs a bearer token ' +
    '(`Authorization: Bearer TOKEN`) with the role the route names, unless it declares no security ' +
    '(health and metrics by default). Errors share one shape (ErrorResponse) with a stable code, listed in the README error catalogue. ' +
    `The IdentityNow-compatible API has a document of its own: ${OPENAPI_DOCUMENT_PATHS.identitynow}.`,
  version: '0.1.0',
  license: LICENSE,
}

const ADMIN_TAGS: OpenAPIV3.TagObject[] = [
  { name: 'health', description: 'Liveness and readiness probes' },
  { name: 'metrics', description: 'Prometheus metrics' },
  { name: 'tokens', description: "The hub's bearer tokens: create, list, revoke" },
  { name: 'audit', description: 'Who changed what, and when' },
  { name: 'connectors', description: 'The installed connectors and the settings they take' },
  { name: 'connections', description: 'Connections to LeanIX, ServiceNow and other systems' },
  { name: 'mappings', description: 'What is synced between two connections, field by field' },
  { name: 'runs', description: 'Sync runs: history, progress, per-record actions' },
  { name: 'status', description: 'Whether the integration is healthy: connections, last runs, SIM backlog' },
  { name: 'webhooks', description: 'Deliveries from the connected systems' },
  { name: 'IdentityNow provisioning', description: 'Provisioning plans routed to tickets, and API clients' },
  { name: 'graphql', description: 'The same data over GraphQL (schema at /graphql, GraphiQL at /graphiql)' },
]

const IDENTITYNOW_TAGS: OpenAPIV3.TagObject[] = [
  { name: 'IdentityNow: OAuth', description: 'Client credentials for the IdentityNow-compatible API' },
  {
    name: 'IdentityNow: Service Desk Integration',
    description:
      'Service desk integrations as IdentityNow serves them, on every path family SailPoint tools use ' +
      '(https://developer.sailpoint.com/docs/api/v3/service-desk-integration)',
  },
  {
    name: 'IdentityNow: SIM Integrations',
    description:
      'SIM integrations (ServiceNow only) as IdentityNow serves them ' +
      '(https://developer.sailpoint.com/docs/api/beta/sim-integrations)',
  },
]

function documentOptions(name: OpenApiDocumentName): SwaggerOptions {
  const admin = name === 'admin'
  return {
    openapi: {
      openapi: '3.1.0',
      info: admin
        ? OPENAPI_INFO
        : {
            title: 'Crosswalk IdentityNow-compatible API',
            description:
              'The service desk and SIM integration configuration API of IdentityNow (SailPoint Identity ' +
              'Security Cloud), served by the hub so that SailPoint tools configure it as they would a tenant. ' +
              'Tokens come from POST /oauth/token (client credentials of an API client the hub issued) or are ' +
              "the hub's own. Errors are in SailPoint's shapes; the hub's stable code is in the " +
              'X-Crosswalk-Error-Code header.',
            version: OPENAPI_INFO.version,
            license: LICENSE,
          },
      servers: SERVERS,
      components: { securitySchemes: BEARER },
      security: [{ bearerAuth: [] }],
      tags: admin ? ADMIN_TAGS : IDENTITYNOW_TAGS,
    },
    ...(admin ? {} : { decorator: 'identityNowSwagger' }),
    transform: transformFor(name),
    transformObject: (documentObject) =>
      'openapiObject' in documentObject
        ? withoutUnusedSchemas(documentObject.openapiObject)
        : documentObject.swaggerObject,
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  }
}

export default fp(
  async function swaggerPlugin(app) {
    app.addSchema(ErrorResponse)
    await app.register(swagger, documentOptions('admin'))
    await app.register(swagger, documentOptions('identitynow'))
    // Swagger UI's routes cannot carry our config: stamp them, in a scope of their own, with the
    // access the API docs have (public unless publicDocs is off, then any viewer)
    await app.register(async function apiDocs(docs) {
      docs.addHook('onRoute', (route) => {
        route.config = { ...(route.config ?? {}), public: app.config.publicDocs, role: 'viewer' }
      })
      await docs.register(swaggerUi, {
        routePrefix: '/docs',
        uiConfig: {
          docExpansion: 'list',
          deepLinking: true,
          // the picker in Swagger UI's top bar: both documents, the admin API first
          urls: [
            { url: OPENAPI_DOCUMENT_PATHS.admin, name: OPENAPI_INFO.title },
            { url: OPENAPI_DOCUMENT_PATHS.identitynow, name: 'IdentityNow-compatible API' },
          ],
        },
      })
      docs.get(OPENAPI_DOCUMENT_PATHS.identitynow, { schema: { hide: true } }, async () => app.identityNowSwagger())
    })
  },
  { name: 'crosswalk-swagger', dependencies: ['crosswalk-config'] },
)

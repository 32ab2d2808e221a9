// OpenAPI document generated from the route schemas (@fastify/swagger), and Swagger UI at /docs.
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { ErrorResponse } from '../schemas/common.ts'

export const OPENAPI_INFO = {
  title: 'Crosswalk admin API',
  description:
    'Integration hub for LeanIX, ServiceNow CMDB and IdentityNow SIM. Every route needs a bearer token ' +
    '(Authorization: Bearer <token>) with the role the route names, unless marked public.',
  version: '0.1.0',
}

export default fp(
  async function swaggerPlugin(app) {
    app.addSchema(ErrorResponse)
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: OPENAPI_INFO,
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
        },
        security: [{ bearerAuth: [] }],
      },
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
      },
    })
    // Swagger UI's routes cannot carry our config: stamp them, in a scope of their own, with the
    // access the API docs have (public unless publicDocs is off, then any viewer)
    await app.register(async function apiDocs(docs) {
      docs.addHook('onRoute', (route) => {
        route.config = { ...(route.config ?? {}), public: app.config.publicDocs, role: 'viewer' }
      })
      await docs.register(swaggerUi, {
        routePrefix: '/docs',
        uiConfig: { docExpansion: 'list', deepLinking: true },
      })
    })
  },
  { name: 'crosswalk-swagger', dependencies: ['crosswalk-config'] },
)

// Fastify plugin of the ServiceNow SAM connector: the sizing advisor (app.sizingAdvisor and its
// REST route). It reads through the ServiceNow connector's client of the connection, so it comes
// after that connector and the connection repository.
import fp from 'fastify-plugin'
import type { FastifyPluginAsync } from 'fastify'
import adviceRoutes from './advisor/routes.ts'
import { SizingAdvisor } from './advisor/sizing-advisor.ts'

declare module 'fastify' {
  interface FastifyInstance {
    sizingAdvisor: SizingAdvisor
  }
}

const plugin: FastifyPluginAsync = async (app) => {
  const advisor = new SizingAdvisor(app.connections, app.connectors)
  app.decorate('sizingAdvisor', advisor)
  await app.register(adviceRoutes, { prefix: '/api/v1', advisor })
}

export const serviceNowSamPlugin = fp(plugin, {
  name: 'crosswalk-connector-servicenow-sam',
  fastify: '5.x',
  dependencies: ['crosswalk-connector-servicenow', 'crosswalk-connections'],
})
export default serviceNowSamPlugin

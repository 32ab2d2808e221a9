// Fastify plugin of the ServiceNow SAM connector: the graph rules it computes for the ServiceNow
// connector (which records of the model tables sync, and their applications), the sizing advisor
// (app.sizingAdvisor) and the IT component flows (app.itComponentFlows), with their REST routes. It reads through the
// ServiceNow connector's client of the connection and creates mappings through the mapping
// service, so it comes after that connector, the connection repository and the sync engine.
import fp from 'fastify-plugin'
import type { FastifyPluginAsync } from 'fastify'
import adviceRoutes from './advisor/routes.ts'
import { SizingAdvisor } from './advisor/sizing-advisor.ts'
import { FlowSwitch } from './flows/apply.ts'
import flowRoutes from './flows/routes.ts'
import { ItComponentFlows } from './flows/service.ts'
import { SamGraphRules } from './graph/provider.ts'
import { GraphStage } from './graph/stage.ts'
import type { ServiceNowConnector } from '../servicenow/index.ts'

declare module 'fastify' {
  interface FastifyInstance {
    sizingAdvisor: SizingAdvisor
    itComponentFlows: ItComponentFlows
  }
}

const plugin: FastifyPluginAsync = async (app) => {
  // the ServiceNow connector computes the graph rules of mapping sides through this provider
  const servicenow = app.connectors.get('servicenow') as ServiceNowConnector
  servicenow.useGraphRules(new SamGraphRules(new GraphStage(app.db)))
  const advisor = new SizingAdvisor(app.connections, app.connectors)
  app.decorate('sizingAdvisor', advisor)
  await app.register(adviceRoutes, { prefix: '/api/v1', advisor })
  const flows = new ItComponentFlows(
    advisor,
    new FlowSwitch({
      connections: app.connections,
      findMapping: (name) => app.mappings.find(name),
      mappings: app.sync.mappingService,
    }),
  )
  app.decorate('itComponentFlows', flows)
  await app.register(flowRoutes, { prefix: '/api/v1', flows })
}

export const serviceNowSamPlugin = fp(plugin, {
  name: 'crosswalk-connector-servicenow-sam',
  fastify: '5.x',
  dependencies: ['crosswalk-connector-servicenow', 'crosswalk-connections', 'crosswalk-sync'],
})
export default serviceNowSamPlugin

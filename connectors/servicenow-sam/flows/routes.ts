// POST /api/v1/connections/{id}/it-component-flow: switch a ServiceNow connection to an IT
// component flow, the advisor's recommendation by default, in one call.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorRef, IdParams, RefTo, adminErrors } from '../../../plugins/schemas/common.ts'
import type { ItComponentFlows } from './service.ts'
import { FlowApplied, FlowRequestBody } from './schemas.ts'

const flowRoutes: FastifyPluginAsyncTypebox<{ flows: ItComponentFlows }> = async (app, { flows }) => {
  app.addSchema(FlowApplied)
  app.post(
    '/connections/:id/it-component-flow',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['connections'],
        operationId: 'applyItComponentFlow',
        summary:
          "Sync IT components from this ServiceNow connection by one flow: the sizing advisor's, or the one named",
        description:
          "Creates the flow's default mappings to the LeanIX connection (tech categories, IT components (software) of the flow, IT components (hardware)), or enables them again; disables the other flows' software mappings of the same prefix, keeping their links and versions. Flow or hardware left out: the sizing advisor decides (POST /connections/{id}/advise). All or nothing.",
        params: IdParams,
        body: FlowRequestBody,
        response: { 200: RefTo(FlowApplied), 404: ErrorRef, 409: ErrorRef, 424: ErrorRef, ...adminErrors },
      },
    },
    async (request) => flows.apply(request.params.id, request.body, request.principal?.name ?? null, request.log),
  )
}

export default flowRoutes

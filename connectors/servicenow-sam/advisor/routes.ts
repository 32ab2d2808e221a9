// POST /api/v1/connections/{id}/advise: the sizing advisor over REST.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorRef, IdParams, RefTo, adminErrors } from '../../../plugins/schemas/common.ts'
import { Advice, AdviceRequestBody } from './schemas.ts'
import type { SizingAdvisor } from './sizing-advisor.ts'

const adviceRoutes: FastifyPluginAsyncTypebox<{ advisor: SizingAdvisor }> = async (app, { advisor }) => {
  app.addSchema(Advice)
  app.post(
    '/connections/:id/advise',
    {
      config: { role: 'operator' },
      schema: {
        tags: ['connections'],
        operationId: 'adviseConnection',
        summary: 'Recommend where IT components come from on this ServiceNow instance (SAM Pro, SAM, legacy or none)',
        description:
          "Counts cmdb_rel_ci, cmdb_sam_sw_install and cmdb_sam_sw_discovery_model with the Aggregate API, applies SAP LeanIX's size rule (together over 1,000,000 rows: SAM Pro customers sync discovery models under a filter), counts what the filter leaves (aim: under 20,000), reads which modules the instance has (SAM, SAM Pro, legacy software management, Discovery) from v_plugin or, when the user may not read it, from the data, and recommends a flow with its reasons and numbers. It counts; it never reads the tables.",
        params: IdParams,
        body: AdviceRequestBody,
        response: { 200: RefTo(Advice), 404: ErrorRef, 424: ErrorRef, ...adminErrors },
      },
    },
    async (request) => advisor.advise(request.params.id, request.body ?? {}, request.log),
  )
}

export default adviceRoutes

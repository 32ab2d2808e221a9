// Request and answer schemas of the sizing advisor's route; GraphQL's Advice type mirrors the answer.
import { Type, type Static } from 'typebox'
import { SAM_PRO_DISCOVERY_MODEL_FILTER } from './guidance.ts'
import type { ConnectionAdvice } from './sizing-advisor.ts'

export const AdviceRequestBody = Type.Object(
  {
    discoveryModelFilter: Type.Optional(
      Type.String({
        maxLength: 8000,
        description: `encoded query that picks the discovery models a SAM Pro flow would sync; default: ${SAM_PRO_DISCOVERY_MODEL_FILTER}`,
      }),
    ),
  },
  { additionalProperties: false },
)

const Count = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
  description: 'rows counted; null when the table is absent or not readable by the user',
})

const Module = Type.Object({
  present: Type.Boolean(),
  evidence: Type.String({ description: 'the plugin and its state, or the rows that say so' }),
})

export const Advice = Type.Object(
  {
    connectionId: Type.String({ format: 'uuid' }),
    flow: Type.Union([Type.Literal('samPro'), Type.Literal('sam'), Type.Literal('legacy'), Type.Literal('none')], {
      description:
        'where IT components (software) come from: samPro, software discovery models under a filter; sam, software product models through installations; legacy, software packages through software instances; none, nowhere (applications and capabilities only)',
    }),
    hardware: Type.Boolean({
      description: "whether IT components (hardware) can come from the servers' hardware models",
    }),
    reasons: Type.Array(Type.String(), { description: 'why this flow, with the numbers behind it' }),
    warnings: Type.Array(Type.String(), { description: 'what to look at before enabling it' }),
    numbers: Type.Object({
      cmdb_rel_ci: Count,
      cmdb_sam_sw_install: Count,
      installsWithoutProductModel: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
        description:
          'installations that name no software product model (their discovery model is not normalized to one): the SAM flow leaves them out',
      }),
      cmdb_sam_sw_discovery_model: Count,
      sizedRows: Type.Integer({ description: 'the three above together' }),
      largeInstanceRows: Type.Integer({ description: 'above this, dynamic link matching is too heavy (1,000,000)' }),
      filteredDiscoveryModels: Count,
      discoveryModelTarget: Type.Integer({ description: 'discovery models a filter should leave at most (20,000)' }),
      cmdb_software_product_model: Count,
      cmdb_software_instance: Count,
      cmdb_hardware_product_model: Count,
      discoveredServers: Count,
    }),
    modules: Type.Object({ sam: Module, samPro: Module, legacy: Module, discovery: Module }),
    modulesFrom: Type.Union([Type.Literal('plugins'), Type.Literal('data')], {
      description: 'plugins: read from v_plugin; data: inferred from the rows, the user may not read v_plugin',
    }),
    discoveryModelFilter: Type.String(),
    requests: Type.Integer({ description: 'requests sent to the instance' }),
    tookMs: Type.Integer(),
  },
  { $id: 'Advice', title: 'Advice' },
)

// the answer the advisor builds is the answer the route declares
export type AdviceAnswer = Static<typeof Advice>
const _sameShape: (advice: ConnectionAdvice) => AdviceAnswer = (advice) => advice
void _sameShape

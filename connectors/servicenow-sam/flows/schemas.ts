// Request and answer schemas of the IT component flow route.
import { Type, type Static } from 'typebox'
import type { AppliedFlow } from './apply.ts'

const Flow = Type.Union([Type.Literal('samPro'), Type.Literal('sam'), Type.Literal('legacy'), Type.Literal('none')])

export const FlowRequestBody = Type.Object(
  {
    leanixConnectionId: Type.String({ format: 'uuid', description: 'the LeanIX connection IT components go to' }),
    flow: Type.Optional(
      Type.Union([Type.Literal('recommended'), Flow], {
        default: 'recommended',
        description: "the software flow; recommended (the default) takes the sizing advisor's",
      }),
    ),
    hardware: Type.Optional(
      Type.Boolean({ description: "sync IT components (hardware); left out, the sizing advisor's answer" }),
    ),
    prefix: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: '^\\S(.*\\S)?$',
        description: 'prefix of the mapping names (default CSDM)',
      }),
    ),
    discoveryModelFilter: Type.Optional(
      Type.String({
        maxLength: 8000,
        description: "the SAM Pro flow's discovery model filter (default: SAP LeanIX's example filter)",
      }),
    ),
  },
  { additionalProperties: false },
)
export type FlowRequest = Static<typeof FlowRequestBody>

const MappingRefs = Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }))

export const FlowApplied = Type.Object(
  {
    flow: Flow,
    hardware: Type.Boolean(),
    discoveryModelFilter: Type.String(),
    applicationsMapping: Type.Union([Type.String(), Type.Null()], {
      description:
        "the CSDM applications mapping the IT components' application relations go through (the graph rule's applications); null: none links these connections, so the mappings were made without that relation (create the CSDM defaults first to have it)",
    }),
    created: MappingRefs,
    enabled: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }), {
      description: 'flow mappings that were there, disabled, and are enabled again',
    }),
    disabled: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }), {
      description: "other flows' mappings of this prefix, disabled (kept with their links and versions)",
    }),
    unchanged: MappingRefs,
    recommended: Type.Boolean({ description: 'whether the flow or the hardware choice came from the sizing advisor' }),
  },
  { $id: 'FlowApplied', title: 'FlowApplied' },
)

// the answer the switch builds is the answer the route declares
const _sameShape: (applied: AppliedFlow & { recommended: boolean }) => Static<typeof FlowApplied> = (a) => a
void _sameShape

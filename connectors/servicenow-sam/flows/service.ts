// The IT component flow as the hub offers it: the advisor's recommendation filled in where the
// caller left a choice out, then the switch.
import type { ConnectorLogger } from '../../../core/connector/contract.ts'
import { SAM_PRO_DISCOVERY_MODEL_FILTER } from '../advisor/guidance.ts'
import type { SizingAdvisor } from '../advisor/sizing-advisor.ts'
import type { AppliedFlow, FlowSwitch } from './apply.ts'
import type { FlowRequest } from './schemas.ts'

export class ItComponentFlows {
  readonly #advisor: SizingAdvisor
  readonly #switch: FlowSwitch

  constructor(advisor: SizingAdvisor, flowSwitch: FlowSwitch) {
    this.#advisor = advisor
    this.#switch = flowSwitch
  }

  async apply(
    servicenowConnectionId: string,
    request: FlowRequest,
    by: string | null,
    logger: ConnectorLogger,
  ): Promise<AppliedFlow & { recommended: boolean }> {
    const discoveryModelFilter = request.discoveryModelFilter?.trim() || SAM_PRO_DISCOVERY_MODEL_FILTER
    const named = request.flow && request.flow !== 'recommended' ? request.flow : undefined
    const advice =
      named === undefined || request.hardware === undefined
        ? await this.#advisor.advise(servicenowConnectionId, { discoveryModelFilter }, logger)
        : undefined
    const applied = await this.#switch.apply(
      {
        servicenowConnectionId,
        leanixConnectionId: request.leanixConnectionId,
        ...(request.prefix ? { prefix: request.prefix } : {}),
      },
      {
        flow: named ?? advice?.flow ?? 'none',
        hardware: request.hardware ?? advice?.hardware ?? false,
        discoveryModelFilter,
      },
      by,
    )
    return { ...applied, recommended: advice !== undefined }
  }
}

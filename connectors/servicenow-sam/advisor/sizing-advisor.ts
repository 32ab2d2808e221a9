// The sizing advisor as the hub offers it (REST, GraphQL, CLI): for a ServiceNow connection, the
// survey of its instance and the recommended flow, within one time bound.
import type { ConnectorLogger } from '../../../core/connector/contract.ts'
import type { ConnectorRegistry } from '../../../core/connector/registry.ts'
import type { ConnectionRepository } from '../../../core/connections/repository.ts'
import type { ServiceNowConnector, ServiceNowSettings } from '../../servicenow/index.ts'
import { SamErrors } from '../errors.ts'
import { SAM_PRO_DISCOVERY_MODEL_FILTER } from './guidance.ts'
import { recommend, type Advice } from './recommend.ts'
import { surveyInstance } from './survey.ts'

/** Longest an advice may keep the instance busy: a dozen counts. */
const ADVICE_TIMEOUT_MS = 60_000

export interface AdviceRequest {
  /** the encoded query that picks the discovery models to sync (default: the guidance's example) */
  discoveryModelFilter?: string
}

export interface ConnectionAdvice extends Advice {
  connectionId: string
  /** requests sent to the instance */
  requests: number
  tookMs: number
}

export class SizingAdvisor {
  readonly #connections: ConnectionRepository
  readonly #connectors: ConnectorRegistry

  constructor(connections: ConnectionRepository, connectors: ConnectorRegistry) {
    this.#connections = connections
    this.#connectors = connectors
  }

  async advise(connectionId: string, request: AdviceRequest, logger: ConnectorLogger): Promise<ConnectionAdvice> {
    const record = await this.#connections.get(connectionId)
    if (record.connector !== 'servicenow') throw new SamErrors.NOT_SERVICENOW(record.name, record.connector)
    const servicenow = this.#connectors.get('servicenow') as ServiceNowConnector
    const filter = request.discoveryModelFilter?.trim() || SAM_PRO_DISCOVERY_MODEL_FILTER
    const problem = servicenow.filterError?.(filter)
    if (problem) throw new SamErrors.FILTER_INVALID(problem)
    const started = performance.now()
    const context = await this.#connections.resolve(connectionId, logger, AbortSignal.timeout(ADVICE_TIMEOUT_MS))
    const survey = await servicenow.withClient(context as typeof context & { settings: ServiceNowSettings }, (client) =>
      surveyInstance(client, filter, context.signal),
    )
    return {
      connectionId,
      ...recommend(survey, filter),
      requests: survey.requests,
      tookMs: Math.round(performance.now() - started),
    }
  }
}

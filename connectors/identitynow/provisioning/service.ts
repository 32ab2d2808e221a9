// Provisioning through service desk integrations. Intake splits a plan by source: a source no
// integration manages is answered "not ours" (it provisions through its own connector); a
// managed one becomes exactly one ticket. A poll pass checks due tickets at the configured
// interval, maps their state, completes them, gives up after the maximum days, and repairs
// creates that a crash interrupted (looking the ticket up by correlation id first, then, for a
// catalog order not yet marked, by the correlation_id variable answer the order carried).
import type { EventBus } from '../../../core/bus/event-bus.ts'
import type { ConnectorLogger } from '../../../core/connector/contract.ts'
import { provisioningCompleted, resultOf, type ProvisioningCompleted } from '../completion/provisioning-completed.ts'
import type { TenantNotifier } from '../completion/tenant-notifier.ts'
import { IdnErrors } from '../errors.ts'
import { managedSourceIds, type ServiceDeskIntegrationDto } from '../integrations/model.ts'
import type { IntegrationRepository } from '../integrations/repository.ts'
import { readStatusCheck, statusCheckNumbers } from '../integrations/status-check.ts'
import { mapStatus } from '../status/status-map.ts'
import { renderFieldsOffThread as renderFields } from '../templates/render-pool.ts'
import type { ServiceNowClient } from '../../servicenow/index.ts'
import type { ClientFactory } from '../tickets/client-factory.ts'
import type { ServiceNowDesk } from '../tickets/servicenow-desk.ts'
import { ticketSettings } from '../tickets/settings.ts'
import { bySource, correlationId, templateContext, type ProvisioningPlan } from './plan.ts'
import type { ProvisioningRecord, ProvisioningRecords, TicketRef } from './records.ts'
import type { PollSummary, SourceOutcome } from './schemas.ts'

export interface ProvisioningServiceOptions {
  integrations: IntegrationRepository
  records: ProvisioningRecords
  clients: ClientFactory
  desk: ServiceNowDesk
  bus: EventBus
  logger: ConnectorLogger
  tenant?: TenantNotifier
  /** a create not finished after this long is treated as interrupted (ms) */
  createLeaseMs?: number
  now?: () => Date
}

const DEFAULT_CREATE_LEASE_MS = 5 * 60_000

export class ProvisioningService {
  readonly #o: ProvisioningServiceOptions
  readonly #now: () => Date

  constructor(options: ProvisioningServiceOptions) {
    this.#o = options
    this.#now = options.now ?? (() => new Date())
  }

  async intake(plan: ProvisioningPlan): Promise<SourceOutcome[]> {
    const outcomes: SourceOutcome[] = []
    const integrations = await this.#o.integrations.all()
    for (const [sourceId, requests] of bySource(plan)) {
      const sourceName = requests[0]?.source.name ?? sourceId
      const integration = integrations.find((dto) => managedBy(dto, sourceId))
      if (!integration) {
        outcomes.push({ sourceId, sourceName, routing: 'not-ours' })
        continue
      }
      const settings = ticketSettings(integration.attributes)
      const id = correlationId(plan, sourceId, requests)
      const part = { ...plan, accountRequests: requests }
      const fresh = await this.#o.records.claim({
        correlationId: id,
        integrationId: integration.id,
        sourceId,
        sourceName,
        plan: part,
        ticketType: settings.ticketType,
        at: this.#now(),
      })
      if (fresh) await this.#create(id, integration).catch(() => undefined)
      const record = await this.#o.records.get(id)
      outcomes.push({
        sourceId,
        sourceName,
        routing: 'ticket',
        integrationId: integration.id,
        correlationId: id,
        state: record?.state,
        ticketId: record?.ticketNumber ?? null,
        duplicate: !fresh,
        message: record?.message ?? null,
      })
    }
    return outcomes
  }

  /** Finds the ticket an earlier attempt made, else creates it; records it. Leaves the claim for a retry on failure. */
  async #create(id: string, integration: ServiceDeskIntegrationDto, repair = false): Promise<TicketRef | undefined> {
    const record = await this.#o.records.get(id)
    if (!record || record.state !== 'creating') return undefined
    const settings = ticketSettings(integration.attributes)
    const config = statusCheckNumbers(await readStatusCheck(this.#o.records.db))
    try {
      let made = false
      const ticket = await this.#o.clients.withClient(integration, async (client) => {
        const found = await this.#o.desk.find(client, settings, id)
        const adopted =
          found ??
          (repair
            ? await this.#o.desk.adoptOrphan(client, settings, { correlationId: id, sourceId: record.sourceId })
            : undefined)
        if (adopted) return adopted
        made = true
        const fields = await renderFields(settings.request, templateContext(record.plan, record.plan.accountRequests))
        return this.#o.desk.create(client, settings, {
          correlationId: id,
          sourceId: record.sourceId,
          fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])),
          fullPlan: JSON.stringify(record.plan, null, 2),
          integration: integration.name,
          checkout: integration.attributes.checkout === 'cart' ? 'cart' : 'order_now',
        })
      })
      await this.#o.records.recordTicket(id, ticket, new Date(this.#now().getTime() + config.intervalMs))
      this.#o.logger.info(
        {
          correlationId: id,
          integrationId: integration.id,
          sourceId: record.sourceId,
          ticket: ticket.number,
          ticketSysId: ticket.sysId,
          table: ticket.table,
        },
        // found: an earlier attempt made it and was cut short before recording it
        made ? 'SIM ticket created' : 'SIM ticket found again and recorded',
      )
      return ticket
    } catch (error) {
      if (isUnresolvedOrphan(error)) {
        // no automatic answer exists: keep the record (and its reason) for a person; a correlation_id
        // set by hand on the right requested item is adopted at the next check
        this.#o.logger.warn({ correlationId: id, code: error.code }, error.message)
        await this.#o.records.failCreate(
          id,
          `${error.code}: ${error.message}`,
          new Date(this.#now().getTime() + config.intervalMs),
        )
        throw error
      }
      const message = (error as Error).message
      this.#o.logger.warn({ correlationId: id, err: error }, 'ticket creation failed; retried at the next poll')
      await this.#o.records.failCreate(
        id,
        message,
        new Date(this.#now().getTime() + Math.min(config.intervalMs, 60_000)),
      )
      throw error
    }
  }

  /** Runs `fn` with the ServiceNow client of an integration (release checks). */
  withClient<T>(dto: ServiceDeskIntegrationDto, fn: (client: ServiceNowClient) => Promise<T>): Promise<T> {
    return this.#o.clients.withClient(dto, fn)
  }

  /** One poll pass over at most `batchSize` due records. */
  async poll(batchSize = 500): Promise<PollSummary> {
    const summary: PollSummary = { checked: 0, completed: 0, expired: 0, repaired: 0, warnings: 0 }
    const now = this.#now()
    const { intervalMs, maxAgeMs } = statusCheckNumbers(await readStatusCheck(this.#o.records.db))
    const due = await this.#o.records.due(now, batchSize)
    const integrations = new Map((await this.#o.integrations.all()).map((dto) => [dto.id, dto]))
    for (const record of due) {
      const integration = integrations.get(record.integrationId)
      if (!integration) {
        await this.#close(record, 'failed', 'poller', null, 'the integration was deleted', record.integrationId)
        continue
      }
      try {
        if (record.state === 'creating') {
          const lease = this.#o.createLeaseMs ?? DEFAULT_CREATE_LEASE_MS
          // a create still inside its lease may be running elsewhere; a failed one left a message and a retry time
          if (now.getTime() - record.createdAt.getTime() < lease && record.message === null) continue
          if (await this.#create(record.correlationId, integration, true)) summary.repaired++
          continue
        }
        summary.checked++
        const settings = ticketSettings(integration.attributes)
        const { ticketTable, ticketSysId } = record
        const state =
          ticketTable && ticketSysId
            ? await this.#o.clients.withClient(integration, (client) =>
                this.#o.desk.state(client, settings, {
                  table: ticketTable,
                  number: record.ticketNumber ?? '',
                  sysId: ticketSysId,
                }),
              )
            : undefined
        const mapped = mapStatus(settings.statusMap, state)
        if (state !== undefined && state !== (record.externalState ?? '')) {
          this.#o.logger.info(
            {
              correlationId: record.correlationId,
              integrationId: record.integrationId,
              ticket: record.ticketNumber,
              ticketSysId: record.ticketSysId,
              from: record.externalState,
              to: state,
              status: mapped.status,
            },
            'SIM ticket status changed',
          )
        }
        if (mapped.warning) {
          summary.warnings++
          this.#o.logger.warn({ correlationId: record.correlationId, ticket: record.ticketNumber }, mapped.warning)
        }
        if (mapped.status === 'Committed' || mapped.status === 'Failed') {
          const closed = await this.#close(
            record,
            mapped.status === 'Committed' ? 'committed' : 'failed',
            'poller',
            state ?? null,
            null,
            integration.name,
          )
          if (closed) summary.completed++
        } else if (now.getTime() - record.createdAt.getTime() >= maxAgeMs) {
          const outcome = settings.maxDaysOutcome
          const note = `still open after provisioningMaxStatusCheckDays; closed as ${outcome}`
          const closed = await this.#close(
            record,
            outcome === 'Committed' ? 'committed' : outcome === 'Failed' ? 'failed' : 'expired',
            'max-days',
            state ?? null,
            note,
            integration.name,
          )
          if (closed) summary.expired++
        } else {
          await this.#o.records.checked(
            record.correlationId,
            state ?? '',
            new Date(now.getTime() + intervalMs),
            mapped.warning ?? null,
          )
        }
      } catch (error) {
        if (record.state === 'creating') {
          // #create logged the failure and set when it is tried again
          if (isUnresolvedOrphan(error)) summary.warnings++
          continue
        }
        this.#o.logger.warn(
          { correlationId: record.correlationId, err: error },
          'status check failed; retried at the next interval',
        )
        await this.#o.records.checked(
          record.correlationId,
          record.externalState ?? '',
          new Date(now.getTime() + intervalMs),
          (error as Error).message,
        )
      }
    }
    return summary
  }

  /** Manual close (a ticket that will never close, or one closed outside ServiceNow). */
  async closeManually(
    id: string,
    result: 'Committed' | 'Failed',
    by: string,
    message?: string,
  ): Promise<ProvisioningRecord> {
    const record = await this.#o.records.find(id)
    if (!record) throw new IdnErrors.PROVISIONING_NOT_FOUND(id)
    if (record.state !== 'queued' && record.state !== 'creating')
      throw new IdnErrors.PROVISIONING_CLOSED(id, record.state)
    const integration = (await this.#o.integrations.all()).find((dto) => dto.id === record.integrationId)
    await this.#close(
      record,
      result === 'Committed' ? 'committed' : 'failed',
      `manual:${by}`,
      null,
      message ?? 'closed by hand',
      integration?.name ?? record.integrationId,
    )
    return (await this.#o.records.get(record.correlationId)) as ProvisioningRecord
  }

  async #close(
    record: ProvisioningRecord,
    state: 'committed' | 'failed' | 'expired',
    by: string,
    externalState: string | null,
    message: string | null,
    target: string,
  ): Promise<boolean> {
    const closed = await this.#o.records.close(record.correlationId, state, resultOf(state), by, externalState, message)
    if (!closed) return false
    const after = (await this.#o.records.get(record.correlationId)) as ProvisioningRecord
    this.#o.logger.info(
      {
        correlationId: after.correlationId,
        integrationId: after.integrationId,
        ticket: after.ticketNumber,
        ticketSysId: after.ticketSysId,
        state,
        result: after.result,
        closedBy: by,
      },
      'SIM ticket closed',
    )
    const event = provisioningCompleted(after, target)
    this.#o.bus.publish('provisioning.completed', {
      ticketId: after.ticketNumber ?? '',
      provisioningTarget: target,
      result: resultOf(state),
      at: this.#now().toISOString(),
    })
    await this.#notifyTenant(after, event)
    return true
  }

  async #notifyTenant(record: ProvisioningRecord, event: ProvisioningCompleted): Promise<void> {
    const tenant = this.#o.tenant
    const requestId = record.plan.requestId
    if (!tenant || !requestId) return
    const result = event.accountRequests[0]?.provisioningResult ?? 'PENDING'
    try {
      await tenant.complete(requestId, result, `ticket ${record.ticketNumber ?? '-'}: ${result}`)
    } catch (error) {
      this.#o.logger.warn({ correlationId: record.correlationId, err: error }, 'could not tell the IdentityNow tenant')
    }
  }
}

function isUnresolvedOrphan(error: unknown): error is Error & { code: string } {
  return error instanceof IdnErrors.CATALOG_ORPHAN_UNRESOLVED
}

function managedBy(dto: ServiceDeskIntegrationDto, sourceId: string): boolean {
  return managedSourceIds(dto).includes(sourceId)
}

// Pull-based intake from an Identity Security Cloud tenant, needing only the public v3 API and no
// SDIM licence. For sources the hub's integrations manage, which are set up in ISC as
// disconnected (manual) sources, ISC does not provision but opens manual work items in Task
// Manager. A pass pages through the pending ones (all pages first: completing items while
// paging would shift the offsets), turns each into a plan and hands it to the existing intake
// (which makes at most one ticket per plan). When the ticket closes the work item is completed:
// at once on `provisioning.completed`, and at the next pass for any completion the hub missed
// (a restart between ticket close and the call to ISC): the tenant's pending list is the durable
// state, so no cursor is stored.
import type { EventBus } from '../../../core/bus/event-bus.ts'
import type { ConnectorLogger } from '../../../core/connector/contract.ts'
import { managedSourceIds } from '../integrations/model.ts'
import type { IntegrationRepository } from '../integrations/repository.ts'
import type { ProvisioningRecords } from '../provisioning/records.ts'
import type { ProvisioningService } from '../provisioning/service.ts'
import type { SourceOutcome } from '../provisioning/schemas.ts'
import { WORK_ITEM_PAGE_LIMIT, type TenantClient, type WorkItem } from '../tenant/client.ts'
import { planOf, workItemIdOf } from './work-item-plan.ts'

export interface WorkItemIntakeOptions {
  client: TenantClient
  provisioning: ProvisioningService
  records: ProvisioningRecords
  integrations: IntegrationRepository
  bus: EventBus
  logger: ConnectorLogger
  /** owners whose work items are read (the managed sources' owners); none: the API client's own */
  ownerIds?: readonly string[]
  /** work item types taken in; ManualAction (provisioning) and Remediation (revocations) by default */
  types?: readonly string[]
  /** pages read per owner and pass (bound) */
  maxPages?: number
  /** how long a source id -> name lookup is trusted (ms) */
  sourceNameTtlMs?: number
}

export interface WorkItemPassSummary {
  /** pending work items read */
  listed: number
  /** of those, on managed sources */
  ours: number
  /** tickets made in this pass */
  ticketed: number
  /** work items completed in ISC in this pass */
  completed: number
  /** ours, but not convertible, or failed (retried next pass) */
  skipped: number
}

export const DEFAULT_WORK_ITEM_TYPES = ['ManualAction', 'Remediation'] as const

export class WorkItemIntake {
  readonly #o: WorkItemIntakeOptions
  readonly #names = new Map<string, { name: string | undefined; until: number }>()
  readonly #completing = new Map<string, Promise<boolean>>()
  readonly #background = new Set<Promise<unknown>>()
  #unsubscribe: (() => void) | undefined

  constructor(options: WorkItemIntakeOptions) {
    this.#o = options
  }

  /** Completes work items as soon as their ticket closes. */
  listen(): void {
    this.#unsubscribe ??= this.#o.bus.subscribe('provisioning.completed', (event) => {
      const task = this.#onCompleted(event.ticketId).catch((error: unknown) => {
        this.#o.logger.warn({ ticket: event.ticketId, err: error }, 'work item completion deferred to the next pass')
      })
      this.#background.add(task)
      void task.finally(() => this.#background.delete(task))
    })
  }

  async close(): Promise<void> {
    this.#unsubscribe?.()
    this.#unsubscribe = undefined
    await Promise.allSettled([...this.#background])
  }

  async pass(): Promise<WorkItemPassSummary> {
    const summary: WorkItemPassSummary = { listed: 0, ours: 0, ticketed: 0, completed: 0, skipped: 0 }
    const managed = await this.#managedNames()
    if (managed.size === 0) return summary
    const items = await this.#pending()
    summary.listed = items.length
    for (const item of items) {
      try {
        const outcome = await this.#take(item, managed)
        if (outcome === 'not-ours') continue
        summary.ours++
        if (outcome === 'unreadable') summary.skipped++
        else {
          if (outcome.ticketed) summary.ticketed++
          if (outcome.completed) summary.completed++
        }
      } catch (error) {
        summary.ours++
        summary.skipped++
        this.#o.logger.warn({ workItemId: item.id, err: error }, 'work item not taken in; retried at the next pass')
      }
    }
    return summary
  }

  async #onCompleted(ticketId: string): Promise<void> {
    if (!ticketId) return
    const record = await this.#o.records.find(ticketId)
    const workItemId = record ? workItemIdOf(record.plan) : undefined
    if (!workItemId) return
    const item = await this.#o.client.getWorkItem(workItemId)
    if (!item || (item.state && item.state !== 'Pending')) return
    await this.#take(item, await this.#managedNames())
  }

  /** Hands one work item to the intake; completes it in ISC when every ticket of it is closed. */
  async #take(
    item: WorkItem,
    managed: ReadonlyMap<string, string>,
  ): Promise<'not-ours' | 'unreadable' | { ticketed: boolean; completed: boolean }> {
    const conversion = planOf(item, managed)
    if (conversion.kind === 'not-ours') return 'not-ours'
    if (conversion.kind === 'unreadable') {
      this.#o.logger.warn({ workItemId: item.id, reason: conversion.reason }, 'work item left for Task Manager')
      return 'unreadable'
    }
    const outcomes = await this.#o.provisioning.intake(conversion.plan)
    const ticketed = outcomes.some((o) => o.routing === 'ticket' && !o.duplicate)
    const closed = outcomes.every((o) => o.state === 'committed' || o.state === 'failed')
    const completed = closed ? await this.#complete(item, outcomes) : false
    return { ticketed, completed }
  }

  /** One completion per work item at a time (the bus and a pass may meet on the same one). */
  #complete(item: WorkItem, outcomes: SourceOutcome[]): Promise<boolean> {
    const running = this.#completing.get(item.id)
    if (running) return running
    const task = this.#completeOnce(item, outcomes).finally(() => this.#completing.delete(item.id))
    this.#completing.set(item.id, task)
    return task
  }

  async #completeOnce(item: WorkItem, outcomes: SourceOutcome[]): Promise<boolean> {
    const failed = outcomes.some((o) => o.state === 'failed')
    const tickets = outcomes.map((o) => o.ticketId ?? '-').join(', ')
    const comment = `Crosswalk: ServiceNow ticket ${tickets} closed as ${failed ? 'Failed' : 'Committed'}`
    try {
      if (failed) {
        // Task Manager has no "failed" for a manual action; rejecting its approval items is the
        // closest public call (our reading of the API, not a documented recipe), then completing
        // takes it off the queue
        for (const approval of item.approvalItems ?? []) {
          if (approval.id && (approval.state === undefined || approval.state === 'Pending'))
            await this.#o.client.rejectApprovalItem(item.id, approval.id)
        }
      }
      await this.#o.client.completeWorkItem(item.id, comment)
      return true
    } catch (error) {
      // an earlier attempt whose answer was lost may have completed it already
      const now = await this.#o.client.getWorkItem(item.id).catch(() => undefined)
      if (now && now.state && now.state !== 'Pending') return false
      throw error
    }
  }

  /** Every pending work item of the configured owners, read in full before any is acted on. */
  async #pending(): Promise<WorkItem[]> {
    const owners = this.#o.ownerIds && this.#o.ownerIds.length > 0 ? this.#o.ownerIds : [undefined]
    const types = new Set<string>(this.#o.types ?? DEFAULT_WORK_ITEM_TYPES)
    const seen = new Map<string, WorkItem>()
    for (const ownerId of owners) {
      let offset = 0
      for (let page = 0; page < (this.#o.maxPages ?? 40); page++) {
        const items = await this.#o.client.listWorkItems({
          offset,
          limit: WORK_ITEM_PAGE_LIMIT,
          ...(ownerId ? { ownerId } : {}),
        })
        for (const item of items) {
          if (item.state && item.state !== 'Pending') continue
          if (item.type && !types.has(item.type)) continue
          seen.set(item.id, item)
        }
        if (items.length < WORK_ITEM_PAGE_LIMIT) break
        offset += items.length
      }
    }
    return [...seen.values()]
  }

  /** Names (as approval items carry them) of the sources the integrations manage, to their ids. */
  async #managedNames(): Promise<Map<string, string>> {
    const ids = new Set((await this.#o.integrations.all()).flatMap((dto) => managedSourceIds(dto)))
    const byName = new Map<string, string>()
    const now = Date.now()
    for (const id of ids) {
      let cached = this.#names.get(id)
      if (!cached || cached.until <= now) {
        cached = { name: await this.#o.client.sourceName(id), until: now + (this.#o.sourceNameTtlMs ?? 10 * 60_000) }
        this.#names.set(id, cached)
      }
      if (cached.name) byName.set(cached.name, id)
    }
    return byName
  }
}

// Everything one run works with: the run record, its prepared mapping, both connections, the
// repositories, counts and checkpoint, and the one way a step is committed (actions, links,
// staging, counts and checkpoint in one transaction).
import type { Change, ChangeResult, ConnectorLogger, LookupRequest, Page, ReadRequest } from '../connector/contract.ts'
import type { EventBus } from '../bus/event-bus.ts'
import type { ResolvedConnection } from '../mapping/catalog.ts'
import type { SideName } from '../mapping/compile.ts'
import type { PreparedMapping } from '../mapping/prepare.ts'
import type { Db, Queryable } from '../store/db.ts'
import { ActionsRepository, type Action } from './actions.ts'
import { addCounts, type RunCounts } from './counts.ts'
import { LinksRepository } from './links.ts'
import type { SyncRecord } from './plan.ts'
import type { Checkpoint, RunRecord, RunRepository } from './runs-repository.ts'
import { StageRepository } from './stage.ts'

export interface SyncHooks {
  /** called after each committed step (tests inject crashes here) */
  afterCommit?(run: RunRecord, checkpoint: Checkpoint): void | Promise<void>
  /** called after a side's writes returned, before they are committed */
  afterWrite?(run: RunRecord, side: SideName, changes: number): void | Promise<void>
}

export interface EngineDeps {
  db: Db
  runs: RunRepository
  bus: EventBus
  logger: ConnectorLogger
  now?: () => Date
  hooks?: SyncHooks
}

/** Thrown inside a run when a cancel was requested: the run stops at a page boundary. */
export class RunCancelled extends Error {
  constructor() {
    super('cancelled')
  }
}

export class RunContext {
  readonly deps: EngineDeps
  run: RunRecord
  readonly prepared: PreparedMapping
  readonly counts: RunCounts
  checkpoint: Checkpoint
  readonly links = new LinksRepository()
  readonly stage = new StageRepository()
  readonly actions = new ActionsRepository()
  readonly signal: AbortSignal
  /** the first step after a restart: creates are checked for before being sent */
  resumed: boolean
  /** email -> id, per written-side entity, for the whole run */
  readonly users = new Map<string, Map<string, string | null>>()
  #lastProgress = 0

  constructor(deps: EngineDeps, run: RunRecord, prepared: PreparedMapping, signal: AbortSignal) {
    this.deps = deps
    this.run = run
    this.prepared = prepared
    this.counts = run.counts
    this.checkpoint = run.checkpoint ?? {
      phase: run.kind === 'full' ? 'target' : run.kind === 'delta' ? 'source' : 'changes',
      cursor: null,
    }
    this.signal = signal
    this.resumed = run.checkpoint !== null
  }

  get db(): Db {
    return this.deps.db
  }

  get mappingId(): string {
    return this.run.mappingId
  }

  get passId(): string {
    return this.run.passId ?? this.run.id
  }

  get dryRun(): boolean {
    return this.run.dryRun
  }

  get mapping() {
    return this.prepared.compiled
  }

  now(): Date {
    return this.deps.now?.() ?? new Date()
  }

  connection(side: SideName): ResolvedConnection {
    return this.prepared.connections[side]
  }

  entity(side: SideName): string {
    return this.prepared.spec[side].entity
  }

  /**
   * The side's graph rules, for a request of its own entity (`entity` not given): a record no rule
   * lets through is out of scope, as one outside the filter. Other entities (relation tables,
   * cmdb_rel_type, users) are read as they are.
   */
  #withGraphRules<R extends { graphRules?: ReadRequest['graphRules'] }>(
    side: SideName,
    request: R,
    entity?: string,
  ): R {
    const rules = this.prepared.spec[side].graphRules
    if (entity !== undefined || !rules || rules.length === 0) return request
    return { ...request, graphRules: rules }
  }

  /** Pages of one side, resumed from `cursor`. */
  read(
    side: SideName,
    request: { fields?: string[]; filter?: string; cursor?: string | null; since?: string | null },
    entity?: string,
  ): AsyncIterable<Page> {
    const { connector, context } = this.connection(side)
    if (!connector.read) throw new Error(`connector ${connector.name} cannot read`)
    return connector.read(
      { ...context, signal: this.signal },
      entity ?? this.entity(side),
      this.#withGraphRules(side, request as ReadRequest, entity),
    )
  }

  async lookup(side: SideName, request: LookupRequest, entity?: string): Promise<SyncRecord[]> {
    const { connector, context } = this.connection(side)
    if (!connector.lookup) throw new Error(`connector ${connector.name} cannot look up records`)
    return connector.lookup(
      { ...context, signal: this.signal },
      entity ?? this.entity(side),
      this.#withGraphRules(side, request, entity),
    )
  }

  async write(side: SideName, changes: Change[], entity?: string): Promise<ChangeResult[]> {
    if (changes.length === 0) return []
    const { connector, context } = this.connection(side)
    if (!connector.write) throw new Error(`connector ${connector.name} cannot write`)
    const results = await connector.write({ ...context, signal: this.signal }, entity ?? this.entity(side), changes)
    await this.deps.hooks?.afterWrite?.(this.run, side, changes.length)
    return results
  }

  async recordUrl(side: SideName, id: string): Promise<string | undefined> {
    const { connector, context } = this.connection(side)
    return connector.recordUrl?.(context, this.entity(side), id)
  }

  /** Commits a step: `work` writes links, actions and staging; counts and checkpoint go with them. */
  async commit(
    actions: readonly Action[],
    counts: Partial<RunCounts>,
    checkpoint: Checkpoint,
    work?: (tx: Queryable) => Promise<void>,
  ): Promise<void> {
    const next = addCounts({ ...this.counts }, counts)
    const { cancelRequested } = await this.db.transaction(async (tx) => {
      if (work) await work(tx)
      await this.actions.add(tx, this.run.id, actions)
      return this.deps.runs.commitStep(tx, this.run.id, next, checkpoint)
    })
    Object.assign(this.counts, next)
    this.checkpoint = checkpoint
    this.resumed = false
    this.progress(checkpoint.phase)
    await this.deps.hooks?.afterCommit?.(this.run, checkpoint)
    if (cancelRequested) throw new RunCancelled()
  }

  /** Live progress on the bus, at most a few times a second. */
  progress(phase: string, force = false): void {
    const now = Date.now()
    if (!force && now - this.#lastProgress < 200) return
    this.#lastProgress = now
    this.deps.bus.publish('run.progress', { runId: this.run.id, mappingId: this.mappingId, phase, ...this.counts })
  }

  note(message: string): void {
    const notes = this.checkpoint.notes ?? []
    if (!notes.includes(message) && notes.length < 20) notes.push(message)
    this.checkpoint = { ...this.checkpoint, notes }
  }
}

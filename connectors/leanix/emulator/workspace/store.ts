// The emulated workspace's data: fact sheets, relations, tags, users, subscriptions, with the
// indexes the API needs (relations per fact sheet, external ids). Writes go through put*/delete*
// with a Transaction so that a failed request can be rolled back whole; the seed writes without.
import { randomUUID } from 'node:crypto'
import { relationViews, type MetaModel, type RelationView } from '../meta-model.ts'
import type {
  CommittedEvent,
  DocumentRecord,
  ExternalIdValue,
  FactSheetRecord,
  RelationConstraintRecord,
  RelationRecord,
  SubscriptionRecord,
  SubscriptionRoleRecord,
  TagGroupRecord,
  TagRecord,
  UserRecord,
} from './records.ts'
import type { Transaction } from './transaction.ts'
import { mergeIntoOrder } from '../../../../core/collections/merge-into-order.ts'

export interface WorkspaceIdentity {
  id: string
  name: string
  accountId: string
  accountName: string
}

export type EventListener = (event: CommittedEvent) => void

/** The collections a write can touch, by the name of the store's map (`factSheets`, `users`...). */
export type CollectionName =
  | 'factSheets'
  | 'relations'
  | 'tags'
  | 'tagGroups'
  | 'users'
  | 'subscriptionRoles'
  | 'subscriptions'
  | 'documents'
  | 'relationConstraints'
  /** the data model, one record (id `current`), replaced by PUT /models/dataModel */
  | 'dataModel'

/** Hears that a record was written, deleted or put back by a rollback (persistence marks it). */
export type WriteListener = (collection: CollectionName, id: string) => void

/** One entry of a fact sheet's history that no request made: the seed writes these. */
export interface SeededLogEntry {
  factSheetId: string
  eventType: 'FACT_SHEET_CREATED' | 'FACT_SHEET_UPDATED' | 'FACT_SHEET_FIELD_UPDATED'
  path: string | null
  newValue: string | null
  userId: string
  createdAt: string
}

function indexAdd<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key)
  if (set === undefined) {
    set = new Set()
    index.set(key, set)
  }
  set.add(value)
}

function indexDelete<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key)
  if (set === undefined) return
  set.delete(value)
  if (set.size === 0) index.delete(key)
}

const MEMO_LIMIT = 500_000

/** A fact sheet with its updatedAt as an instant, for the maintained order. */
export interface UpdateOrderEntry {
  readonly at: number
  readonly fs: FactSheetRecord
}

function byInstantThenId(a: UpdateOrderEntry, b: UpdateOrderEntry): number {
  return a.at - b.at || (a.fs.id < b.fs.id ? -1 : a.fs.id > b.fs.id ? 1 : 0)
}

export class WorkspaceStore {
  readonly identity: WorkspaceIdentity
  #metaModel: MetaModel
  #relationViews: Map<string, Map<string, RelationView>>
  readonly factSheets = new Map<string, FactSheetRecord>()
  readonly relations = new Map<string, RelationRecord>()
  readonly tags = new Map<string, TagRecord>()
  readonly tagGroups = new Map<string, TagGroupRecord>()
  readonly users = new Map<string, UserRecord>()
  readonly subscriptionRoles = new Map<string, SubscriptionRoleRecord>()
  readonly subscriptions = new Map<string, SubscriptionRecord>()
  readonly documents = new Map<string, DocumentRecord>()
  readonly relationConstraints = new Map<string, RelationConstraintRecord>()
  /** what happened before the emulator started (the seed's history), oldest first; allLogEvents reads it */
  readonly history: SeededLogEntry[] = []
  readonly now: () => Date
  readonly newId: () => string
  /** bumped on every write and every undo; derived values are memoized per version */
  private version = 0
  private memoVersion = -1
  private readonly memoValues = new Map<string, unknown>()
  private sequence = 0
  private readonly relationsByFactSheet = new Map<string, Set<string>>()
  private readonly subscriptionsByFactSheet = new Map<string, Set<string>>()
  private readonly documentsByFactSheet = new Map<string, Set<string>>()
  /** `${field}/${externalId}` -> fact sheet ids */
  private readonly externalIdIndex = new Map<string, Set<string>>()
  private readonly listeners = new Set<EventListener>()
  private readonly writeListeners = new Set<WriteListener>()
  private readonly collectionOf = new Map<Map<string, unknown>, CollectionName>()
  /** fact sheets by (updatedAt, id), kept across writes: see byUpdatedAt() */
  private updateOrder: { entries: UpdateOrderEntry[]; dirty: Set<string> } | undefined

  constructor(options: { identity: WorkspaceIdentity; metaModel: MetaModel; now?: () => Date; newId?: () => string }) {
    this.identity = options.identity
    this.#metaModel = options.metaModel
    this.#relationViews = relationViews(options.metaModel)
    this.now = options.now ?? (() => new Date())
    this.newId = options.newId ?? randomUUID
    for (const name of [
      'factSheets',
      'relations',
      'tags',
      'tagGroups',
      'users',
      'subscriptionRoles',
      'subscriptions',
      'documents',
      'relationConstraints',
    ] as const)
      this.collectionOf.set(this[name] as Map<string, unknown>, name)
  }

  /** the workspace's data model; a workspace admin replaces it (PUT /models/dataModel) */
  get metaModel(): MetaModel {
    return this.#metaModel
  }

  /** per fact sheet type: relation name -> how that type sees the relation */
  get relationViews(): Map<string, Map<string, RelationView>> {
    return this.#relationViews
  }

  /**
   * A new data model, at once: everything derived from it (the GraphQL schema, facets, patch
   * validation) reads it from here. Memoized query results are dropped, as after a write.
   */
  replaceMetaModel(next: MetaModel): void {
    this.#metaModel = next
    this.#relationViews = relationViews(next)
    this.version++
    for (const listener of this.writeListeners) listener('dataModel', 'current')
  }

  onWrite(listener: WriteListener): () => void {
    this.writeListeners.add(listener)
    return () => this.writeListeners.delete(listener)
  }

  private wrote(map: Map<string, unknown>, id: string): void {
    if (map === this.factSheets && this.updateOrder !== undefined) this.updateOrder.dirty.add(id)
    if (this.writeListeners.size === 0) return
    const name = this.collectionOf.get(map)
    if (name !== undefined) for (const listener of this.writeListeners) listener(name, id)
  }

  /** A derived value (display name, a sorted query result) cached until the next write. */
  memo<T>(key: string, compute: () => T): T {
    if (this.memoVersion !== this.version || this.memoValues.size > MEMO_LIMIT) {
      this.memoValues.clear()
      this.memoVersion = this.version
    }
    if (this.memoValues.has(key)) return this.memoValues.get(key) as T
    const value = compute()
    this.memoValues.set(key, value)
    return value
  }

  /** Writes `value` under `key` (or deletes it when undefined) and records how to undo that. */
  private putUndoable<V>(
    map: Map<string, V>,
    key: string,
    value: V | undefined,
    tx: Transaction | null,
  ): V | undefined {
    const previous = map.get(key)
    this.version++
    if (value === undefined) map.delete(key)
    else map.set(key, value)
    this.wrote(map as Map<string, unknown>, key)
    tx?.onRollback(() => {
      this.version++
      if (previous === undefined) map.delete(key)
      else map.set(key, previous)
      this.wrote(map as Map<string, unknown>, key)
    })
    return previous
  }

  // ---- fact sheets ---------------------------------------------------------------------------

  /**
   * Every fact sheet ordered by updatedAt (as an instant), then id: the order a delta read asks
   * for (`sort: updatedAt desc`) after every write, which LeanIX answers from its search index.
   * Kept across writes: the fact sheets written since the last call are merged back at their new
   * place (core/collections), instead of sorting the workspace again. Seeding builds it at its end, so that the first read does not
   * pay for the sort. Undefined when a fact sheet's updatedAt does not parse.
   */
  byUpdatedAt(): readonly UpdateOrderEntry[] | undefined {
    if (this.updateOrder === undefined) {
      const entries: UpdateOrderEntry[] = []
      for (const fs of this.factSheets.values()) {
        const at = Date.parse(fs.updatedAt)
        if (Number.isNaN(at)) return undefined
        entries.push({ at, fs })
      }
      entries.sort(byInstantThenId)
      this.updateOrder = { entries, dirty: new Set() }
      return entries
    }
    const order = this.updateOrder
    const { dirty } = order
    if (dirty.size === 0) return order.entries
    // a bulk load: sorting again is as cheap
    if (dirty.size > order.entries.length / 4) {
      this.updateOrder = undefined
      return this.byUpdatedAt()
    }
    const fresh: UpdateOrderEntry[] = []
    for (const id of dirty) {
      const fs = this.factSheets.get(id)
      if (fs === undefined) continue
      const at = Date.parse(fs.updatedAt)
      if (Number.isNaN(at)) {
        this.updateOrder = undefined
        return undefined
      }
      fresh.push({ at, fs })
    }
    order.entries = mergeIntoOrder(order.entries, (e) => dirty.has(e.fs.id), fresh, byInstantThenId)
    dirty.clear()
    return order.entries
  }

  putFactSheet(tx: Transaction | null, record: FactSheetRecord): void {
    const previous = this.putUndoable(this.factSheets, record.id, record, tx)
    const before = previous === undefined ? [] : this.externalIdKeys(previous)
    const after = this.externalIdKeys(record)
    const changed = before.length !== after.length || before.some((key, i) => key !== after[i])
    if (!changed) return
    for (const key of before) indexDelete(this.externalIdIndex, key, record.id)
    for (const key of after) indexAdd(this.externalIdIndex, key, record.id)
    tx?.onRollback(() => {
      for (const key of after) indexDelete(this.externalIdIndex, key, record.id)
      for (const key of before) indexAdd(this.externalIdIndex, key, record.id)
    })
  }

  /** Permanent deletion (only the retention purge does this: the API archives). */
  deleteFactSheet(tx: Transaction | null, id: string): void {
    const previous = this.putUndoable(this.factSheets, id, undefined, tx)
    if (previous === undefined) return
    const keys = this.externalIdKeys(previous)
    for (const key of keys) indexDelete(this.externalIdIndex, key, id)
    tx?.onRollback(() => {
      for (const key of keys) indexAdd(this.externalIdIndex, key, id)
    })
  }

  /** Fact sheet ids carrying `externalId` in external-id field `field` (archived ones included). */
  factSheetIdsByExternalId(field: string, externalId: string): readonly string[] {
    return [...(this.externalIdIndex.get(`${field}/${externalId}`) ?? [])]
  }

  private externalIdKeys(record: FactSheetRecord): string[] {
    const keys: string[] = []
    for (const field of Object.keys(this.metaModel.externalIdFields)) {
      const value = record.fields[field] as ExternalIdValue | null | undefined
      if (value?.externalId) keys.push(`${field}/${value.externalId}`)
    }
    return keys
  }

  // ---- relations -----------------------------------------------------------------------------

  putRelation(tx: Transaction | null, record: RelationRecord): void {
    const previous = this.putUndoable(this.relations, record.id, record, tx)
    if (previous !== undefined) return
    indexAdd(this.relationsByFactSheet, record.fromId, record.id)
    indexAdd(this.relationsByFactSheet, record.toId, record.id)
    tx?.onRollback(() => {
      indexDelete(this.relationsByFactSheet, record.fromId, record.id)
      indexDelete(this.relationsByFactSheet, record.toId, record.id)
    })
  }

  deleteRelation(tx: Transaction | null, id: string): void {
    const previous = this.putUndoable(this.relations, id, undefined, tx)
    if (previous === undefined) return
    indexDelete(this.relationsByFactSheet, previous.fromId, id)
    indexDelete(this.relationsByFactSheet, previous.toId, id)
    tx?.onRollback(() => {
      indexAdd(this.relationsByFactSheet, previous.fromId, id)
      indexAdd(this.relationsByFactSheet, previous.toId, id)
    })
  }

  /** Every relation with the fact sheet at either end, archived ones included. */
  relationsOf(factSheetId: string): RelationRecord[] {
    const ids = this.relationsByFactSheet.get(factSheetId)
    if (ids === undefined) return []
    const out: RelationRecord[] = []
    for (const id of ids) {
      const relation = this.relations.get(id)
      if (relation !== undefined) out.push(relation)
    }
    return out
  }

  /** Active relations as `view` (a relation name on a type) sees them from `factSheetId`. */
  relationsAs(factSheetId: string, view: RelationView): RelationRecord[] {
    return this.relationsOf(factSheetId).filter(
      (r) =>
        r.status === 'ACTIVE' &&
        r.definitionKey === view.definition.key &&
        (view.side === 'from' ? r.fromId === factSheetId : r.toId === factSheetId),
    )
  }

  // ---- tags, users, subscriptions ------------------------------------------------------------

  putTag(tx: Transaction | null, record: TagRecord): void {
    this.putUndoable(this.tags, record.id, record, tx)
  }

  deleteTag(tx: Transaction | null, id: string): void {
    this.putUndoable(this.tags, id, undefined, tx)
  }

  putTagGroup(tx: Transaction | null, record: TagGroupRecord): void {
    this.putUndoable(this.tagGroups, record.id, record, tx)
  }

  putUser(record: UserRecord): void {
    this.users.set(record.id, record)
    this.wrote(this.users as Map<string, unknown>, record.id)
  }

  putSubscriptionRole(record: SubscriptionRoleRecord): void {
    this.subscriptionRoles.set(record.id, record)
    this.wrote(this.subscriptionRoles as Map<string, unknown>, record.id)
  }

  putSubscription(tx: Transaction | null, record: SubscriptionRecord): void {
    const previous = this.putUndoable(this.subscriptions, record.id, record, tx)
    if (previous !== undefined) return
    indexAdd(this.subscriptionsByFactSheet, record.factSheetId, record.id)
    tx?.onRollback(() => indexDelete(this.subscriptionsByFactSheet, record.factSheetId, record.id))
  }

  deleteSubscription(tx: Transaction | null, id: string): void {
    const previous = this.putUndoable(this.subscriptions, id, undefined, tx)
    if (previous === undefined) return
    indexDelete(this.subscriptionsByFactSheet, previous.factSheetId, id)
    tx?.onRollback(() => indexAdd(this.subscriptionsByFactSheet, previous.factSheetId, id))
  }

  subscriptionsOf(factSheetId: string): SubscriptionRecord[] {
    const ids = this.subscriptionsByFactSheet.get(factSheetId)
    if (ids === undefined) return []
    const out: SubscriptionRecord[] = []
    for (const id of ids) {
      const subscription = this.subscriptions.get(id)
      if (subscription !== undefined) out.push(subscription)
    }
    return out
  }

  // ---- documents and relation constraints ----------------------------------------------------

  putDocument(tx: Transaction | null, record: DocumentRecord): void {
    const previous = this.putUndoable(this.documents, record.id, record, tx)
    if (previous !== undefined) return
    indexAdd(this.documentsByFactSheet, record.factSheetId, record.id)
    tx?.onRollback(() => indexDelete(this.documentsByFactSheet, record.factSheetId, record.id))
  }

  deleteDocument(tx: Transaction | null, id: string): void {
    const previous = this.putUndoable(this.documents, id, undefined, tx)
    if (previous === undefined) return
    indexDelete(this.documentsByFactSheet, previous.factSheetId, id)
    tx?.onRollback(() => indexAdd(this.documentsByFactSheet, previous.factSheetId, id))
  }

  documentsOf(factSheetId: string): DocumentRecord[] {
    return [...(this.documentsByFactSheet.get(factSheetId) ?? [])]
      .map((id) => this.documents.get(id))
      .filter((d): d is DocumentRecord => d !== undefined)
  }

  putRelationConstraint(tx: Transaction | null, record: RelationConstraintRecord): void {
    this.putUndoable(this.relationConstraints, record.id, record, tx)
  }

  deleteRelationConstraint(tx: Transaction | null, id: string): void {
    this.putUndoable(this.relationConstraints, id, undefined, tx)
  }

  /** Constraints that name the relation on either side. */
  constraintsOfRelation(relationId: string): RelationConstraintRecord[] {
    return [...this.relationConstraints.values()].filter(
      (c) => c.constrainedRelationId === relationId || c.constrainingRelationId === relationId,
    )
  }

  // ---- commit and events ---------------------------------------------------------------------

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Makes a transaction's effects final and publishes its events in order. */
  commit(tx: Transaction): CommittedEvent[] {
    const createdAt = this.now().toISOString()
    const committed = tx.events.map((event) => ({
      event,
      userId: tx.userId,
      createdAt,
      transactionSequenceNumber: ++this.sequence,
    }))
    for (const event of committed) for (const listener of this.listeners) listener(event)
    return committed
  }
}

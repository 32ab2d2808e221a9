// Webhook event payloads as LeanIX shapes them (docs/reference/leanix.md §5, S1 webhook-payloads): the event's
// `type` is `<Name>Event`, it carries the acting userId (so an integration can skip its own
// changes) and a transactionSequenceNumber that grows with every event of the workspace.
import { displayName, fullName, level } from '../pathfinder/derived-fields.ts'
import type { CommittedEvent, DocumentRecord, FactSheetRecord, RelationRecord } from '../workspace/records.ts'
import type { WorkspaceStore } from '../workspace/store.ts'

export const EVENT_TYPE_NAMES: Record<CommittedEvent['event']['kind'], string> = {
  FACT_SHEET_CREATED: 'FactSheetCreatedEvent',
  FACT_SHEET_UPDATED: 'FactSheetUpdatedEvent',
  FACT_SHEET_ARCHIVED: 'FactSheetArchivedEvent',
  FACT_SHEET_RECOVERED: 'FactSheetRecoveredEvent',
  FACT_SHEET_FIELD_UPDATED: 'FactSheetFieldUpdatedEvent',
  FACT_SHEET_DELETED: 'FactSheetDeletedEvent',
  FACT_SHEET_TAG_ADDED: 'FactSheetTagAddedEvent',
  FACT_SHEET_TAG_REMOVED: 'FactSheetTagRemovedEvent',
  RELATION_CREATED: 'RelationCreatedEvent',
  RELATION_UPDATED: 'RelationUpdatedEvent',
  RELATION_ARCHIVED: 'RelationArchivedEvent',
  RELATION_DELETED: 'RelationDeletedEvent',
  SUBSCRIPTION_CREATED: 'SubscriptionCreatedEvent',
  SUBSCRIPTION_UPDATED: 'SubscriptionUpdatedEvent',
  SUBSCRIPTION_DELETED: 'SubscriptionDeletedEvent',
  DOCUMENT_CREATED: 'DocumentCreatedEvent',
  DOCUMENT_UPDATED: 'DocumentUpdatedEvent',
  DOCUMENT_DELETED: 'DocumentDeletedEvent',
}

export function eventTypeName(kind: CommittedEvent['event']['kind']): string {
  return EVENT_TYPE_NAMES[kind]
}

const idAndRev = (fs: FactSheetRecord) => ({ id: fs.id, rev: fs.rev })

export function relationShape(store: WorkspaceStore, relation: RelationRecord) {
  const definition = store.metaModel.relations.find((d) => d.key === relation.definitionKey)
  const from = store.factSheets.get(relation.fromId)
  const to = store.factSheets.get(relation.toId)
  return {
    id: relation.id,
    type: definition?.from.name ?? relation.definitionKey,
    fromId: relation.fromId,
    toId: relation.toId,
    typeFromFS: from?.type ?? null,
    typeToFS: to?.type ?? null,
    status: relation.status,
    description: relation.description,
    activeFrom: relation.activeFrom,
    activeUntil: relation.activeUntil,
    fields: Object.entries(relation.fields).map(([name, data]) => ({ name, data })),
    naFields: [],
    displayNameToFS: to === undefined ? null : displayName(store, to),
    constrainingRelations: [],
  }
}

export function factSheetShape(store: WorkspaceStore, fs: FactSheetRecord) {
  return {
    id: fs.id,
    rev: fs.rev,
    name: fs.name,
    displayName: displayName(store, fs),
    fullName: fullName(store, fs),
    type: fs.type,
    category: fs.category,
    level: level(store, fs),
    status: fs.status,
    lxState: fs.lxState,
    description: fs.description,
    tags: fs.tagIds.map((id) => {
      const tag = store.tags.get(id)
      const group = tag?.tagGroupId ? store.tagGroups.get(tag.tagGroupId) : undefined
      return { id, name: tag?.name ?? null, tagGroup: group ? { id: group.id, name: group.name } : null }
    }),
    fields: Object.entries(fs.fields)
      .filter(([, data]) => data !== null && data !== undefined)
      .map(([name, data]) => ({ name, data })),
    naFields: [...fs.naFields],
    relations: store
      .relationsOf(fs.id)
      .filter((r) => r.status === 'ACTIVE')
      .map((r) => relationShape(store, r)),
    subscriptions: store
      .subscriptionsOf(fs.id)
      .map((s) => ({ id: s.id, userId: s.userId, type: s.type, roles: s.roles })),
    documents: store.documentsOf(fs.id).map(documentShape),
    milestones: [],
    createdAt: fs.createdAt,
    updatedAt: fs.updatedAt,
    permittedReadACL: [],
    permittedWriteACL: [],
    lxExcludeFromQuota: false,
  }
}

function documentShape(d: DocumentRecord) {
  return {
    id: d.id,
    name: d.name,
    url: d.url,
    description: d.description,
    documentType: d.documentType,
    origin: d.origin,
    metadata: d.metadata,
    createdAt: d.createdAt,
  }
}

function sideDetails(store: WorkspaceStore, id: string, effectiveRelationName: string) {
  const fs = store.factSheets.get(id)
  return {
    factSheetInfos:
      fs === undefined ? null : { type: fs.type, idAndRev: idAndRev(fs), displayName: displayName(store, fs) },
    effectiveRelationName,
  }
}

export function buildPayload(store: WorkspaceStore, committed: CommittedEvent): Record<string, unknown> {
  const { event } = committed
  const base = {
    id: committed.transactionSequenceNumber,
    type: eventTypeName(event.kind),
    userId: committed.userId,
    createdAt: committed.createdAt,
    workspaceId: store.identity.id,
    transactionSequenceNumber: committed.transactionSequenceNumber,
  }
  switch (event.kind) {
    case 'FACT_SHEET_CREATED':
      return { ...base, factSheet: factSheetShape(store, event.factSheet), clonedFactSheet: null }
    case 'FACT_SHEET_UPDATED':
      return { ...base, factSheet: factSheetShape(store, event.factSheet) }
    case 'FACT_SHEET_RECOVERED':
      return {
        ...base,
        comment: event.comment,
        fsType: event.factSheet.type,
        fsIdAndRev: idAndRev(event.factSheet),
        factSheet: factSheetShape(store, event.factSheet),
      }
    case 'FACT_SHEET_ARCHIVED':
      return {
        ...base,
        fsType: event.factSheet.type,
        comment: event.comment,
        fsIdAndRev: idAndRev(event.factSheet),
        affectedFactSheetIdAndRev: event.affected.map(idAndRev),
      }
    case 'FACT_SHEET_DELETED':
      return { ...base, fsType: event.factSheet.type, fsIdAndRev: idAndRev(event.factSheet) }
    case 'FACT_SHEET_FIELD_UPDATED':
      return {
        ...base,
        path: event.path,
        fsType: event.factSheet.type,
        fsIdAndRev: idAndRev(event.factSheet),
        oldValue: event.oldValue ?? null,
        newValue: event.newValue ?? null,
      }
    case 'FACT_SHEET_TAG_ADDED':
    case 'FACT_SHEET_TAG_REMOVED': {
      const group = event.tag.tagGroupId ? store.tagGroups.get(event.tag.tagGroupId) : undefined
      return {
        ...base,
        tagId: event.tag.id,
        tagName: event.tag.name,
        tagGroupName: group?.name ?? null,
        fsType: event.factSheet.type,
        fsIdAndRev: idAndRev(event.factSheet),
      }
    }
    case 'RELATION_CREATED':
    case 'RELATION_UPDATED':
    case 'RELATION_ARCHIVED':
    case 'RELATION_DELETED': {
      const definition = store.metaModel.relations.find((d) => d.key === event.relation.definitionKey)
      return {
        ...base,
        relationId: event.relation.id,
        relation: relationShape(store, event.relation),
        fromDetails: sideDetails(store, event.relation.fromId, definition?.from.name ?? ''),
        toDetails: sideDetails(store, event.relation.toId, definition?.to.name ?? ''),
      }
    }
    case 'SUBSCRIPTION_CREATED':
    case 'SUBSCRIPTION_UPDATED':
    case 'SUBSCRIPTION_DELETED':
      return {
        ...base,
        subscriptionId: event.subscription.id,
        subscribedUserId: event.subscription.userId,
        subscriptionType: event.subscription.type,
        roleInfos: event.subscription.roles.map((r) => ({
          id: r.id,
          name: store.subscriptionRoles.get(r.id)?.name ?? null,
          comment: r.comment,
        })),
        fsType: event.factSheet.type,
        fsIdAndRev: idAndRev(event.factSheet),
      }
    case 'DOCUMENT_CREATED':
    case 'DOCUMENT_UPDATED':
    case 'DOCUMENT_DELETED':
      return {
        ...base,
        documentId: event.document.id,
        document: documentShape(event.document),
        fsType: event.factSheet.type,
        fsIdAndRev: idAndRev(event.factSheet),
      }
  }
}

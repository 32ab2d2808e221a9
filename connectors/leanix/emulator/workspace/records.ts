// The records an emulated workspace holds. They are treated as immutable: a change stores a new
// object, which is what lets a transaction roll back by putting the old reference back.

export type FactSheetStatus = 'ACTIVE' | 'ARCHIVED'
export type LxState = 'DRAFT' | 'BROKEN_QUALITY_SEAL' | 'APPROVED' | 'REJECTED'
export const LX_STATES: readonly LxState[] = ['DRAFT', 'BROKEN_QUALITY_SEAL', 'APPROVED', 'REJECTED']

export interface LifecyclePhase {
  phase: string
  /** YYYY-MM-DD */
  startDate: string
}

export interface LifecycleValue {
  phases: LifecyclePhase[]
}

export interface ExternalIdValue {
  externalId: string
  externalUrl: string | null
  comment: string | null
  status: string | null
  externalVersion: string | null
}

export interface FactSheetRecord {
  id: string
  type: string
  name: string
  rev: number
  status: FactSheetStatus
  description: string | null
  category: string | null
  lxState: LxState
  createdAt: string
  updatedAt: string
  /** type-specific fields of the meta model (alias, lifecycle, external ids, selects...) */
  fields: Readonly<Record<string, unknown>>
  tagIds: readonly string[]
  naFields: readonly string[]
  archivedAt: string | null
}

export interface RelationRecord {
  id: string
  /** RelationDefinition.key */
  definitionKey: string
  fromId: string
  toId: string
  description: string | null
  activeFrom: string | null
  activeUntil: string | null
  fields: Readonly<Record<string, unknown>>
  status: FactSheetStatus
  /** set when the relation was archived together with one of its fact sheets */
  archivedWith: string | null
}

export interface TagGroupRecord {
  id: string
  name: string
  shortName: string | null
  description: string | null
  mode: 'SINGLE' | 'MULTIPLE'
  mandatory: boolean
  restrictToFactSheetTypes: readonly string[]
}

export interface TagRecord {
  id: string
  name: string
  description: string | null
  color: string
  status: 'ACTIVE' | 'ARCHIVED'
  tagGroupId: string | null
}

export type UserRole = 'ADMIN' | 'MEMBER' | 'VIEWER'

export interface UserRecord {
  id: string
  userName: string
  email: string
  firstName: string | null
  lastName: string | null
  technicalUser: boolean
  role: UserRole
  status: 'ACTIVE' | 'ARCHIVED'
}

export type SubscriptionType = 'RESPONSIBLE' | 'ACCOUNTABLE' | 'OBSERVER'

export interface SubscriptionRoleRecord {
  id: string
  name: string
  description: string | null
  subscriptionType: SubscriptionType
  restrictToFactSheetTypes: readonly string[]
}

export interface SubscriptionRecord {
  id: string
  factSheetId: string
  userId: string
  type: SubscriptionType
  roles: ReadonlyArray<{ id: string; comment: string | null }>
  createdAt: string
}

/** A resource link on a fact sheet (GraphQL `documents`; leanix-sdk-java models/Document.java). */
export interface DocumentRecord {
  id: string
  factSheetId: string
  name: string
  url: string | null
  description: string | null
  documentType: string | null
  origin: string | null
  metadata: string | null
  createdAt: string
}

/**
 * A constraining relation: on `factSheetId`, the relation `constrainedRelationId` holds only
 * together with `constrainingRelationId` (createRelationConstraint, leanix-public/scripts
 * importConstrainingRelations.py).
 */
export interface RelationConstraintRecord {
  id: string
  factSheetId: string
  constrainedRelationId: string
  constrainingRelationId: string
}

/** What happened, as the webhook layer needs it; turned into LeanIX payloads there. */
export type DomainEvent =
  | { kind: 'FACT_SHEET_CREATED'; factSheet: FactSheetRecord }
  | { kind: 'FACT_SHEET_UPDATED'; factSheet: FactSheetRecord }
  | { kind: 'FACT_SHEET_ARCHIVED'; factSheet: FactSheetRecord; comment: string | null; affected: FactSheetRecord[] }
  | { kind: 'FACT_SHEET_RECOVERED'; factSheet: FactSheetRecord; comment: string | null }
  | { kind: 'FACT_SHEET_FIELD_UPDATED'; factSheet: FactSheetRecord; path: string; oldValue: unknown; newValue: unknown }
  | { kind: 'FACT_SHEET_TAG_ADDED' | 'FACT_SHEET_TAG_REMOVED'; factSheet: FactSheetRecord; tag: TagRecord }
  | { kind: 'FACT_SHEET_DELETED'; factSheet: FactSheetRecord }
  | {
      kind: 'RELATION_CREATED' | 'RELATION_UPDATED' | 'RELATION_ARCHIVED' | 'RELATION_DELETED'
      relation: RelationRecord
    }
  | {
      kind: 'SUBSCRIPTION_CREATED' | 'SUBSCRIPTION_UPDATED' | 'SUBSCRIPTION_DELETED'
      subscription: SubscriptionRecord
      factSheet: FactSheetRecord
    }
  | {
      kind: 'DOCUMENT_CREATED' | 'DOCUMENT_UPDATED' | 'DOCUMENT_DELETED'
      document: DocumentRecord
      factSheet: FactSheetRecord
    }

/** A committed event: what happened, who did it, and its place in the workspace's sequence. */
export interface CommittedEvent {
  event: DomainEvent
  userId: string
  createdAt: string
  transactionSequenceNumber: number
}

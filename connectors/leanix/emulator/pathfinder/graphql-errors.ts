// The error answers Pathfinder gives inside a HTTP 200 GraphQL response (docs/reference/leanix.md §3.7). Texts
// marked "observed" are LeanIX's own wording from its docs; the others are ours, in the same
// shape, where LeanIX's wording is not public.
import { GraphQLError } from 'graphql'

export type LeanixErrorType = 'BUSINESS_LOGIC' | 'MODEL_COMPLIANT' | 'REVISION_CLASH' | 'ACCESS_DENIED' | 'NOT_FOUND'

export interface LeanixErrorExtensions {
  errorType: LeanixErrorType
  entityType?: 'FACT_SHEET' | 'RELATION' | 'SUBSCRIPTION' | 'TAG'
  objectId?: string
  objectPath?: string
}

export class LeanixBusinessError extends GraphQLError {
  constructor(message: string, extensions: LeanixErrorExtensions) {
    super(message, { extensions: { ...extensions } })
  }
}

export const PathfinderErrors = {
  /** observed (docs/reference/leanix.md §3.7, LeanIX's July 2025 example) */
  invalidPath: (path: string, type: string) =>
    new LeanixBusinessError(`The path '${path}' is invalid in FactSheet schema ${type}.`, {
      errorType: 'BUSINESS_LOGIC',
    }),
  /** our wording: LeanIX refuses the operation, its text is not public */
  operationNotAllowed: (id: string, path: string, op: string) =>
    new LeanixBusinessError(`The operation '${op}' is not allowed on path '${path}'; use 'replace'.`, {
      errorType: 'BUSINESS_LOGIC',
      entityType: 'FACT_SHEET',
      objectId: id,
      objectPath: path,
    }),
  /** observed (docs/reference/leanix.md §3.6) */
  revisionClash: (id: string, current: number, given: number) =>
    new LeanixBusinessError(`DB revision of Fact Sheet has changed: ${current} instead of given ${given}`, {
      errorType: 'REVISION_CLASH',
      entityType: 'FACT_SHEET',
      objectId: id,
    }),
  /** observed prefix and errorType (docs/reference/leanix.md §3.7) */
  relationNotUnique: (id: string, objectPath: string) =>
    new LeanixBusinessError(
      `[FS_VALIDATION_RELATION_NOT_UNIQUE_OUTGOING] Outgoing relation occurred twice! The relation ${objectPath} already exists.`,
      { errorType: 'MODEL_COMPLIANT', entityType: 'FACT_SHEET', objectId: id, objectPath },
    ),
  /** observed (docs/reference/leanix.md §3.3) */
  rolledBack: () =>
    new GraphQLError('Error in Request. Transaction is rolled back!', {
      path: [],
      extensions: { errorType: 'BUSINESS_LOGIC' },
    }),
  relationCardinality: (id: string, objectPath: string, relation: string) =>
    new LeanixBusinessError(
      `[FS_VALIDATION_RELATION_CARDINALITY] Relation ${relation} allows only one fact sheet on this side.`,
      { errorType: 'MODEL_COMPLIANT', entityType: 'FACT_SHEET', objectId: id, objectPath },
    ),
  factSheetNotFound: (id: string) =>
    new LeanixBusinessError(`Fact Sheet with id '${id}' does not exist.`, {
      errorType: 'NOT_FOUND',
      entityType: 'FACT_SHEET',
      objectId: id,
    }),
  relationNotFound: (id: string, objectPath: string) =>
    new LeanixBusinessError(`Relation with id '${objectPath.split('/').pop() ?? ''}' does not exist.`, {
      errorType: 'BUSINESS_LOGIC',
      entityType: 'FACT_SHEET',
      objectId: id,
      objectPath,
    }),
  relationTargetInvalid: (id: string, objectPath: string, reason: string) =>
    new LeanixBusinessError(`[FS_VALIDATION_RELATION_TARGET] ${reason}`, {
      errorType: 'MODEL_COMPLIANT',
      entityType: 'FACT_SHEET',
      objectId: id,
      objectPath,
    }),
  invalidValue: (id: string, objectPath: string, reason: string) =>
    new LeanixBusinessError(`Invalid value for '${objectPath}': ${reason}`, {
      errorType: 'MODEL_COMPLIANT',
      entityType: 'FACT_SHEET',
      objectId: id,
      objectPath,
    }),
  externalIdNotUnique: (id: string, objectPath: string, externalId: string, holder: string) =>
    new LeanixBusinessError(
      `[FS_VALIDATION_EXTERNAL_ID_NOT_UNIQUE] External ID '${externalId}' is already used by Fact Sheet ${holder}.`,
      { errorType: 'MODEL_COMPLIANT', entityType: 'FACT_SHEET', objectId: id, objectPath },
    ),
  readOnlyField: (id: string, objectPath: string) =>
    new LeanixBusinessError(`The field '${objectPath}' is read-only; set "forceWrite":true to overwrite it.`, {
      errorType: 'BUSINESS_LOGIC',
      entityType: 'FACT_SHEET',
      objectId: id,
      objectPath,
    }),
  accessDenied: (role: string) =>
    new LeanixBusinessError(`Access denied: a user with role ${role} may not change this workspace.`, {
      errorType: 'ACCESS_DENIED',
    }),
  archivedFactSheet: (id: string) =>
    new LeanixBusinessError(`Fact Sheet ${id} is archived; recover it (patch /status to ACTIVE) before changing it.`, {
      errorType: 'BUSINESS_LOGIC',
      entityType: 'FACT_SHEET',
      objectId: id,
    }),
  badCursor: (cursor: string) =>
    new LeanixBusinessError(`The cursor '${cursor}' is invalid.`, { errorType: 'BUSINESS_LOGIC' }),
  subscriptionNotFound: (id: string) =>
    new LeanixBusinessError(`Subscription with id '${id}' does not exist.`, {
      errorType: 'NOT_FOUND',
      entityType: 'SUBSCRIPTION',
      objectId: id,
    }),
  userNotFound: (ref: string) =>
    new LeanixBusinessError(`User '${ref}' does not exist in this workspace.`, { errorType: 'BUSINESS_LOGIC' }),
  tagInvalid: (reason: string) => new LeanixBusinessError(reason, { errorType: 'BUSINESS_LOGIC', entityType: 'TAG' }),
  documentNotFound: (id: string) =>
    new LeanixBusinessError(`Document with id '${id}' does not exist.`, { errorType: 'NOT_FOUND', objectId: id }),
  documentInvalid: (reason: string) => new LeanixBusinessError(reason, { errorType: 'BUSINESS_LOGIC' }),
  tagNotFound: (id: string) =>
    new LeanixBusinessError(`Tag with id '${id}' does not exist.`, {
      errorType: 'NOT_FOUND',
      entityType: 'TAG',
      objectId: id,
    }),
  constraintInvalid: (id: string, reason: string) =>
    new LeanixBusinessError(reason, { errorType: 'MODEL_COMPLIANT', entityType: 'RELATION', objectId: id }),
  accountableNotUnique: (id: string) =>
    new LeanixBusinessError(`Fact Sheet ${id} already has an ACCOUNTABLE subscription; only one is allowed.`, {
      errorType: 'BUSINESS_LOGIC',
      entityType: 'SUBSCRIPTION',
      objectId: id,
    }),
} as const

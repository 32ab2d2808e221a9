// One GraphQL request against the workspace: parse (with LeanIX's size limits), validate,
// execute inside a transaction, then commit or roll back. Batches of mutations are
// all-or-nothing: one failure gives `data: null`, one error per failed mutation and "Error in
// Request. Transaction is rolled back!" (docs/reference/leanix.md §3.3, LeanIX's July 2025 change). Answers
// always go out with HTTP 200; the errors are in `errors` (docs/reference/leanix.md §3.7).
import {
  execute,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql'
import type { FaultSwitches } from '../faults.ts'
import type { MetaModel } from '../meta-model.ts'
import { FactSheetWriter } from '../workspace/fact-sheet-writes.ts'
import type { UserRecord } from '../workspace/records.ts'
import type { WorkspaceStore } from '../workspace/store.ts'
import { Transaction } from '../workspace/transaction.ts'
import type { PathfinderContext } from './context.ts'
import { FactSheetQuery } from './fact-sheet-query.ts'
import { LeanixBusinessError, PathfinderErrors } from './graphql-errors.ts'
import { FactSheetLog } from './log-events.ts'
import { buildPathfinderSchema } from './schema.ts'

/** graphql-java's defaults, which Pathfinder runs on */
const MAX_QUERY_CHARACTERS = 1_048_576
const MAX_QUERY_TOKENS = 15_000

export interface GraphQLRequestBody {
  query?: unknown
  variables?: unknown
  operationName?: unknown
}

/**
 * LeanIX's answer: `errors` is null when all went well (https://help.sap.com/docs/leanix/ea/graphql-basics, facet keys example:
 * `"errors": null`); a request that fails validation has no `data` at all (graphql-java's
 * ExecutionResult: nothing was executed) and its errors carry `extensions.classification`.
 */
export interface GraphQLResponseBody {
  data?: unknown
  errors: unknown[] | null
}

function formatError(error: GraphQLError): Record<string, unknown> {
  const original = error.originalError
  if (original instanceof LeanixBusinessError) {
    return { message: original.message, path: error.path ?? [], extensions: original.extensions }
  }
  return translateMessage(error.toJSON() as unknown as Record<string, unknown>)
}

/** A request refused before execution, in graphql-java's shape: message, locations, classification. */
function requestError(error: GraphQLError | { message: string }, classification: string): Record<string, unknown> {
  const json =
    error instanceof GraphQLError
      ? translateMessage(error.toJSON() as unknown as Record<string, unknown>)
      : { ...error }
  const { path: _path, extensions, ...rest } = json as Record<string, unknown> & { extensions?: object }
  return { ...rest, extensions: { ...extensions, classification } }
}

/** The two graphql-java messages clients are known to look for (docs/reference/leanix.md §3.7). */
function translateMessage(json: Record<string, unknown>): Record<string, unknown> {
  const message = String(json.message)
  const undefinedField = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(message)
  if (undefinedField) {
    return {
      ...json,
      message: `Validation error of type FieldUndefined: Field '${undefinedField[1]}' in type '${undefinedField[2]}' is undefined`,
    }
  }
  const notString =
    /^Variable "\$(\w+)" got invalid value (.+?) at ".*?"; String cannot represent a non string value: (.*)$/.exec(
      message,
    )
  if (notString) {
    const raw = notString[3] ?? ''
    const kind = /^-?\d+$/.test(raw)
      ? 'Integer'
      : /^-?[\d.eE+-]+$/.test(raw)
        ? 'Double'
        : raw === 'true' || raw === 'false'
          ? 'Boolean'
          : 'Object'
    return {
      ...json,
      message: `Variable '${notString[1]}' has an invalid value: Expected a String input, but it was a '${kind}'`,
    }
  }
  return json
}

export class PathfinderGraphQL {
  readonly store: WorkspaceStore
  private readonly faults: FaultSwitches
  /** the schema and the data model it was built from: a data model update builds it again */
  private built: { model: MetaModel; schema: GraphQLSchema }
  private readonly writer: FactSheetWriter
  private readonly query: FactSheetQuery
  private readonly log: FactSheetLog

  constructor(store: WorkspaceStore, faults: FaultSwitches) {
    this.store = store
    this.faults = faults
    this.built = { model: store.metaModel, schema: buildPathfinderSchema(store.metaModel, store.relationViews).schema }
    this.writer = new FactSheetWriter(store)
    this.query = new FactSheetQuery(store)
    this.log = new FactSheetLog(store)
  }

  get graphqlSchema(): GraphQLSchema {
    if (this.built.model !== this.store.metaModel)
      this.built = {
        model: this.store.metaModel,
        schema: buildPathfinderSchema(this.store.metaModel, this.store.relationViews).schema,
      }
    return this.built.schema
  }

  async run(body: GraphQLRequestBody, user: UserRecord): Promise<GraphQLResponseBody> {
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      return { errors: [requestError({ message: 'Query must not be empty' }, 'ValidationError')] }
    }
    if (body.query.length > MAX_QUERY_CHARACTERS) {
      const message =
        'The request contains too many characters. To prevent Denial Of Service attacks, parsing has been cancelled.'
      return { errors: [requestError({ message }, 'InvalidSyntax')] }
    }
    // one schema for the whole request, even if the data model changes meanwhile
    const schema = this.graphqlSchema
    let document: DocumentNode
    try {
      document = parse(body.query, { maxTokens: MAX_QUERY_TOKENS })
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error
      const message = error.message.includes('tokens')
        ? `More than ${MAX_QUERY_TOKENS} parse tokens have been presented. To prevent Denial Of Service attacks, parsing has been cancelled.`
        : `Invalid Syntax : ${error.message}`
      return { errors: [requestError({ ...error.toJSON(), message }, 'InvalidSyntax')] }
    }
    const validationErrors = validate(schema, document)
    if (validationErrors.length > 0) {
      return { errors: validationErrors.map((e) => requestError(e, 'ValidationError')) }
    }

    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode =>
        d.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || d.name?.value === operationName),
    )
    const tx = new Transaction(user.id)
    const context: PathfinderContext = {
      store: this.store,
      writer: this.writer,
      query: this.query,
      log: this.log,
      tx,
      user,
      faults: this.faults,
      mutationsRun: 0,
    }
    const variables =
      typeof body.variables === 'object' && body.variables !== null
        ? (body.variables as Record<string, unknown>)
        : undefined
    let result: ExecutionResult
    try {
      result = await execute({
        schema,
        document,
        variableValues: variables,
        operationName,
        contextValue: context,
      })
    } catch (error) {
      tx.rollback()
      throw error
    }
    const errors = result.errors ?? []
    if (result.data === undefined) {
      // variables that do not fit their declared types: refused before anything ran
      tx.rollback()
      return { errors: errors.map((e) => requestError(e, 'ValidationError')) }
    }
    if (operation?.operation === 'mutation' && errors.length > 0 && context.mutationsRun > 1) {
      tx.rollback()
      return { data: null, errors: [...errors.map(formatError), PathfinderErrors.rolledBack().toJSON()] }
    }
    if (tx.events.length > 0 || operation?.operation === 'mutation') this.store.commit(tx)
    return { data: result.data ?? null, errors: errors.length > 0 ? errors.map(formatError) : null }
  }
}

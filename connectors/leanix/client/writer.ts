// Writing fact sheets: createFactSheet / updateFactSheet with patches, sent as aliased batches.
// LeanIX runs a batch all-or-nothing (since 2025-07-28), so a failed batch is split: mutations
// the errors name are retried one by one, the others go again as a batch, and one bad item
// cannot sink the rest. `rev` guards updates; on REVISION_CLASH the fact sheet is re-read, the
// patches rebuilt against its new state and sent again, a bounded number of times.
import { LeanixErrors } from '../errors.ts'
import { isRetryable } from '../../../core/retryable.ts'
import type { FactSheetTypeModel } from './data-model.ts'
import { errorTypeOf, isGraphqlError, type GraphqlClient, type GraphqlErrorItem } from './graphql.ts'
import { archivePatch, buildPatches, needsCurrentState, SUBSCRIPTIONS_KEY, type Patch } from './patches.ts'
import { BY_ID_QUERY, READ_QUERY, selectionFor, toRecord, type FactSheetConnection } from './queries.ts'
import { syncSubscriptions, type SubscriptionStats } from './subscriptions.ts'

export interface WriteItem {
  key: string
  op: 'create' | 'update' | 'delete'
  id?: string
  values?: Record<string, unknown>
  rev?: number
  comment?: string
}

export interface WriteError {
  code: string
  message: string
  retryable: boolean
}

export interface WriteResult {
  key: string
  ok: boolean
  id?: string
  rev?: number
  error?: WriteError
}

export interface WriterOptions {
  batchSize: number
  revisionRetries: number
  archiveComment: string
  signal?: AbortSignal
}

interface Prepared {
  item: WriteItem
  patches: Patch[]
  rev?: number
}

interface MutationOutcome {
  factSheet?: { id: string; rev: number } | null
}

const RETRYABLE_TYPES = new Set(['REVISION_CLASH', 'RETRIES_EXHAUSTED', 'TIMEOUT'])
const IDS_PER_READ = 100

export class FactSheetWriter {
  readonly #gql: GraphqlClient
  readonly #options: WriterOptions
  readonly subscriptionStats: SubscriptionStats = { created: 0, deleted: 0 }

  constructor(gql: GraphqlClient, options: WriterOptions) {
    this.#gql = gql
    this.#options = options
  }

  async apply(type: FactSheetTypeModel, items: WriteItem[]): Promise<WriteResult[]> {
    const results = new Map<string, WriteResult>()
    const current = await this.#readCurrent(
      type,
      items.filter((i) => i.op === 'update' && i.id && needsCurrentState(type, i.values ?? {}).length),
    )
    const prepared: Prepared[] = []
    for (const item of items) {
      try {
        prepared.push(this.#prepare(type, item, item.id ? current.get(item.id) : undefined))
      } catch (err) {
        results.set(item.key, failure(item.key, err))
      }
    }
    const toSend = prepared.filter((p) => {
      if (p.item.op === 'update' && p.patches.length === 0) {
        results.set(p.item.key, { key: p.item.key, ok: true, id: p.item.id, rev: p.rev })
        return false
      }
      return true
    })
    for (let i = 0; i < toSend.length; i += this.#options.batchSize) {
      await this.#sendBatch(type, toSend.slice(i, i + this.#options.batchSize), results)
    }
    await this.#subscriptions(items, current, results)
    return items.map((i) => results.get(i.key) ?? { key: i.key, ok: false, error: unknownOutcome() })
  }

  #prepare(type: FactSheetTypeModel, item: WriteItem, current: Record<string, unknown> | undefined): Prepared {
    if (item.op === 'delete') return { item, patches: [archivePatch()], rev: item.rev }
    const values = item.values ?? {}
    if (item.op === 'update' && !item.id)
      throw new LeanixErrors.CHANGE_INVALID(item.key, 'an update needs the fact sheet id')
    if (item.op === 'create' && typeof values.name !== 'string') {
      throw new LeanixErrors.CHANGE_INVALID(item.key, 'a new fact sheet needs a name')
    }
    const { name: _name, ...rest } = values
    const patches = buildPatches(type, item.op === 'create' ? rest : values, current, item.key)
    return { item, patches, rev: item.rev }
  }

  async #sendBatch(type: FactSheetTypeModel, batch: Prepared[], results: Map<string, WriteResult>): Promise<void> {
    if (batch.length === 1) return this.#sendOne(type, batch[0] as Prepared, results)
    const { document, variables } = mutationDocument(type, batch, this.#options.archiveComment)
    let data: Record<string, MutationOutcome | null> | null
    let errors: GraphqlErrorItem[]
    try {
      ;({ data, errors } = await this.#gql.raw<Record<string, MutationOutcome | null>>(document, variables, {
        mutation: true,
        signal: this.#options.signal,
      }))
    } catch (err) {
      // the outcome of a batch that timed out is unknown: report, never blindly re-send
      for (const p of batch) results.set(p.item.key, failure(p.item.key, err))
      return
    }
    const retryAlone: Prepared[] = []
    const retryTogether: Prepared[] = []
    const named = new Set(errors.map((e) => String(e.path?.[0] ?? '')))
    batch.forEach((p, i) => {
      const outcome = data?.[`m${i}`]?.factSheet
      if (outcome && !named.has(`m${i}`)) {
        results.set(p.item.key, { key: p.item.key, ok: true, id: outcome.id, rev: outcome.rev })
      } else if (named.has(`m${i}`) || named.size === 0 || [...named].every((a) => !a.startsWith('m'))) {
        retryAlone.push(p)
      } else retryTogether.push(p)
    })
    // errors naming no mutation of this batch would send the same batch again: go one by one
    if (retryTogether.length === batch.length) retryAlone.push(...retryTogether.splice(0))
    if (retryTogether.length) await this.#sendBatch(type, retryTogether, results)
    for (const p of retryAlone) await this.#sendOne(type, p, results)
  }

  async #sendOne(type: FactSheetTypeModel, prepared: Prepared, results: Map<string, WriteResult>): Promise<void> {
    let p = prepared
    for (let attempt = 0; ; attempt++) {
      const { document, variables } = mutationDocument(type, [p], this.#options.archiveComment)
      try {
        const data = await this.#gql.request<Record<string, MutationOutcome | null>>(document, variables, {
          mutation: true,
          signal: this.#options.signal,
        })
        const fs = data.m0?.factSheet
        results.set(
          p.item.key,
          fs
            ? { key: p.item.key, ok: true, id: fs.id, rev: fs.rev }
            : { key: p.item.key, ok: false, error: unknownOutcome() },
        )
        return
      } catch (err) {
        const clash = isGraphqlError(err) && err.errors.some((e) => errorTypeOf(e) === 'REVISION_CLASH')
        if (!clash || !p.item.id || attempt >= this.#options.revisionRetries) {
          results.set(p.item.key, failure(p.item.key, err))
          return
        }
        // someone else wrote in between: rebuild our patches on top of their version
        const fresh = await this.#readOne(type, p.item)
        if (!fresh) {
          results.set(p.item.key, failure(p.item.key, err))
          return
        }
        try {
          p = { ...this.#prepare(type, p.item, fresh), rev: Number(fresh.rev) }
        } catch (prepErr) {
          results.set(p.item.key, failure(p.item.key, prepErr))
          return
        }
      }
    }
  }

  async #readOne(type: FactSheetTypeModel, item: WriteItem): Promise<Record<string, unknown> | undefined> {
    const sel = selectionFor(type, needsCurrentState(type, item.values ?? {}))
    const data = await this.#gql.request<{ factSheet: Record<string, unknown> | null }>(
      BY_ID_QUERY(sel),
      { id: item.id },
      { signal: this.#options.signal },
    )
    return data.factSheet ? toRecord(data.factSheet, sel) : undefined
  }

  /** Current relations, tags and subscriptions of the fact sheets the items change, by id. */
  async #readCurrent(type: FactSheetTypeModel, items: WriteItem[]): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>()
    if (!items.length) return out
    const keys = [...new Set(items.flatMap((i) => needsCurrentState(type, i.values ?? {})))]
    const sel = selectionFor(type, keys)
    const query = READ_QUERY(sel)
    const ids = [...new Set(items.map((i) => i.id as string))]
    for (let i = 0; i < ids.length; i += IDS_PER_READ) {
      const chunk = ids.slice(i, i + IDS_PER_READ)
      const data = await this.#gql.request<{ allFactSheets: FactSheetConnection }>(
        query,
        { filter: { ids: chunk }, first: chunk.length },
        { signal: this.#options.signal },
      )
      for (const edge of data.allFactSheets.edges) out.set(String(edge.node.id), toRecord(edge.node, sel))
    }
    return out
  }

  async #subscriptions(
    items: WriteItem[],
    current: Map<string, Record<string, unknown>>,
    results: Map<string, WriteResult>,
  ): Promise<void> {
    const work = items
      .filter((i) => i.op !== 'delete' && i.values && SUBSCRIPTIONS_KEY in i.values && results.get(i.key)?.ok)
      .map((i) => ({
        key: i.key,
        factSheetId: results.get(i.key)?.id as string,
        desired: i.values?.[SUBSCRIPTIONS_KEY],
        current: i.id ? current.get(i.id)?.[SUBSCRIPTIONS_KEY] : [],
      }))
    if (!work.length) return
    const failures = await syncSubscriptions(this.#gql, work, this.#options, this.subscriptionStats)
    for (const [key, error] of failures) {
      const prior = results.get(key)
      results.set(key, { key, ok: false, id: prior?.id, rev: prior?.rev, error })
    }
  }
}

/** One aliased mutation document (m0, m1, …) and its variables. */
export function mutationDocument(
  type: FactSheetTypeModel,
  batch: Prepared[],
  archiveComment: string,
): { document: string; variables: Record<string, unknown> } {
  const decls: string[] = []
  const fields: string[] = []
  const variables: Record<string, unknown> = {}
  batch.forEach((p, i) => {
    variables[`p${i}`] = p.patches
    if (p.item.op === 'create') {
      decls.push(`$i${i}: BaseFactSheetInput!`, `$p${i}: [Patch]`)
      variables[`i${i}`] = { name: p.item.values?.name, type: type.name }
      fields.push(`m${i}: createFactSheet(input: $i${i}, patches: $p${i}) { factSheet { id rev } }`)
      return
    }
    decls.push(`$id${i}: ID!`, `$r${i}: Long`, `$p${i}: [Patch]!`, `$c${i}: String`)
    variables[`id${i}`] = p.item.id
    variables[`r${i}`] = p.rev ?? null
    variables[`c${i}`] = p.item.op === 'delete' ? (p.item.comment ?? archiveComment) : (p.item.comment ?? null)
    fields.push(
      `m${i}: updateFactSheet(id: $id${i}, rev: $r${i}, patches: $p${i}, comment: $c${i}) { factSheet { id rev } }`,
    )
  })
  return { document: `mutation CrosswalkWrite(${decls.join(', ')}) { ${fields.join(' ')} }`, variables }
}

export function failure(key: string, err: unknown): WriteResult {
  if (isGraphqlError(err)) {
    // the hub's code (CW_LX_GRAPHQL), as the contract asks; LeanIX's errorType is in the message
    const first = err.errors[0]
    const type = first ? errorTypeOf(first) : 'GRAPHQL'
    return { key, ok: false, error: { code: err.code, message: err.message, retryable: RETRYABLE_TYPES.has(type) } }
  }
  const e = err as { code?: string; message?: string; statusCode?: number }
  const code = e.code ?? new LeanixErrors.HTTP_STATUS().code
  // an error without a code is a failure the transport did not classify: a later run may pass
  const retryable = e.code === undefined || isRetryable(err)
  return { key, ok: false, error: { code, message: e.message ?? String(err), retryable } }
}

function unknownOutcome(): WriteError {
  const err = new LeanixErrors.WRITE_UNCONFIRMED()
  return { code: err.code, message: err.message, retryable: isRetryable(err) }
}

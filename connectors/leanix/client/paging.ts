// Reading every fact sheet of a type. allFactSheets stops at 15,000 edges per query, so a
// larger result (its first page tells the total) is partitioned: the filter is split by the keys
// of a single-select field (plus "__missing__" for no value) until every slice is under the cap,
// and the slice counts must add up to the whole or the field is not used. Pages are not
// snapshots, so ids already returned are dropped. The cursor resumes at the exact slice and page.
import { LeanixErrors } from '../errors.ts'
import type { FactSheetTypeModel } from './data-model.ts'
import { MISSING_KEY, narrow, type FacetFilter, type FilterInput } from './filter.ts'
import type { GraphqlClient } from './graphql.ts'
import { countQuery, READ_QUERY, toRecord, type FactSheetConnection, type Selection } from './queries.ts'

/** LeanIX's limit of edges per allFactSheets query */
export const RESULT_CAP = 15_000
const COUNTS_PER_REQUEST = 20

export interface ReadCursor {
  v: 1
  /** extra facet filters of each slice, in order */
  slices: FacetFilter[][]
  /** slice being read */
  i: number
  after: string | null
  /** delta read: only fact sheets updated at or after this instant, newest first */
  since?: string
}

export interface ReadPage {
  records: Array<Record<string, unknown> & { id: string }>
  cursor: string | null
}

export interface ReadOptions {
  type: FactSheetTypeModel
  filter: FilterInput
  selection: Selection
  pageSize: number
  cursor?: string | null
  /** ISO instant: read only what changed since (falls back to a full read past the cap) */
  since?: string | null
  signal?: AbortSignal
}

const NEWEST_FIRST = [{ key: 'updatedAt', order: 'desc' }]

export class FactSheetReader {
  readonly #gql: GraphqlClient
  readonly #cap: number
  /** slices read so far (1 per read that fit under the cap) */
  readonly stats = { slices: 0 }

  constructor(gql: GraphqlClient, options: { cap?: number } = {}) {
    this.#gql = gql
    this.#cap = options.cap ?? RESULT_CAP
  }

  async *read(options: ReadOptions): AsyncGenerator<ReadPage> {
    const { type, filter, selection, signal } = options
    const pageSize = Math.min(options.pageSize, this.#cap)
    const seen = new Set<string>()
    const query = READ_QUERY(selection)
    let state: ReadCursor
    // a read starts as one slice; its first page tells the total, and a total above the cap
    // splits it before anything is returned
    const whole = (): ReadCursor => {
      this.stats.slices++
      return { v: 1, slices: [[]], i: 0, after: null }
    }
    if (options.cursor) {
      state = decodeCursor(options.cursor)
      if (state.slices.length === 0) state = whole()
    } else if (options.since) state = { v: 1, slices: [[]], i: 0, after: null, since: options.since }
    else state = whole()
    if (state.since !== undefined) {
      const complete = yield* this.#delta(query, options, state, pageSize, seen)
      if (complete) return
      // more changed than one query can return: read everything instead
      state = whole()
    }
    while (state.i < state.slices.length) {
      const slice = state.slices[state.i] as FacetFilter[]
      const conn = await this.#page(query, narrow(filter, type.name, slice), pageSize, state.after, signal)
      if (state.after === null && conn.totalCount > this.#cap) {
        // more than one query can return (or grown so since it was planned): split, start again
        this.stats.slices--
        state.slices.splice(state.i, 1, ...(await this.#split(type, filter, slice, conn.totalCount, signal)))
        continue
      }
      const records = []
      for (const edge of conn.edges) {
        const id = String(edge.node.id)
        if (seen.has(id)) continue
        seen.add(id)
        records.push(toRecord(edge.node, selection))
      }
      if (conn.pageInfo.hasNextPage && conn.pageInfo.endCursor) state.after = conn.pageInfo.endCursor
      else {
        state.i++
        state.after = null
      }
      yield { records, cursor: state.i < state.slices.length ? encodeCursor(state) : null }
    }
  }

  /** Newest first until older than `since`; false when the cap cut the answer short. */
  async *#delta(
    query: string,
    options: ReadOptions,
    state: ReadCursor,
    pageSize: number,
    seen: Set<string>,
  ): AsyncGenerator<ReadPage, boolean> {
    const since = Date.parse(state.since as string)
    const filter = narrow(options.filter, options.type.name)
    for (;;) {
      const data = await this.#gql.request<{ allFactSheets: FactSheetConnection }>(
        query,
        { filter, first: pageSize, after: state.after, sort: NEWEST_FIRST },
        { signal: options.signal },
      )
      const conn = data.allFactSheets
      const records = []
      let reachedOlder = false
      for (const edge of conn.edges) {
        // compared as instants: LeanIX and the watermark may write the offset differently
        if (Date.parse(String(edge.node.updatedAt ?? '')) < since) {
          reachedOlder = true
          break
        }
        const id = String(edge.node.id)
        if (seen.has(id)) continue
        seen.add(id)
        records.push(toRecord(edge.node, options.selection))
      }
      const more = !reachedOlder && conn.pageInfo.hasNextPage && !!conn.pageInfo.endCursor
      if (!more && !reachedOlder && seen.size < conn.totalCount && seen.size >= this.#cap) {
        // the cap cut the answer short: resume as a full read (no slices: start whole)
        yield { records, cursor: encodeCursor({ v: 1, slices: [], i: 0, after: null }) }
        return false
      }
      state.after = more ? conn.pageInfo.endCursor : null
      yield { records, cursor: more ? encodeCursor(state) : null }
      if (!more) return true
    }
  }

  /** totalCount of each filter, several per request. */
  async count(filters: FilterInput[], signal?: AbortSignal): Promise<number[]> {
    const counts: number[] = []
    for (let start = 0; start < filters.length; start += COUNTS_PER_REQUEST) {
      const chunk = filters.slice(start, start + COUNTS_PER_REQUEST)
      const variables = Object.fromEntries(chunk.map((f, i) => [`f${i}`, f]))
      const data = await this.#gql.request<Record<string, { totalCount: number }>>(
        countQuery(chunk.length),
        variables,
        {
          signal,
        },
      )
      chunk.forEach((_, i) => counts.push(data[`c${i}`]?.totalCount ?? 0))
    }
    return counts
  }

  async #split(
    type: FactSheetTypeModel,
    filter: FilterInput,
    slice: FacetFilter[],
    total: number,
    signal?: AbortSignal,
  ): Promise<FacetFilter[][]> {
    const used = new Set(slice.map((f) => f.facetKey))
    const candidates = [...type.fields.values()]
      .filter((f) => f.kind === 'single' && (f.values?.length ?? 0) > 0 && !used.has(f.name))
      .sort((a, b) => (b.values?.length ?? 0) - (a.values?.length ?? 0))
    // fields are counted one at a time and the first whose slices all fit is taken; only when
    // none fits are the others tried, smallest largest slice first, splitting their big slices
    const fallbacks: Array<{ facets: FacetFilter[]; counts: number[] }> = []
    for (const field of candidates) {
      const facets = [...(field.values ?? []), MISSING_KEY].map((key): FacetFilter => ({
        facetKey: field.name,
        operator: 'OR',
        keys: [key],
      }))
      const counts = await this.count(
        facets.map((f) => narrow(filter, type.name, [...slice, f])),
        signal,
      )
      // a field whose keys do not add up to the whole would lose or repeat fact sheets
      if (counts.reduce((a, b) => a + b, 0) !== total || counts.includes(total)) continue
      if (Math.max(...counts) <= this.#cap) return this.#slicesOf(slice, facets, counts)
      fallbacks.push({ facets, counts })
    }
    fallbacks.sort((a, b) => Math.max(...a.counts) - Math.max(...b.counts))
    for (const { facets, counts } of fallbacks) {
      try {
        const slices: FacetFilter[][] = []
        for (const [i, facet] of facets.entries()) {
          const n = counts[i] ?? 0
          if (n === 0) continue
          if (n <= this.#cap) slices.push(...this.#slicesOf(slice, [facet], [n]))
          else slices.push(...(await this.#split(type, filter, [...slice, facet], n, signal)))
        }
        return slices
      } catch (err) {
        if (!(err instanceof LeanixErrors.PARTITION_EXHAUSTED)) throw err
      }
    }
    throw new LeanixErrors.PARTITION_EXHAUSTED(type.name, total, this.#cap)
  }

  #slicesOf(slice: FacetFilter[], facets: FacetFilter[], counts: number[]): FacetFilter[][] {
    const slices = facets.filter((_, i) => (counts[i] ?? 0) > 0).map((facet) => [...slice, facet])
    this.stats.slices += slices.length
    return slices
  }

  async #page(
    query: string,
    filter: FilterInput,
    first: number,
    after: string | null,
    signal?: AbortSignal,
  ): Promise<FactSheetConnection> {
    const data = await this.#gql.request<{ allFactSheets: FactSheetConnection }>(
      query,
      { filter, first, after },
      { signal },
    )
    return data.allFactSheets
  }
}

export function encodeCursor(cursor: ReadCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url')
}

export function decodeCursor(text: string): ReadCursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ReadCursor
    if (
      c.v === 1 &&
      Array.isArray(c.slices) &&
      Number.isInteger(c.i) &&
      (c.after === null || typeof c.after === 'string')
    ) {
      return c
    }
  } catch {
    // fall through
  }
  throw new LeanixErrors.CURSOR_INVALID()
}

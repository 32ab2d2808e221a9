// Rows of one table hierarchy (an extension root and all classes extending it), kept sorted by
// sys_id so that keyset pages (`sys_id>X^ORDERBYsys_id`) and look-ups by sys_id are binary
// searches. A row is a plain array of strings indexed by the hierarchy's column layout; trailing
// empty values are not stored (memory-lean for sparse CMDB rows).
//
// The order is held in chunks of at most MAX_CHUNK rows, not one flat array: sys_ids are random,
// so a create lands anywhere, and splicing into one array of a million rows moved half of it on
// every create (measured: 22% of the emulators' CPU in a 5,000-application sync against 200,000
// cmdb_rel_ci rows, and the 1M-row benchmark's relation phase did not finish). A create now moves
// at most one chunk, plus one start offset per later chunk.
//
// Columns that queries look up by value (`parent=<sys_id>`, `childIN<sys_ids>` on cmdb_rel_ci, as
// a real instance answers from its database indexes) get an index, kept up to date by insert,
// removeAt, set and bulk loads: declared with the table where an instance has one (cmdb_rel_ci's
// parent, child and type), else built on first use. The query executor still evaluates the
// whole query on what it finds.
// A delta read's `sys_updated_on>X^ORDERBYsys_updated_on` gets the rows in that column's order,
// kept up to date across writes, instead of sorting the matches of the whole table for every page.

import { mergeIntoOrder } from '../../../../core/collections/merge-into-order.ts'

/** column 0 is always sys_id */
export const SYS_ID_COLUMN = 0

/** a full chunk splits in two halves */
const MAX_CHUNK = 2048
/** what a bulk load fills each chunk with, leaving room for creates before the first split */
const LOAD_CHUNK = 1024

interface Chunk {
  /** sorted ascending, aligned with `rows`; never empty */
  ids: string[]
  rows: string[][]
}

export class TableStore {
  readonly root: string
  /** column name -> index in a row; grows when columns are added */
  readonly columns = new Map<string, number>()
  private chunks: Chunk[] = []
  /** the global index of each chunk's first row */
  private starts: number[] = []
  private count = 0
  /** column index -> lowercased value -> the rows holding it; built on first use */
  private readonly indexes = new Map<number, Map<string, string[][]>>()
  /**
   * column index -> every row ordered by that column, then sys_id, with the rows written since
   * it was last brought up to date (inserted, removed, or that column set)
   */
  private readonly orders = new Map<number, { rows: string[][]; dirty: Set<string[]> }>()

  constructor(root: string, columnNames: string[]) {
    this.root = root
    this.columns.set('sys_id', SYS_ID_COLUMN)
    this.addColumns(columnNames)
  }

  addColumns(names: string[]): void {
    for (const n of names) if (!this.columns.has(n)) this.columns.set(n, this.columns.size)
  }

  get size(): number {
    return this.count
  }

  /** first index whose sys_id is >= id (or > id when `strict`) */
  lowerBound(id: string, strict = false): number {
    const c = this.chunkFor(id, strict)
    if (c === this.chunks.length) return this.count
    return (this.starts[c] as number) + lowerBoundIn((this.chunks[c] as Chunk).ids, id, strict)
  }

  indexOf(id: string): number {
    const c = this.chunkFor(id, false)
    const chunk = this.chunks[c]
    if (!chunk) return -1
    const i = lowerBoundIn(chunk.ids, id, false)
    return chunk.ids[i] === id ? (this.starts[c] as number) + i : -1
  }

  at(index: number): string[] | undefined {
    if (index < 0 || index >= this.count) return undefined
    const c = this.chunkAt(index)
    return (this.chunks[c] as Chunk).rows[index - (this.starts[c] as number)]
  }

  get(id: string): string[] | undefined {
    const chunk = this.chunks[this.chunkFor(id, false)]
    if (!chunk) return undefined
    const i = lowerBoundIn(chunk.ids, id, false)
    return chunk.ids[i] === id ? chunk.rows[i] : undefined
  }

  value(row: readonly string[], column: string): string {
    const i = this.columns.get(column)
    return i === undefined ? '' : (row[i] ?? '')
  }

  /** builds a row array from named values, dropping trailing empties */
  pack(values: Record<string, string>): string[] {
    let length = 0
    for (const [k, v] of Object.entries(values)) {
      const i = this.columns.get(k)
      if (i !== undefined && v !== '' && i >= length) length = i + 1
    }
    // allocated at its exact length: arrays grown by assignment keep spare capacity
    const row = new Array<string>(length).fill('')
    for (const [k, v] of Object.entries(values)) {
      const i = this.columns.get(k)
      if (i !== undefined && v !== '') row[i] = v
    }
    return row
  }

  set(row: string[], column: string, value: string): void {
    const i = this.columns.get(column)
    if (i === undefined) return
    if (i >= row.length && value === '') return
    this.orders.get(i)?.dirty.add(row)
    const index = this.indexes.get(i)
    if (index) {
      unindex(index, row[i] ?? '', row)
      indexRow(index, value, row)
    }
    while (row.length < i) row.push('')
    row[i] = value
  }

  /**
   * The rows whose `column` holds one of `values` (compared lowercased; an empty value finds
   * nothing), from the column's index, which the first call builds; undefined for a column the
   * store does not have.
   */
  rowsWith(column: string, values: readonly string[]): string[][] | undefined {
    const index = this.#indexOf(column)
    if (!index) return undefined
    const out: string[][] = []
    for (const value of new Set(values.map((v) => v.toLowerCase()))) {
      const rows = index.get(value)
      if (rows) for (const row of rows) out.push(row)
    }
    return out
  }

  /** How many rows `rowsWith` would give, without collecting them. */
  countWith(column: string, values: readonly string[]): number | undefined {
    const index = this.#indexOf(column)
    if (!index) return undefined
    let n = 0
    for (const value of new Set(values.map((v) => v.toLowerCase()))) n += index.get(value)?.length ?? 0
    return n
  }

  /**
   * Builds the index of `column` now, as a database has the indexes its schema declares before
   * the first query, instead of on the first look-up (seconds at a million rows, in the middle
   * of whatever asked).
   */
  declareIndex(column: string): void {
    this.#indexOf(column)
  }

  #indexOf(column: string): Map<string, string[][]> | undefined {
    const i = this.columns.get(column)
    if (i === undefined) return undefined
    let index = this.indexes.get(i)
    if (!index) {
      index = new Map()
      for (const chunk of this.chunks) for (const row of chunk.rows) indexRow(index, row[i] ?? '', row)
      this.indexes.set(i, index)
    }
    return index
  }

  /**
   * Every row ordered by `column` (plain string order, for columns whose text sorts as their
   * value, like date-times), then by sys_id; built on first use, then kept as a database keeps
   * an index: the rows written since are merged back at their place (core/collections), unless
   * so many were written that sorting again is as cheap. Undefined for a column the store does
   * not have.
   */
  orderedBy(column: string): readonly string[][] | undefined {
    const i = this.columns.get(column)
    if (i === undefined) return undefined
    const compare = byColumnThenSysId(i)
    const order = this.orders.get(i)
    if (order && order.dirty.size === 0) return order.rows
    if (order && order.dirty.size <= order.rows.length / 4) {
      const { dirty } = order
      // a removed row is not put back
      const fresh = [...dirty].filter((row) => this.get(row[SYS_ID_COLUMN] as string) === row)
      order.rows = mergeIntoOrder(order.rows, (row) => dirty.has(row), fresh, compare)
      dirty.clear()
      return order.rows
    }
    const rows: string[][] = []
    for (const chunk of this.chunks) for (const row of chunk.rows) rows.push(row)
    rows.sort(compare)
    this.orders.set(i, { rows, dirty: new Set() })
    return rows
  }

  insert(row: string[]): void {
    for (const order of this.orders.values()) order.dirty.add(row)
    const id = row[SYS_ID_COLUMN] as string
    if (this.chunks.length === 0) {
      for (const [column, index] of this.indexes) indexRow(index, row[column] ?? '', row)
      this.chunks.push({ ids: [id], rows: [row] })
      this.starts.push(0)
      this.count = 1
      return
    }
    // past the last chunk's end: it goes at the end of the last chunk
    const c = Math.min(this.chunkFor(id, false), this.chunks.length - 1)
    const chunk = this.chunks[c] as Chunk
    const i = lowerBoundIn(chunk.ids, id, false)
    chunk.ids.splice(i, 0, id)
    chunk.rows.splice(i, 0, row)
    for (const [column, index] of this.indexes) indexRow(index, row[column] ?? '', row)
    this.count++
    for (let k = c + 1; k < this.starts.length; k++) (this.starts[k] as number)++
    if (chunk.ids.length > MAX_CHUNK) this.split(c)
  }

  removeAt(index: number): void {
    if (index < 0 || index >= this.count) return
    const c = this.chunkAt(index)
    const chunk = this.chunks[c] as Chunk
    const i = index - (this.starts[c] as number)
    const [row] = chunk.rows.splice(i, 1) as [string[]]
    for (const order of this.orders.values()) order.dirty.add(row)
    chunk.ids.splice(i, 1)
    for (const [column, values] of this.indexes) unindex(values, row[column] ?? '', row)
    this.count--
    for (let k = c + 1; k < this.starts.length; k++) (this.starts[k] as number)--
    if (chunk.ids.length === 0) {
      this.chunks.splice(c, 1)
      this.starts.splice(c, 1)
    }
  }

  /** appends many rows at once, then restores sys_id order with a single sort */
  bulkAppend(rows: string[][]): void {
    // sorted again on next use
    this.orders.clear()
    const all: string[][] = []
    for (const chunk of this.chunks) for (const row of chunk.rows) all.push(row)
    for (const row of rows) all.push(row)
    if (!isSorted(all)) all.sort(bySysId)
    this.chunks = []
    this.starts = []
    for (let at = 0; at < all.length; at += LOAD_CHUNK) {
      const slice = all.slice(at, at + LOAD_CHUNK)
      this.chunks.push({ ids: slice.map((r) => r[SYS_ID_COLUMN] as string), rows: slice })
      this.starts.push(at)
    }
    this.count = all.length
    // the rows already held are indexed; only the new ones are added
    for (const [column, index] of this.indexes) for (const row of rows) indexRow(index, row[column] ?? '', row)
  }

  /** the first chunk that holds a sys_id >= id (> id when `strict`); chunks.length when none does */
  private chunkFor(id: string, strict: boolean): number {
    let lo = 0
    let hi = this.chunks.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const ids = (this.chunks[mid] as Chunk).ids
      const last = ids[ids.length - 1] as string
      if (last < id || (strict && last === id)) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** the chunk holding global index `index` (0 <= index < size) */
  private chunkAt(index: number): number {
    let lo = 0
    let hi = this.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if ((this.starts[mid] as number) <= index) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  private split(c: number): void {
    const chunk = this.chunks[c] as Chunk
    const half = chunk.ids.length >>> 1
    const tail: Chunk = { ids: chunk.ids.splice(half), rows: chunk.rows.splice(half) }
    this.chunks.splice(c + 1, 0, tail)
    this.starts.splice(c + 1, 0, (this.starts[c] as number) + half)
  }
}

// empty values are not indexed: a look-up is always for a value (a sys_id)
function indexRow(index: Map<string, string[][]>, value: string, row: string[]): void {
  if (value === '') return
  const key = value.toLowerCase()
  const rows = index.get(key)
  if (rows) rows.push(row)
  else index.set(key, [row])
}

function unindex(index: Map<string, string[][]>, value: string, row: string[]): void {
  if (value === '') return
  const key = value.toLowerCase()
  const rows = index.get(key)
  if (!rows) return
  const at = rows.indexOf(row)
  if (at >= 0) rows.splice(at, 1)
  if (rows.length === 0) index.delete(key)
}

/** rows by the text of column `i` (which sorts as its value), then by sys_id */
function byColumnThenSysId(i: number): (a: readonly string[], b: readonly string[]) => number {
  return (a, b) => {
    const x = a[i] ?? ''
    const y = b[i] ?? ''
    if (x !== y) return x < y ? -1 : 1
    const p = a[SYS_ID_COLUMN] as string
    const q = b[SYS_ID_COLUMN] as string
    return p < q ? -1 : p > q ? 1 : 0
  }
}

/** first index in `ids` whose value is >= id (or > id when `strict`) */
function lowerBoundIn(ids: readonly string[], id: string, strict: boolean): number {
  let lo = 0
  let hi = ids.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const v = ids[mid] as string
    if (v < id || (strict && v === id)) lo = mid + 1
    else hi = mid
  }
  return lo
}

const bySysId = (a: string[], b: string[]): number => ((a[0] as string) < (b[0] as string) ? -1 : 1)

const isSorted = (rows: string[][]): boolean => {
  for (let i = 1; i < rows.length; i++) if ((rows[i - 1]![0] as string) > (rows[i]![0] as string)) return false
  return true
}

// Rows of one table hierarchy (an extension root and all classes extending it), kept sorted by
// sys_id so that keyset pages (`sys_id>X^ORDERBYsys_id`) and look-ups by sys_id are binary
// searches. A row is a plain array of strings indexed by the hierarchy's column layout; trailing
// empty values are not stored (memory-lean for sparse CMDB rows).

/** column 0 is always sys_id */
export const SYS_ID_COLUMN = 0

export class TableStore {
  readonly root: string
  /** column name -> index in a row; grows when columns are added */
  readonly columns = new Map<string, number>()
  /** sorted ascending, aligned with `rows` */
  private ids: string[] = []
  private rows: string[][] = []

  constructor(root: string, columnNames: string[]) {
    this.root = root
    this.columns.set('sys_id', SYS_ID_COLUMN)
    this.addColumns(columnNames)
  }

  addColumns(names: string[]): void {
    for (const n of names) if (!this.columns.has(n)) this.columns.set(n, this.columns.size)
  }

  get size(): number {
    return this.ids.length
  }

  /** first index whose sys_id is >= id (or > id when `strict`) */
  lowerBound(id: string, strict = false): number {
    let lo = 0
    let hi = this.ids.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const v = this.ids[mid] as string
      if (v < id || (strict && v === id)) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  indexOf(id: string): number {
    const i = this.lowerBound(id)
    return this.ids[i] === id ? i : -1
  }

  at(index: number): string[] | undefined {
    return this.rows[index]
  }

  get(id: string): string[] | undefined {
    const i = this.indexOf(id)
    return i < 0 ? undefined : this.rows[i]
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
    while (row.length < i) row.push('')
    row[i] = value
  }

  insert(row: string[]): void {
    const id = row[SYS_ID_COLUMN] as string
    const i = this.lowerBound(id)
    if (i === this.ids.length) {
      this.ids.push(id)
      this.rows.push(row)
    } else {
      this.ids.splice(i, 0, id)
      this.rows.splice(i, 0, row)
    }
  }

  removeAt(index: number): void {
    this.ids.splice(index, 1)
    this.rows.splice(index, 1)
  }

  /** appends many rows at once, then restores sys_id order with a single sort */
  bulkAppend(rows: string[][]): void {
    const all = this.rows.length === 0 ? rows : this.rows.concat(rows)
    if (!isSorted(all)) all.sort(bySysId)
    this.rows = all
    this.ids = all.map((r) => r[SYS_ID_COLUMN] as string)
  }
}

const bySysId = (a: string[], b: string[]): number => ((a[0] as string) < (b[0] as string) ? -1 : 1)

const isSorted = (rows: string[][]): boolean => {
  for (let i = 1; i < rows.length; i++) if ((rows[i - 1]![0] as string) > (rows[i]![0] as string)) return false
  return true
}

// Switchable faults for tests, each the kind of trouble a real instance or its front end causes
// (docs/reference/servicenow.md §1.5, §1.6, §1.8): 5xx on the Nth request, slow pages, dropped connections, rows
// changing between pages, unstable order without ORDERBY, 202 without a body, non-JSON answers.
import { EmulatorErrors } from '../errors.ts'

export type FaultKind =
  | 'server-error'
  | 'slow-page'
  | 'drop-connection'
  | 'mutate-between-pages'
  | 'unstable-order'
  | 'accepted-no-body'
  | 'non-json'
  | 'transaction-cancelled'

export interface FaultSpec {
  kind: FaultKind
  /** only requests whose path starts with this; default every /api request */
  pathPrefix?: string
  method?: string
  /** first matching request affected, 1-based (the Nth request); default 1 */
  nth?: number
  /** how many matching requests are affected from the Nth on; 0 = all; default 1 (slow-page, unstable-order, mutate: 0) */
  times?: number
  /** server-error: status (default 500) */
  status?: number
  /**
   * slow-page: each list page takes this long in all, counted from when the transaction got its
   * API_INT thread; the emulator's own query and serialisation are part of it, not added to it
   */
  delayMs?: number
  /** non-json: which page (default a hibernating instance's HTML page with status 200) */
  body?: 'hibernating' | 'html-error' | 'truncated-json'
  /** mutate-between-pages: table to change and how */
  table?: string
  inserts?: number
  updates?: number
  deletes?: number
}

export interface ActiveFault extends FaultSpec {
  id: number
  /** matching requests seen so far */
  seen: number
  /** requests it has affected */
  fired: number
}

const CONTINUOUS: ReadonlySet<FaultKind> = new Set(['slow-page', 'unstable-order', 'mutate-between-pages'])

export class FaultSwitchboard {
  private faults: ActiveFault[] = []
  private nextId = 1

  add(spec: FaultSpec): number {
    if (spec.kind === 'mutate-between-pages' && !spec.table) {
      throw new EmulatorErrors.FAULT_INVALID('mutate-between-pages needs a table')
    }
    if (spec.nth !== undefined && (!Number.isInteger(spec.nth) || spec.nth < 1)) {
      throw new EmulatorErrors.FAULT_INVALID('nth must be a positive integer')
    }
    const id = this.nextId++
    this.faults.push({ ...spec, times: spec.times ?? (CONTINUOUS.has(spec.kind) ? 0 : 1), id, seen: 0, fired: 0 })
    return id
  }

  remove(id: number): void {
    this.faults = this.faults.filter((f) => f.id !== id)
  }

  clear(): void {
    this.faults = []
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }))
  }

  /** the faults that fire on this request (each counts the request once) */
  fire(method: string, path: string, kinds?: ReadonlySet<FaultKind>): ActiveFault[] {
    const out: ActiveFault[] = []
    for (const f of this.faults) {
      if (kinds && !kinds.has(f.kind)) continue
      if (f.pathPrefix && !path.startsWith(f.pathPrefix)) continue
      if (f.method && f.method.toUpperCase() !== method) continue
      f.seen++
      const nth = f.nth ?? 1
      if (f.seen < nth) continue
      if (f.times !== 0 && f.fired >= (f.times ?? 1)) continue
      f.fired++
      out.push(f)
    }
    return out
  }

  /** is a continuous fault of this kind switched on for the path (no counting)? */
  isOn(kind: FaultKind, path: string): ActiveFault | undefined {
    return this.faults.find((f) => f.kind === kind && (!f.pathPrefix || path.startsWith(f.pathPrefix)))
  }
}

export const HIBERNATING_PAGE =
  '<!DOCTYPE html><html><head><title>Instance Hibernating page</title></head><body><h1>Your instance is hibernating</h1><p>Sign in to wake it up.</p></body></html>'

export const HTML_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>'

// Switchable faults, so client tests can see LeanIX misbehave on purpose: 5xx answers, slow
// answers, a 429 storm, injected REVISION_CLASH. Token revocation lives with the tokens
// (mtm/token-service.ts). Set in-process through the handle or over POST /__emulator/faults.
import { LeanixEmulatorErrors } from './errors.ts'

export interface FaultSettings {
  /** the next `count` requests whose path starts with `pathPrefix` answer `status` */
  failNext: { count: number; status: number; pathPrefix: string } | null
  /** every answer waits this long first */
  latencyMs: number
  /** the next N updateFactSheet mutations fail with REVISION_CLASH */
  revisionClashes: number
  /** every rate-limited request answers 429 as if the budget were spent */
  rateLimitStorm: boolean
}

const DEFAULTS: FaultSettings = { failNext: null, latencyMs: 0, revisionClashes: 0, rateLimitStorm: false }

export class FaultSwitches {
  private settings: FaultSettings = { ...DEFAULTS }

  get current(): Readonly<FaultSettings> {
    return this.settings
  }

  set(partial: Partial<FaultSettings>): void {
    const next = { ...this.settings, ...partial }
    if (!Number.isInteger(next.latencyMs) || next.latencyMs < 0 || next.latencyMs > 120_000) {
      throw new LeanixEmulatorErrors.ADMIN_REQUEST_INVALID('latencyMs must be an integer in 0..120000')
    }
    if (!Number.isInteger(next.revisionClashes) || next.revisionClashes < 0) {
      throw new LeanixEmulatorErrors.ADMIN_REQUEST_INVALID('revisionClashes must be a non-negative integer')
    }
    const fail = next.failNext
    if (fail !== null && (!Number.isInteger(fail.count) || fail.status < 400 || fail.status > 599)) {
      throw new LeanixEmulatorErrors.ADMIN_REQUEST_INVALID('failNext needs an integer count and a status in 400..599')
    }
    this.settings = next
  }

  reset(): void {
    this.settings = { ...DEFAULTS }
  }

  /** The status to fail this request with, consuming one planned failure; null to answer normally. */
  takeFailure(path: string): number | null {
    const fail = this.settings.failNext
    if (fail === null || fail.count <= 0 || !path.startsWith(fail.pathPrefix)) return null
    const count = fail.count - 1
    this.settings = { ...this.settings, failNext: count > 0 ? { ...fail, count } : null }
    return fail.status
  }

  takeRevisionClash(): boolean {
    if (this.settings.revisionClashes <= 0) return false
    this.settings = { ...this.settings, revisionClashes: this.settings.revisionClashes - 1 }
    return true
  }
}

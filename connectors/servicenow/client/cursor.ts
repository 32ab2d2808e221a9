// The opaque strings a read hands out: a cursor that resumes a scan or a delta after the last
// page the caller saw, and a watermark from which the next delta starts. base64url JSON with a
// version, so that a stored cursor from another connector or version is refused, not misread.
import { ServiceNowErrors } from '../errors.ts'

/** A point in ServiceNow's change order: rows after (sys_updated_on, sys_id). id "" = from the start of that second. */
export interface Watermark {
  ts: string
  id: string
}

export interface ScanPartition {
  /** lowest sys_id (inclusive) of the partition; absent for the first */
  lo?: string
  /** sys_id bound (exclusive); absent for the last */
  hi?: string
  /** last sys_id handed out */
  after?: string
  done: boolean
}

export interface ScanState {
  kind: 'scan'
  parts: ScanPartition[]
  /** where the next delta starts once this scan is complete */
  watermark: Watermark
}

export interface DeltaState {
  kind: 'delta'
  /** 'same': rows of second `ts` after `id`; 'after': rows of later seconds up to `to` */
  phase: 'same' | 'after'
  at: Watermark
  /** newest sys_updated_on this delta reads (server time minus the safety lag at its start) */
  to: string
}

export type ReadState = ScanState | DeltaState

const VERSION = 1
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
const SYS_ID = /^[0-9A-Za-z_]{0,64}$/

function encode(value: object): string {
  return Buffer.from(JSON.stringify({ v: VERSION, ...value }), 'utf8').toString('base64url')
}

function decode(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    if (typeof value === 'object' && value !== null && (value as { v?: unknown }).v === VERSION) {
      return value as Record<string, unknown>
    }
  } catch {
    // fall through to the error below
  }
  throw new ServiceNowErrors.BAD_CURSOR(text.slice(0, 40))
}

function isWatermark(value: unknown): value is Watermark {
  const w = value as Watermark
  return typeof w === 'object' && w !== null && TIMESTAMP.test(w.ts) && typeof w.id === 'string' && SYS_ID.test(w.id)
}

function isPartition(value: unknown): value is ScanPartition {
  const p = value as ScanPartition
  const optionalId = (v: unknown) => v === undefined || (typeof v === 'string' && SYS_ID.test(v))
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.done === 'boolean' &&
    optionalId(p.lo) &&
    optionalId(p.hi) &&
    optionalId(p.after)
  )
}

export function encodeState(state: ReadState): string {
  return encode({ s: state })
}

export function decodeState(text: string): ReadState {
  const state = decode(text).s as ReadState | undefined
  if (
    state?.kind === 'scan' &&
    Array.isArray(state.parts) &&
    state.parts.every(isPartition) &&
    isWatermark(state.watermark)
  ) {
    return state
  }
  if (
    state?.kind === 'delta' &&
    (state.phase === 'same' || state.phase === 'after') &&
    isWatermark(state.at) &&
    TIMESTAMP.test(state.to)
  ) {
    return state
  }
  throw new ServiceNowErrors.BAD_CURSOR(text.slice(0, 40))
}

export function encodeWatermark(watermark: Watermark): string {
  return encode({ w: watermark })
}

export function decodeWatermark(text: string): Watermark {
  const watermark = decode(text).w
  if (!isWatermark(watermark)) throw new ServiceNowErrors.BAD_CURSOR(text.slice(0, 40))
  return watermark
}

/** ServiceNow's UTC "YYYY-MM-DD HH:mm:ss" for an instant. */
export function glideDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}

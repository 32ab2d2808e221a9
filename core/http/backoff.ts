// Retry timing shared by every outbound client: exponential backoff with full jitter, bounded,
// and overridden by what the server says (Retry-After, X-RateLimit-Reset) when it says it.
import { setTimeout as delay } from 'node:timers/promises'

export interface BackoffPolicy {
  /** attempts in all, the first one included */
  maxAttempts: number
  /** base delay of the first retry, in ms */
  baseMs: number
  /** upper bound of any single wait, in ms (a server asking for longer fails the call) */
  capMs: number
  /** the whole call, waits included, in ms: no retry is started that would end after it */
  deadlineMs?: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 6, baseMs: 250, capMs: 60_000, deadlineMs: 300_000 }

/** Full jitter: a uniform wait in [0, min(cap, base * 2^retry)). `retry` counts from 0. */
export function jitteredDelay(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** retry)
  return Math.floor(random() * ceiling)
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/**
 * Reads Retry-After (delta-seconds or an HTTP date, RFC 9110 §10.2.3) into a wait in ms, and,
 * on a 429 (or when no status is given), X-RateLimit-Reset (epoch seconds). Undefined when
 * neither is present or readable. X-RateLimit-Reset is ignored on other answers: ServiceNow
 * sends it on every answer while a rate-limit rule applies, where it only says when the window
 * ends, not that anyone should wait for it.
 */
export function serverRequestedDelay(
  headers: Record<string, string | string[] | undefined>,
  now: number = Date.now(),
  status?: number,
): number | undefined {
  const retryAfter = first(headers['retry-after'])?.trim()
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000)
    const at = Date.parse(retryAfter)
    if (!Number.isNaN(at)) return Math.max(0, at - now)
  }
  if (status !== undefined && status !== 429) return undefined
  const reset = first(headers['x-ratelimit-reset'])?.trim()
  if (reset !== undefined && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now)
  return undefined
}

/**
 * The wait before retry number `retry` (0-based): the server's wish when it gave one, otherwise
 * full jitter. Returns undefined when the server asks for more than the policy's cap, so that
 * the caller fails fast instead of sleeping for an hour.
 */
export function nextDelay(
  retry: number,
  policy: BackoffPolicy,
  headers: Record<string, string | string[] | undefined> = {},
  random: () => number = Math.random,
): number | undefined {
  const requested = serverRequestedDelay(headers)
  if (requested !== undefined) return requested > policy.capMs ? undefined : requested
  return jitteredDelay(retry, policy, random)
}

/** Waits `ms`; an abort ends the wait with the signal's reason, as the request it delays would end. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : undefined)
  } catch (error) {
    // timers/promises rejects with its own AbortError; callers tell timeouts from cancels by the reason
    throw signal?.aborted ? signal.reason : error
  }
}

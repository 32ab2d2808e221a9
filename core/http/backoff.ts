// Retry timing shared by every outbound client: exponential backoff with full jitter, bounded,
// and overridden by what the server says (Retry-After, X-RateLimit-Reset) when it says it.

export interface BackoffPolicy {
  /** attempts in all, the first one included */
  maxAttempts: number
  /** base delay of the first retry, in ms */
  baseMs: number
  /** upper bound of any single wait, in ms (a server asking for longer fails the call) */
  capMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 6, baseMs: 250, capMs: 60_000 }

/** Full jitter: a uniform wait in [0, min(cap, base * 2^retry)). `retry` counts from 0. */
export function jitteredDelay(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** retry)
  return Math.floor(random() * ceiling)
}

/**
 * Reads Retry-After (delta-seconds or an HTTP date) and X-RateLimit-Reset (epoch seconds) into
 * a wait in ms; undefined when neither is present or readable.
 */
export function serverRequestedDelay(
  headers: Record<string, string | string[] | undefined>,
  now: number = Date.now(),
): number | undefined {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)
  const retryAfter = first(headers['retry-after'])
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const trimmed = retryAfter.trim()
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000)
    const at = Date.parse(trimmed)
    if (!Number.isNaN(at)) return Math.max(0, at - now)
  }
  const reset = first(headers['x-ratelimit-reset'])
  if (reset !== undefined && /^\d+$/.test(reset.trim())) {
    const epochSeconds = Number(reset.trim())
    return Math.max(0, epochSeconds * 1000 - now)
  }
  return undefined
}

/**
 * The wait before retry number `retry` (0-based): the server's wish when it gave one (never less
 * than the jittered floor of 0), otherwise full jitter. Returns undefined when the server asks for
 * more than the policy's cap, so that the caller fails fast instead of sleeping for an hour.
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

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

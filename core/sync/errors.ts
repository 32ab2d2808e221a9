// Errors of runs and of the sync engine, declared once.
import createError from '@fastify/error'

export const SyncErrors = {
  RUN_NOT_FOUND: createError('CW_RUN_NOT_FOUND', 'No run %s; GET /api/v1/runs lists them', 404),
  RUN_ALREADY_QUEUED: createError(
    'CW_RUN_ALREADY_QUEUED',
    'Mapping %s already has run %s waiting to start; wait for it or cancel it (POST /api/v1/runs/%s/cancel)',
    409,
  ),
  RUN_FINISHED: createError('CW_RUN_FINISHED', 'Run %s has already finished (%s); nothing to cancel', 409),
  MAPPING_DISABLED: createError(
    'CW_RUN_MAPPING_DISABLED',
    'Mapping %s is disabled; enable it (PATCH enabled: true) before running it',
    409,
  ),
  MAPPING_NOT_RUNNABLE: createError('CW_RUN_MAPPING_INVALID', 'Mapping %s cannot run: %s', 409),
  /** another run of the mapping holds the mapping; the job is sent again a little later */
  MAPPING_BUSY: createError('CW_RUN_MAPPING_BUSY', 'Another run of mapping %s is running', 409),
  READ_FAILED: createError('CW_SYNC_READ_FAILED', 'Reading %s %s failed: %s', 502),
  CHANGES_UNKNOWN_CONNECTION: createError(
    'CW_SYNC_CHANGES_CONNECTION',
    'Connection %s is not used by any mapping that takes change events',
    404,
  ),
} as const

/** Whether a failure is worth another attempt of the whole job (a network fault, a 429, a 5xx). */
export function isTransient(error: unknown): boolean {
  const e = error as { retryable?: boolean; code?: string; statusCode?: number; cause?: unknown }
  if (e?.retryable === true) return true
  const code = e?.code ?? ''
  if (/TIMEOUT|RETRIES_EXHAUSTED|CONNECTION_FAILED|UNAVAILABLE|RATE_LIMITED|ECONNRESET|ECONNREFUSED|UND_ERR/.test(code))
    return true
  if (typeof e?.statusCode === 'number' && (e.statusCode === 429 || e.statusCode >= 500)) return true
  return e?.cause !== undefined && e.cause !== error ? isTransient(e.cause) : false
}

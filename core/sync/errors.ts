// Errors of runs and of the sync engine, declared once.
import createError from '@fastify/error'
import { isRetryable } from '../retryable.ts'
import { refusesRuns } from './run-refusal.ts'

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
  MAPPING_DRIFTED: refusesRuns(
    createError(
      'CW_RUN_MAPPING_DRIFTED',
      'Mapping %s cannot run: the schema of custom connector %s changed under it (%s); change those field mappings and save the mapping',
      409,
    ),
  ),
} as const

/**
 * Whether a failure is worth another attempt of the whole job: errors declared retryable (a
 * timeout, a 429, a 5xx, a reset; core/retryable.ts), here or in their causes.
 */
export function isTransient(error: unknown, depth = 0): boolean {
  if (isRetryable(error)) return true
  const e = error as { statusCode?: unknown; cause?: unknown } | null
  if (
    typeof e?.statusCode === 'number' &&
    (e.statusCode === 429 || e.statusCode === 502 || e.statusCode === 503 || e.statusCode === 504)
  )
    return true
  return depth < 5 && e?.cause !== undefined && e.cause !== error ? isTransient(e.cause, depth + 1) : false
}

// Every error the Example connector raises, declared once with a stable CW_EXAMPLE_ code, a
// message that says what to fix, and the HTTP status it maps to.
import createError from '@fastify/error'
import { retryable } from '../../core/retryable.ts'

export const ExampleErrors = {
  SETTINGS_INVALID: createError('CW_EXAMPLE_SETTINGS_INVALID', 'Example connection settings are invalid: %s', 400),
  AUTH_REJECTED: createError(
    'CW_EXAMPLE_AUTH_REJECTED',
    'Example refused the API token (HTTP %d): replace apiToken in the connection',
    401,
  ),
  REQUEST_FAILED: retryable(createError('CW_EXAMPLE_REQUEST_FAILED', 'Example %s failed: %s', 502)),
  ANSWER_INVALID: createError('CW_EXAMPLE_ANSWER_INVALID', 'Example %s answered HTTP %d: %s', 502),
  ENTITY_UNKNOWN: createError('CW_EXAMPLE_ENTITY_UNKNOWN', 'Example has no entity %s; discover lists them', 404),
  RECORD_NOT_FOUND: createError('CW_EXAMPLE_RECORD_NOT_FOUND', 'Example has no %s record %s', 404),
  CURSOR_INVALID: createError(
    'CW_EXAMPLE_CURSOR_INVALID',
    'Example read cursor %s is not one this connector made; start the read again',
    400,
  ),
}

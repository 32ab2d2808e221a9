// Every error the kernel raises, declared once with a stable code, a message that says what
// to fix, and the HTTP status it maps to. Plugins and connectors declare their own in their
// own errors.ts with the same shape; codes are never reused.
import createError from '@fastify/error'
import { retryable } from './retryable.ts'

export const CoreErrors = {
  CONFIG_INVALID: createError('CW_CONFIG_INVALID', 'Configuration is invalid: %s', 500),
  STORE_UNAVAILABLE: retryable(createError('CW_STORE_UNAVAILABLE', 'The store cannot be reached: %s', 503)),
  MIGRATION_FAILED: createError('CW_MIGRATION_FAILED', 'Migration %s failed: %s', 500),
  MIGRATION_TAMPERED: createError(
    'CW_MIGRATION_TAMPERED',
    'Migration %s was changed after it was applied (checksum differs); restore the original file and add a new migration instead',
    500,
  ),
  CONNECTOR_NOT_FOUND: createError(
    'CW_CONNECTOR_NOT_FOUND',
    'No connector named "%s" is installed; GET /api/v1/connectors lists the installed ones',
    404,
  ),
  CONNECTOR_DUPLICATE: createError('CW_CONNECTOR_DUPLICATE', 'A connector named "%s" is already registered', 500),
  URL_CREDENTIALS: createError(
    'CW_URL_CREDENTIALS',
    'Setting %s holds a user name or password in its URL (user:password@host); take them out of the URL and send the password in %s, which the vault seals and never shows',
    400,
  ),
  CONNECTOR_CAPABILITY: createError(
    'CW_CONNECTOR_CAPABILITY',
    'Connector "%s" does not offer the "%s" capability',
    400,
  ),
} as const

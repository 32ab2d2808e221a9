// Every error the kernel raises, declared once with a stable code, a message that says what
// to fix, and the HTTP status it maps to. Plugins and connectors declare their own in their
// own errors.ts with the same shape; codes are never reused.
import createError from '@fastify/error'

export const CoreErrors = {
  CONFIG_INVALID: createError('CW_CONFIG_INVALID', 'Configuration is invalid: %s', 500),
  STORE_UNAVAILABLE: createError('CW_STORE_UNAVAILABLE', 'The store cannot be reached: %s', 503),
  MIGRATION_FAILED: createError('CW_MIGRATION_FAILED', 'Migration %s failed: %s', 500),
  MIGRATION_TAMPERED: createError(
    'CW_MIGRATION_TAMPERED',
    'Migration %s was changed after it was applied (checksum differs); restore the original file and add a new migration instead',
    500,
  ),
  CONNECTOR_UNKNOWN: createError(
    'CW_CONNECTOR_UNKNOWN',
    'No connector named "%s" is registered; GET /api/v1/connectors lists the installed ones',
    400,
  ),
  CONNECTOR_DUPLICATE: createError('CW_CONNECTOR_DUPLICATE', 'A connector named "%s" is already registered', 500),
  CONNECTOR_CAPABILITY: createError(
    'CW_CONNECTOR_CAPABILITY',
    'Connector "%s" does not offer the "%s" capability',
    400,
  ),
  EXTERNAL_TIMEOUT: createError('CW_EXTERNAL_TIMEOUT', '%s did not answer within %d ms', 504),
  EXTERNAL_RETRIES_EXHAUSTED: createError(
    'CW_EXTERNAL_RETRIES_EXHAUSTED',
    '%s still failed after %d attempts: %s',
    502,
  ),
} as const

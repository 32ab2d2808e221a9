// Errors of mappings and their validation, declared once.
import createError from '@fastify/error'

/** One thing wrong with a mapping: where (a JSON pointer into the definition) and what to fix. */
export interface MappingProblem {
  pointer: string
  message: string
}

export const MappingErrors = {
  INVALID: createError('CW_MAPPING_INVALID', 'The mapping is invalid: %s', 400),
  NOT_FOUND: createError('CW_MAPPING_NOT_FOUND', 'No mapping %s; GET /api/v1/mappings lists them', 404),
  NAME_TAKEN: createError('CW_MAPPING_NAME_TAKEN', 'A mapping named "%s" exists already; choose another name', 409),
  VERSION_NOT_FOUND: createError(
    'CW_MAPPING_VERSION_NOT_FOUND',
    'Mapping %s has no version %s; GET /api/v1/mappings/%s/versions lists them',
    404,
  ),
  VERSION_CONFLICT: createError(
    'CW_MAPPING_VERSION_CONFLICT',
    'Mapping %s is at version %s, not %s: someone changed it meanwhile; read it again and re-apply your change',
    409,
  ),
  IN_USE: createError(
    'CW_MAPPING_IN_USE',
    'Mapping %s is the other end of relation mappings in %s; remove those relation mappings first',
    409,
  ),
  SCHEMA_TOO_NEW: createError(
    'CW_MAPPING_SCHEMA_TOO_NEW',
    'Mapping %s was stored by a newer Crosswalk (definition format %s, this one knows %s); upgrade this hub',
    500,
  ),
  DEFAULTS_CONNECTIONS: createError(
    'CW_MAPPING_DEFAULTS_CONNECTIONS',
    'CSDM defaults need a LeanIX and a ServiceNow connection: %s',
    400,
  ),
} as const

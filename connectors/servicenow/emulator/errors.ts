// Errors the emulator itself raises (configuration and admin API misuse). Errors a real
// instance would answer are not here: those are ServiceNow envelopes (table-api/envelope.ts).
import createError from '@fastify/error'

export const EmulatorErrors = {
  SCHEMA_INVALID: createError('CW_SNEMU_SCHEMA_INVALID', 'Emulator schema change refused: %s', 400),
  TABLE_UNKNOWN: createError('CW_SNEMU_TABLE_UNKNOWN', 'Emulator has no table "%s"', 400),
  FAULT_INVALID: createError('CW_SNEMU_FAULT_INVALID', 'Emulator fault refused: %s', 400),
  OPTIONS_INVALID: createError('CW_SNEMU_OPTIONS_INVALID', 'Emulator options invalid: %s', 500),
  ADMIN_INVALID: createError('CW_SNEMU_ADMIN_INVALID', 'Emulator admin request invalid: %s', 400),
} as const

// Errors the emulator itself raises (bad options, bad admin requests). The errors it *emulates*
// (LeanIX's own GraphQL and HTTP error answers) live in pathfinder/graphql-errors.ts, because
// they must look like LeanIX's, not like ours.
import createError from '@fastify/error'

export const LeanixEmulatorErrors = {
  OPTIONS_INVALID: createError('CW_LEANIX_EMU_OPTIONS_INVALID', 'LeanIX emulator options are invalid: %s', 500),
  SEED_INVALID: createError('CW_LEANIX_EMU_SEED_INVALID', 'LeanIX emulator seed is invalid: %s', 500),
  ADMIN_REQUEST_INVALID: createError(
    'CW_LEANIX_EMU_ADMIN_REQUEST_INVALID',
    'Emulator admin request is invalid: %s',
    400,
  ),
} as const

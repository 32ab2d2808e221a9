// Errors of access control, declared once. Messages name what is missing and how to get it;
// they never echo a presented token.
import createError from '@fastify/error'
import { retryable } from '../retryable.ts'

export const AuthErrors = {
  REQUIRED: createError(
    'CW_AUTH_REQUIRED',
    'This route needs a valid bearer token (header "Authorization: Bearer <token>"); %s',
    401,
  ),
  FORBIDDEN: createError(
    'CW_AUTH_FORBIDDEN',
    'This needs the %s role; the token "%s" has the %s role. Ask an admin for a token with that role',
    403,
  ),
  TOKEN_NOT_FOUND: createError('CW_AUTH_TOKEN_NOT_FOUND', 'No token with id %s; GET /api/v1/tokens lists them', 404),
  TOKEN_REVOKED: createError('CW_AUTH_TOKEN_REVOKED', 'Token %s is already revoked', 409),
  LAST_ADMIN: createError(
    'CW_AUTH_LAST_ADMIN',
    'Token %s is the last active admin token; create another admin token before revoking it',
    409,
  ),
  RATE_LIMITED: retryable(
    createError(
      'CW_RATE_LIMITED',
      'More than %s from this %s; retry after %d s (the Retry-After header says when)',
      429,
    ),
  ),
  LOCKED_OUT: createError(
    'CW_AUTH_LOCKED_OUT',
    'Too many wrong secrets for this client id; it is refused for %d s more, whatever the secret (the Retry-After header says when)',
    429,
  ),
} as const

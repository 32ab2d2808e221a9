// GraphQL-specific errors, declared once.
import createError from '@fastify/error'

export const GraphqlErrors = {
  FORBIDDEN: createError('CW_AUTH_FORBIDDEN', 'This operation needs the %s role; your token has %s', 403),
} as const

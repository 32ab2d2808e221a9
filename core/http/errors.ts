// Errors of the outbound HTTP layer itself (not of a system it talks to), declared once.
import createError from '@fastify/error'

export const EgressErrors = {
  PRIVATE_NETWORK: createError(
    'CW_EGRESS_PRIVATE_NETWORK',
    'Refused to connect to %s: it is a %s address, and outbound requests to private networks are off; set egress.allowPrivateNetworks (CROSSWALK_EGRESS_ALLOW_PRIVATE_NETWORKS) to true to allow them',
    400,
  ),
} as const

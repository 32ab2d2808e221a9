// Every error the ServiceNow SAM connector and its sizing advisor raise, declared once with a
// stable code, a message that says what to fix, and the HTTP status the hub answers with.
import createError from '@fastify/error'

export const SamErrors = {
  NOT_SERVICENOW: createError(
    'CW_SAM_NOT_SERVICENOW',
    'Connection %s uses the "%s" connector; the sizing advisor counts the tables of a ServiceNow connection, so name one of those',
    400,
  ),
  FILTER_INVALID: createError(
    'CW_SAM_FILTER_INVALID',
    'The discovery model filter is not an encoded query ServiceNow can run: %s; fix it, or leave it out to use the SAP LeanIX example filter',
    400,
  ),
  NOT_LEANIX: createError(
    'CW_SAM_NOT_LEANIX',
    'Connection %s uses the "%s" connector; IT components are synced to a LeanIX connection, so name one of those as leanixConnectionId',
    400,
  ),
  FLOW_NAME_TAKEN: createError(
    'CW_SAM_FLOW_NAME_TAKEN',
    'A mapping named "%s" exists already between other connections; choose another prefix for this pair of connections',
    409,
  ),
  GRAPH_RULE_UNKNOWN: createError(
    'CW_SAM_GRAPH_RULE_UNKNOWN',
    'Graph rule %s does not apply to %s; the rules for that table are: %s',
    400,
  ),
  BAD_CURSOR: createError(
    'CW_SAM_BAD_CURSOR',
    'The graph-rule read cursor "%s" was not written by this connector; start the read again without it',
    400,
  ),
} as const

// Errors the CLI finds itself, before or instead of a hub answer, declared once. Errors the hub
// answers keep the hub's own code (cli/hub-client.ts).
import createError from '@fastify/error'

export const CliErrors = {
  HUB_UNREACHABLE: createError(
    'CW_CLI_HUB_UNREACHABLE',
    'Cannot reach the hub at %s: %s; check --url (CROSSWALK_URL) and that the hub is running',
    502,
  ),
  NOT_A_HUB: createError(
    'CW_CLI_NOT_A_HUB',
    '%s answered %s with HTTP %s and no Crosswalk error body; check that --url (CROSSWALK_URL) is the hub',
    502,
  ),
  BAD_URL: createError('CW_CLI_BAD_URL', 'The hub URL "%s" is not an http(s) URL; pass --url http://host:port', 400),
  TOKEN_MISSING: createError(
    'CW_CLI_TOKEN_MISSING',
    'No bearer token: set CROSSWALK_TOKEN (or pass --token) to a token of the hub (viewer to read, operator to plan, sync and cancel)',
    401,
  ),
  MAPPING_UNKNOWN: createError(
    'CW_CLI_MAPPING_UNKNOWN',
    'No mapping has the id or name "%s"; `crosswalk mappings` lists them',
    404,
  ),
  CONNECTION_UNKNOWN: createError(
    'CW_CLI_CONNECTION_UNKNOWN',
    'No connection has the id or name "%s"; GET /api/v1/connections lists them',
    404,
  ),
} as const

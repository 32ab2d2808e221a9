// Errors of custom connectors (tables of a connection registered at run time), declared once.
import createError from '@fastify/error'
import { refusesRuns } from '../sync/run-refusal.ts'

export const CustomConnectorErrors = {
  NOT_FOUND: createError(
    'CW_CUSTOM_CONNECTOR_NOT_FOUND',
    'No custom connector %s; GET /api/v1/custom-connectors lists them',
    404,
  ),
  NAME_INVALID: createError(
    'CW_CUSTOM_CONNECTOR_NAME_INVALID',
    'Custom connector name "%s" is not allowed: use 2 to 64 lower-case letters, digits, "_" or "-", starting with a letter',
    400,
  ),
  NAME_TAKEN: createError(
    'CW_CUSTOM_CONNECTOR_NAME_TAKEN',
    'A connector named "%s" exists already (%s); choose another name',
    409,
  ),
  ENTITY_INVALID: createError(
    'CW_CUSTOM_CONNECTOR_ENTITY_INVALID',
    '"%s" is not a table or type name: use letters, digits and "_" only, starting with a letter (at most 80 characters)',
    400,
  ),
  ENTITY_TAKEN: createError(
    'CW_CUSTOM_CONNECTOR_ENTITY_TAKEN',
    'Connection %s has a custom connector for %s already ("%s"); change or remove that one',
    409,
  ),
  BASE_UNSUPPORTED: createError(
    'CW_CUSTOM_CONNECTOR_BASE_UNSUPPORTED',
    'Connection %s uses connector "%s", which cannot %s; custom connectors need a connection whose connector discovers, reads, writes and looks up entities (ServiceNow, SAP LeanIX)',
    400,
  ),
  ENTITY_NOT_FOUND: createError(
    'CW_CUSTOM_CONNECTOR_ENTITY_NOT_FOUND',
    'Connection %s has no table or fact sheet type "%s" that its user can see; check the name (case-sensitive) and that it exists (ServiceNow: in its dictionary; SAP LeanIX: in the workspace\'s data model)',
    400,
  ),
  ENTITY_UNREADABLE: createError(
    'CW_CUSTOM_CONNECTOR_ENTITY_UNREADABLE',
    'The user of connection %s may not read %s: %s; give it a role that may read it (ServiceNow: one whose ACLs allow reading the table), then register the connector again',
    400,
  ),
  FIELD_NOT_FOUND: createError<'CW_CUSTOM_CONNECTOR_FIELD_NOT_FOUND', 400, [string, string, string, string]>(
    'CW_CUSTOM_CONNECTOR_FIELD_NOT_FOUND',
    '%s "%s" is not a field of %s (it has %s); name one of its fields',
    400,
  ),
  FIELD_INVALID: createError('CW_CUSTOM_CONNECTOR_FIELD_INVALID', '%s "%s" cannot serve: %s', 400),
  FILTER_INVALID: createError('CW_CUSTOM_CONNECTOR_FILTER_INVALID', 'The constraint is not a valid %s filter: %s', 400),
  DISCOVERY_FAILED: createError<'CW_CUSTOM_CONNECTOR_DISCOVERY_FAILED', 424, [string, string, string, string]>(
    'CW_CUSTOM_CONNECTOR_DISCOVERY_FAILED',
    'Connection %s could not describe %s: %s; POST /api/v1/connections/%s/check says what to fix',
    424,
  ),
  REMOVED: refusesRuns(
    createError(
      'CW_CUSTOM_CONNECTOR_REMOVED',
      'Mapping %s cannot run: custom connector %s, whose table it maps, was removed; its links are kept until the cleanup is confirmed (POST /api/v1/custom-connectors/%s/cleanup)',
      409,
    ),
  ),
  UNCHANGEABLE: createError(
    'CW_CUSTOM_CONNECTOR_UNCHANGEABLE',
    'The %s of custom connector %s cannot be changed: with another connection, table, name or key it is another connector; remove it (DELETE /api/v1/custom-connectors/%s) and register the new one. A change may set displayField, fields and filter',
    400,
  ),
  CHANGED_MEANWHILE: createError<'CW_CUSTOM_CONNECTOR_CHANGED_MEANWHILE', 409, [string, string, string, string]>(
    'CW_CUSTOM_CONNECTOR_CHANGED_MEANWHILE',
    'Custom connector %s was changed at %s, not at %s as you read it: someone changed it meanwhile; read it again (GET /api/v1/custom-connectors/%s) and re-apply your change',
    409,
  ),
  REMOVED_UNCHANGEABLE: createError(
    'CW_CUSTOM_CONNECTOR_REMOVED_UNCHANGEABLE',
    'Custom connector %s was removed and cannot be changed; confirm its cleanup, then register it again',
    409,
  ),
  CLEANUP_UNCONFIRMED: createError(
    'CW_CUSTOM_CONNECTOR_CLEANUP_UNCONFIRMED',
    'The cleanup of custom connector %s deletes the links of its mappings for good; send confirm: "%s" to confirm it',
    400,
  ),
  NOT_REMOVED: createError(
    'CW_CUSTOM_CONNECTOR_NOT_REMOVED',
    'Custom connector %s is not removed; remove it first (DELETE /api/v1/custom-connectors/%s)',
    409,
  ),
} as const

// A custom table made on the ServiceNow emulator at run time, the way an admin makes one: by
// inserting sys_db_object, sys_dictionary and sys_choice records over the Table API.
import type { Test } from 'tap'
import type { SyncHarness } from '../../helpers/sync-harness.ts'

export const CLOUD_ACCOUNT_COLUMNS: ReadonlyArray<[string, string, Record<string, string>?]> = [
  ['u_account_id', 'string', { mandatory: 'true', max_length: '64' }],
  ['u_name', 'string'],
  ['u_provider', 'choice'],
  ['u_monthly_cost', 'decimal'],
  ['u_notes', 'string'],
  ['u_owner', 'reference', { reference: 'sys_user' }],
]

/** a table `name` with `columns`, extending `superClass` when given; its sys_db_object sys_id */
export async function makeTable(
  h: SyncHarness,
  name: string,
  columns: ReadonlyArray<[string, string, Record<string, string>?]>,
  table: { superClass?: string; extendable?: boolean } = {},
): Promise<string> {
  const made = await h.snInsert('sys_db_object', {
    name,
    label: name.replace(/^u_/, '').replace(/_/g, ' '),
    ...(table.superClass ? { super_class: table.superClass } : {}),
    ...(table.extendable ? { is_extendable: 'true' } : {}),
  })
  for (const [element, internalType, extra] of columns)
    await h.snInsert('sys_dictionary', {
      name,
      element,
      internal_type: internalType,
      column_label: element.replace(/^u_/, '').replace(/_/g, ' '),
      ...extra,
    })
  return made.sys_id as string
}

/** u_cloud_account (extensible), with the choices of u_provider */
export async function makeCloudAccount(h: SyncHarness): Promise<void> {
  await makeTable(h, 'u_cloud_account', CLOUD_ACCOUNT_COLUMNS, { extendable: true })
  for (const [value, sequence] of [
    ['aws', '1'],
    ['azure', '2'],
    ['gcp', '3'],
  ] as const)
    await h.snInsert('sys_choice', {
      name: 'u_cloud_account',
      element: 'u_provider',
      value,
      label: value.toUpperCase(),
      sequence,
      language: 'en',
      inactive: 'false',
    })
}

/** POST /api/v1/custom-connectors for u_cloud_account of the harness's ServiceNow connection, with `change` over it */
export function registerCloudAccounts(h: SyncHarness, change: Record<string, unknown> = {}) {
  return h.hub.inject({
    method: 'POST',
    url: '/api/v1/custom-connectors',
    payload: {
      name: 'cloud-accounts',
      connectionId: h.snConnectionId,
      entity: 'u_cloud_account',
      keyField: 'u_account_id',
      displayField: 'u_name',
      ...change,
    },
  })
}

/**
 * Rediscovers custom connector `name` and checks the drift it finds: the schema `changes`, the
 * mapping flagged at `pointers`, and its runs refused with a message matching each of `why`.
 */
export async function expectDrift(
  t: Test,
  h: SyncHarness,
  name: string,
  mappingId: string,
  expected: { changes: Record<string, unknown>; pointers: string[]; why: RegExp[] },
): Promise<void> {
  const rediscovered = await h.hub.inject({ method: 'POST', url: `/api/v1/custom-connectors/${name}/discover` })
  t.equal(rediscovered.statusCode, 200, rediscovered.body)
  t.match(rediscovered.json().changes, expected.changes)
  const [drifted] = rediscovered.json().drifted as Array<{ id: string; problems: Array<{ pointer: string }> }>
  t.equal(drifted?.id, mappingId, 'the mapping that uses the fields is flagged')
  t.same(drifted?.problems.map((p) => p.pointer).sort(), expected.pointers)

  const refused = await h.hub.inject({ method: 'POST', url: `/api/v1/mappings/${mappingId}/runs`, payload: {} })
  t.equal(refused.statusCode, 409, refused.body)
  t.equal(refused.json().code, 'CW_RUN_MAPPING_DRIFTED')
  for (const why of expected.why) t.match(refused.json().message, why)
}

/** POST /api/v1/mappings of a mapping expected to be refused: its status, code and problem pointers */
export async function mappingRefusal(
  h: SyncHarness,
  payload: Record<string, unknown>,
): Promise<{ statusCode: number; code: string; pointers: string[] }> {
  const res = await h.hub.inject({ method: 'POST', url: '/api/v1/mappings', payload })
  const body = res.json() as { code: string; problems?: Array<{ pointer: string }> }
  return { statusCode: res.statusCode, code: body.code, pointers: (body.problems ?? []).map((p) => p.pointer) }
}

/** PATCH /api/v1/mappings/:id with new field mappings (a drifted mapping mended), checked saved */
export async function saveFields(t: Test, h: SyncHarness, mappingId: string, fields: unknown[]): Promise<void> {
  const res = await h.hub.inject({ method: 'PATCH', url: `/api/v1/mappings/${mappingId}`, payload: { fields } })
  t.equal(res.statusCode, 200, res.body)
}

// What registering a custom connector refuses, each with its CW_ code, and that a refusal leaves
// nothing behind: unknown tables, tables the connection's user may not read, names taken by
// built-in connectors, fields that do not exist, and names made to reach an encoded query or a
// URL path.
import { test } from 'tap'
import { SN_HUB_USER, SN_PASSWORD, syncHarness } from '../../helpers/sync-harness.ts'
import { makeCloudAccount } from './helpers.ts'

test('bad registrations are refused with CW_ codes and leave nothing behind', async (t) => {
  const h = await syncHarness(t, {
    servicenow: {
      users: [
        { userName: SN_HUB_USER, password: SN_PASSWORD, roles: ['admin'], email: 'crosswalk.hub@example.com' },
        { userName: 'limited', password: SN_PASSWORD, roles: ['itil'], email: 'limited@example.com' },
      ],
    },
  })
  await makeCloudAccount(h)
  await h.snInsert('u_cloud_account', { u_account_id: 'aws-1', u_name: 'one', u_provider: 'aws' })
  // only a role the limited user lacks may read the table; the dictionary stays readable
  h.sn.instance.acl.add({ table: 'u_cloud_account', operation: 'read', roles: ['u_cloud_reader'] })
  const limited = await h.hub.app.connections.create({
    name: 'servicenow limited',
    connector: 'servicenow',
    settings: { instanceUrl: h.sn.url, allowHttp: true, authKind: 'basic', username: 'limited', password: SN_PASSWORD },
  })

  const good = {
    name: 'cloud-accounts',
    connectionId: h.snConnectionId,
    entity: 'u_cloud_account',
    keyField: 'u_account_id',
    displayField: 'u_name',
  }
  const cases: Array<[string, Record<string, unknown>, number, string]> = [
    ['an unknown table', { entity: 'u_no_such_table' }, 400, 'CW_CUSTOM_CONNECTOR_ENTITY_NOT_FOUND'],
    ['a table the user may not read', { connectionId: limited.id }, 400, 'CW_CUSTOM_CONNECTOR_ENTITY_UNREADABLE'],
    ['the name of a built-in connector', { name: 'servicenow' }, 409, 'CW_CUSTOM_CONNECTOR_NAME_TAKEN'],
    ['a key field that does not exist', { keyField: 'u_nope' }, 400, 'CW_CUSTOM_CONNECTOR_FIELD_NOT_FOUND'],
    [
      'a subset field that does not exist',
      { fields: ['u_notes', 'u_gone'] },
      400,
      'CW_CUSTOM_CONNECTOR_FIELD_NOT_FOUND',
    ],
    ['a reference as the key', { keyField: 'u_owner' }, 400, 'CW_CUSTOM_CONNECTOR_FIELD_INVALID'],
    [
      'an encoded query in the table name',
      { entity: 'u_cloud_account^ORsys_id!=x' },
      400,
      'CW_CUSTOM_CONNECTOR_ENTITY_INVALID',
    ],
    ['a path in the table name', { entity: '../sys_user' }, 400, 'CW_CUSTOM_CONNECTOR_ENTITY_INVALID'],
    [
      'an encoded path in the table name',
      { entity: 'u_cloud_account%2F..%2Fsys_user' },
      400,
      'CW_CUSTOM_CONNECTOR_ENTITY_INVALID',
    ],
    [
      'an encoded query in a field name',
      { keyField: 'u_account_id^NQsys_idISNOTEMPTY' },
      400,
      'CW_CUSTOM_CONNECTOR_FIELD_INVALID',
    ],
    ['a path in the name', { name: '../connectors' }, 400, 'CW_CUSTOM_CONNECTOR_NAME_INVALID'],
    ['a malformed constraint', { filter: 'u_providerBETWEEN' }, 400, 'CW_CUSTOM_CONNECTOR_FILTER_INVALID'],
    ['no such connection', { connectionId: '00000000-0000-4000-8000-000000000000' }, 404, 'CW_CONNECTION_NOT_FOUND'],
  ]
  for (const [what, change, status, code] of cases) {
    const res = await h.hub.inject({
      method: 'POST',
      url: '/api/v1/custom-connectors',
      payload: { ...good, ...change },
    })
    t.equal(res.statusCode, status, `${what}: ${res.body}`)
    t.equal(res.json().code, code, what)
  }
  t.match(
    (
      await h.hub.inject({
        method: 'POST',
        url: '/api/v1/custom-connectors',
        payload: { ...good, connectionId: limited.id },
      })
    ).json().message,
    /may not read u_cloud_account/,
    'the refusal says what to fix',
  )

  const none = await h.hub.inject({ url: '/api/v1/custom-connectors' })
  t.same(none.json(), { items: [], total: 0 }, 'nothing half-registered')
  const { rows } = await h.hub.db.query('select count(*)::int as n from custom_connectors')
  t.same(rows, [{ n: 0 }])

  t.equal((await h.hub.inject({ method: 'POST', url: '/api/v1/custom-connectors', payload: good })).statusCode, 201)
  const again = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/custom-connectors',
    payload: { ...good, entity: 'u_cloud_account', name: 'cloud-accounts-2' },
  })
  t.match(again, { statusCode: 409 })
  t.equal(again.json().code, 'CW_CUSTOM_CONNECTOR_ENTITY_TAKEN', 'one custom connector per table of a connection')
  const sameName = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/custom-connectors',
    payload: { ...good, connectionId: limited.id, entity: 'sys_user', keyField: 'user_name', displayField: 'name' },
  })
  t.equal(sameName.statusCode, 409, sameName.body)
  t.equal(sameName.json().code, 'CW_CUSTOM_CONNECTOR_NAME_TAKEN', 'names are unique among custom connectors too')
  t.equal((await h.hub.inject({ url: '/api/v1/custom-connectors' })).json().total, 1)

  const dropConnection = await h.hub.inject({ method: 'DELETE', url: `/api/v1/connections/${h.snConnectionId}` })
  t.equal(dropConnection.statusCode, 409, 'the connection of a custom connector stays')
  t.match(dropConnection.json(), { code: 'CW_CONNECTION_IN_USE', message: /custom connector "cloud-accounts"/ })

  const viewer = await h.hub.token('viewer')
  const denied = await h.hub.inject({ method: 'POST', url: '/api/v1/custom-connectors', payload: good }, viewer)
  t.equal(denied.statusCode, 403, 'registering is for admins')
})

// A LeanIX custom connector with a constraint (a facet filter): only the fact sheets it lets
// through are read, a mapping's own filter on that type is joined to it, and a mapping filter that
// narrows the same part again (no single LeanIX filter says both) is refused when the mapping is
// saved, at its filter, naming the connector, instead of failing at run time.
import { test } from 'tap'
import { syncHarness } from '../../helpers/sync-harness.ts'
import { addCloudAccountType, editDataModel } from '../leanix-emulator/data-model-admin.ts'
import { makeCloudAccount, mappingRefusal } from './helpers.ts'

const ONLY_AWS = JSON.stringify({ facetFilters: [{ facetKey: 'provider', operator: 'OR', keys: ['aws'] }] })

test("a LeanIX custom connector's constraint narrows what its mappings read", async (t) => {
  const h = await syncHarness(t)
  await makeCloudAccount(h)
  const model = await editDataModel(h.lx.url, h.lx.apiTokens.architect ?? h.lx.apiToken, addCloudAccountType)
  t.equal(model.status, 200, JSON.stringify(model.body))
  for (const [name, provider, accountId] of [
    ['cwlc Payments AWS', 'aws', 'aws-1'],
    ['cwlc Archive AWS', 'aws', 'aws-2'],
    ['cwlc Billing Azure', 'azure', 'az-1'],
  ] as const) {
    await h.lxCreate('CloudAccount', name, [
      { op: 'replace', path: '/provider', value: provider },
      { op: 'replace', path: '/accountId', value: accountId },
    ])
  }

  const registered = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/custom-connectors',
    payload: {
      name: 'lx-aws-accounts',
      connectionId: h.lxConnectionId,
      entity: 'CloudAccount',
      keyField: 'accountId',
      displayField: 'name',
      filter: ONLY_AWS,
    },
  })
  t.equal(registered.statusCode, 201, registered.body)
  t.equal(registered.json().filter, ONLY_AWS, 'the constraint is kept as given')

  const side = {
    source: { connectionId: h.lxConnectionId, entity: 'CloudAccount' },
    // the table has no correlation_id: the fact sheet's id is kept in u_notes
    target: { connectionId: h.snConnectionId, entity: 'u_cloud_account', identityField: 'u_notes' },
    mode: 'additive',
    matching: { rules: [] },
    fields: [
      { type: 'field', source: 'name', target: 'u_name' },
      { type: 'field', source: 'accountId', target: 'u_account_id' },
      { type: 'field', source: 'provider', target: 'u_provider' },
    ],
  }
  const twice = await mappingRefusal(h, {
    name: 'aws accounts, provider twice',
    ...side,
    source: { ...side.source, filter: JSON.stringify({ facetFilters: [{ facetKey: 'provider', keys: ['gcp'] }] }) },
  })
  t.same(
    twice,
    { statusCode: 400, code: 'CW_MAPPING_INVALID', pointers: ['/source/filter'] },
    'a filter on the facet the constraint narrows is refused at the filter',
  )
  const problems = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/mappings',
    payload: { name: 'aws accounts, provider twice', ...side, source: { ...side.source, filter: ONLY_AWS } },
  })
  t.match(
    problems.json().problems,
    [{ pointer: '/source/filter', message: /lx-aws-accounts.*facet provider/ }],
    'saying which connector and which facet',
  )

  // the mapping's own filter is joined to the constraint: aws AND "Payments"
  const narrowed = await h.createMapping({
    name: 'aws payments accounts',
    ...side,
    source: { ...side.source, filter: JSON.stringify({ fullTextSearch: 'Payments' }) },
  })
  const first = await h.run(narrowed)
  t.equal(first.status, 'OK', first.message ?? '')
  t.same(
    (await h.snRows('u_cloud_account', 'u_nameSTARTSWITHcwlc', ['u_account_id'])).map((r) => r.u_account_id),
    ['aws-1'],
    'only the aws account the mapping filter also lets through',
  )

  const all = await h.createMapping({ name: 'aws accounts', ...side })
  const second = await h.run(all)
  t.equal(second.status, 'OK', second.message ?? '')
  t.same(
    (await h.snRows('u_cloud_account', 'u_nameSTARTSWITHcwlc', ['u_account_id'])).map((r) => r.u_account_id).sort(),
    ['aws-1', 'aws-2'],
    'every aws account, no azure one',
  )
})

// The registration path is the contract's, not ServiceNow's: a fact sheet type of a LeanIX
// connection is described from the workspace's data model and registered with a field subset.
// LeanIX facet filters cannot be ANDed by the hub (the connector has no andFilters), so a
// constraint is refused rather than dropped.
import { test } from 'tap'
import { syncHarness } from '../../helpers/sync-harness.ts'

test('a LeanIX fact sheet type registers from the data model; a constraint is refused', async (t) => {
  const h = await syncHarness(t)
  const register = (change: Record<string, unknown> = {}) =>
    h.hub.inject({
      method: 'POST',
      url: '/api/v1/custom-connectors',
      payload: {
        name: 'providers',
        connectionId: h.lxConnectionId,
        entity: 'Provider',
        keyField: 'name',
        displayField: 'name',
        fields: ['description'],
        ...change,
      },
    })
  const constrained = await register({ filter: JSON.stringify({ fullTextSearch: 'x' }) })
  t.equal(constrained.statusCode, 400, constrained.body)
  t.equal(constrained.json().code, 'CW_CUSTOM_CONNECTOR_BASE_UNSUPPORTED')
  t.equal((await register({ entity: 'NoSuchType' })).json().code, 'CW_CUSTOM_CONNECTOR_ENTITY_NOT_FOUND')

  const created = await register()
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.json().baseConnector, 'leanix')
  t.same(
    (created.json().schema.fields as Array<{ name: string }>).map((f) => f.name).sort(),
    ['description', 'name'],
    'the subset of the fact sheet type',
  )
})

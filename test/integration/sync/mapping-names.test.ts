// A mapping's name is unique: creating or renaming onto a name that is taken is refused with
// CW_MAPPING_NAME_TAKEN (409), mapped from the store's unique violation once
// (core/store/constraint-errors.ts), and nothing is saved.
import { test } from 'tap'
import { syncHarness } from '../../helpers/sync-harness.ts'

test('a name that is taken is refused on create and on rename; another name is saved', async (t) => {
  const h = await syncHarness(t)
  const defaults = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/mappings/defaults',
    payload: { leanixConnectionId: h.lxConnectionId, servicenowConnectionId: h.snConnectionId },
  })
  t.equal(defaults.statusCode, 201, defaults.body)
  const [first, second] = defaults.json().items as Array<{ id: string; name: string; version: number }>
  const existing = await h.hub.inject({ method: 'GET', url: `/api/v1/mappings/${first?.id}` })
  t.equal(existing.statusCode, 200, existing.body)

  const again = await h.hub.inject({ method: 'POST', url: '/api/v1/mappings', payload: existing.json().definition })
  t.equal(again.statusCode, 409, again.body)
  t.equal(again.json().code, 'CW_MAPPING_NAME_TAKEN')
  const list = await h.hub.inject({ method: 'GET', url: '/api/v1/mappings' })
  t.equal(list.json().items.length, 2, 'nothing was created')

  const rename = await h.hub.inject({
    method: 'PATCH',
    url: `/api/v1/mappings/${second?.id}`,
    payload: { name: first?.name },
  })
  t.equal(rename.statusCode, 409, rename.body)
  t.equal(rename.json().code, 'CW_MAPPING_NAME_TAKEN')
  const unchanged = await h.hub.inject({ method: 'GET', url: `/api/v1/mappings/${second?.id}` })
  t.equal(unchanged.json().name, second?.name, 'the refused rename saved nothing')
  t.equal(unchanged.json().version, second?.version, 'and made no version')

  const renamed = await h.hub.inject({
    method: 'PATCH',
    url: `/api/v1/mappings/${second?.id}`,
    payload: { name: 'Applications, renamed' },
  })
  t.equal(renamed.statusCode, 200, renamed.body)
  t.equal(renamed.json().name, 'Applications, renamed')
})

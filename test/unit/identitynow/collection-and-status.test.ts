// SailPoint collection parameters and status maps.
import { test } from 'tap'
import { parseFilters, parseSorters } from '../../../connectors/identitynow/api/collection-params.ts'
import { mapStatus, validateStatusMap, REQUEST_STATE_MAP } from '../../../connectors/identitynow/status/status-map.ts'
import { validateStatusCheck } from '../../../connectors/identitynow/integrations/status-check.ts'

test('filters and sorters', async (t) => {
  t.same(parseFilters('name eq "A \\"quoted\\" name"'), [{ field: 'name', values: ['A "quoted" name'] }])
  t.same(parseFilters('id in ("a", "b") and type eq "ServiceNowSDIM"'), [
    { field: 'id', values: ['a', 'b'] },
    { field: 'type', values: ['ServiceNowSDIM'] },
  ])
  t.same(parseFilters(undefined), [])
  t.throws(() => parseFilters('name in ("a")'), { code: 'CW_IDN_BAD_COLLECTION_PARAM' }, 'name supports eq only')
  t.throws(() => parseFilters('owner eq "x"'), { code: 'CW_IDN_BAD_COLLECTION_PARAM' })
  t.throws(() => parseFilters('name eq "a" or name eq "b"'), { code: 'CW_IDN_BAD_COLLECTION_PARAM' })
  t.same(parseSorters('-name'), [{ field: 'name', descending: true }])
  t.throws(() => parseSorters('created'), { code: 'CW_IDN_BAD_COLLECTION_PARAM' })
})

test('status maps: validated on save, unknown states stay Queued with a warning', async (t) => {
  t.throws(() => validateStatusMap({ a: 'Queued' }), { code: 'CW_IDN_STATUS_MAP_INVALID' }, 'one Committed needed')
  t.throws(() => validateStatusMap({ a: 'Committed', b: 'Done' }), { code: 'CW_IDN_STATUS_MAP_INVALID' })
  t.throws(() => validateStatusMap(['Committed']), { code: 'CW_IDN_STATUS_MAP_INVALID' })
  t.same(mapStatus(REQUEST_STATE_MAP, 'closed_complete'), { status: 'Committed' })
  t.same(mapStatus(REQUEST_STATE_MAP, 'closed_rejected'), { status: 'Failed' })
  t.match(mapStatus(REQUEST_STATE_MAP, 'on_hold'), { status: 'Queued', warning: /not in the status map/ })
  t.match(
    mapStatus(REQUEST_STATE_MAP, 'constructor'),
    { status: 'Queued', warning: /not in the status map/ },
    'own keys only',
  )
})

test('status-check configuration is whole numbers given as strings', async (t) => {
  t.same(validateStatusCheck({ provisioningStatusCheckIntervalMinutes: '30', provisioningMaxStatusCheckDays: 2 }), {
    provisioningStatusCheckIntervalMinutes: '30',
    provisioningMaxStatusCheckDays: '2',
  })
  t.throws(
    () => validateStatusCheck({ provisioningStatusCheckIntervalMinutes: '0', provisioningMaxStatusCheckDays: '2' }),
    {
      code: 'CW_IDN_STATUS_CHECK_INVALID',
    },
  )
  t.throws(() =>
    validateStatusCheck({ provisioningStatusCheckIntervalMinutes: '1.5', provisioningMaxStatusCheckDays: '2' }),
  )
})

// matches(filter, record): a LeanIX facet filter evaluated locally with the inventory's
// semantics (docs/reference/leanix.md §3.1 FilterInput / FacetFilter).
import { test } from 'tap'
import { matchesFilter } from '../../../connectors/leanix/facet-filter.ts'
import { parseFilter } from '../../../connectors/leanix/client/filter.ts'

const app = {
  id: 'a1',
  type: 'Application',
  name: 'Billing Service',
  status: 'ACTIVE',
  lxState: 'APPROVED',
  level: 1,
  businessCriticality: 'missionCritical',
  platforms: ['windows', 'linux'],
  tags: [
    { id: 't-cloud', name: 'Cloud', tagGroup: null },
    { id: 't-gold', name: 'Gold', tagGroup: { id: 'tg-tier', name: 'Tier' } },
  ],
  lifecycle: {
    phases: [
      { phase: 'plan', startDate: '2020-01-01' },
      { phase: 'active', startDate: '2021-01-01' },
      { phase: 'endOfLife', startDate: '2030-01-01' },
    ],
  },
  serviceNowExternalId: { externalId: 'sys-1' },
  relApplicationToITComponent: [{ relationId: 'r1', factSheetId: 'itc-1' }],
}

const f = (facetFilters: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ facetFilters, ...extra })
const TODAY = '2026-06-01'
const m = (filter: string, record: Record<string, unknown> = app) => matchesFilter(filter, record, TODAY)

test('type, field, and operator semantics', async (t) => {
  t.ok(m(f([{ facetKey: 'FactSheetTypes', keys: ['Application'] }])))
  t.notOk(m(f([{ facetKey: 'FactSheetTypes', keys: ['ITComponent'] }])))
  t.ok(m(f([{ facetKey: 'businessCriticality', keys: ['missionCritical', 'businessCritical'], operator: 'OR' }])))
  t.notOk(m(f([{ facetKey: 'businessCriticality', keys: ['missionCritical'], operator: 'NOR' }])))
  t.ok(m(f([{ facetKey: 'platforms', keys: ['windows', 'linux'], operator: 'AND' }])))
  t.notOk(m(f([{ facetKey: 'platforms', keys: ['windows', 'macOS'], operator: 'AND' }])))
  t.notOk(
    m(
      f([
        { facetKey: 'FactSheetTypes', keys: ['Application'] },
        { facetKey: 'lxState', keys: ['DRAFT'] },
      ]),
    ),
    'facets are ANDed',
  )
  t.ok(m(f([{ facetKey: 'technicalSuitability', keys: ['__missing__'] }])))
  t.notOk(m(f([{ facetKey: 'businessCriticality', keys: ['__missing__'] }])))
  t.ok(m(f([{ facetKey: 'businessCriticality', keys: ['__any__'] }])))
  t.ok(m(f([{ facetKey: 'hierarchyLevel', keys: ['1'] }])))
})

test('tags, tag groups, relations, external ids, ids, full text', async (t) => {
  t.ok(m(f([{ facetKey: '_TAGS_', keys: ['t-cloud'] }])))
  t.notOk(m(f([{ facetKey: '_TAGS_', keys: ['t-other'] }])))
  t.ok(m(f([{ facetKey: 'tg-tier', keys: ['t-gold'] }])))
  t.notOk(m(f([{ facetKey: 'tg-tier', keys: ['t-cloud'] }])), 'a tag outside the group does not count')
  t.ok(m(f([{ facetKey: 'relApplicationToITComponent', keys: ['itc-1'] }])))
  t.notOk(m(f([{ facetKey: 'relApplicationToITComponent', keys: ['itc-2'] }])))
  t.ok(m(f([], { externalIds: ['serviceNowExternalId/sys-1'] })))
  t.notOk(m(f([], { externalIds: ['serviceNowExternalId/sys-2'] })))
  t.ok(m(f([], { ids: ['a1'] })))
  t.ok(m(f([], { fullTextSearch: 'billing' })))
  t.notOk(m(f([], { fullTextSearch: 'payroll' })))
})

test('lifecycle with date filters', async (t) => {
  t.ok(m(f([{ facetKey: 'lifecycle', keys: ['active'], dateFilter: { type: 'TODAY' } }])))
  t.notOk(m(f([{ facetKey: 'lifecycle', keys: ['plan'], dateFilter: { type: 'TODAY' } }])))
  t.ok(m(f([{ facetKey: 'lifecycle', keys: ['plan'], dateFilter: { type: 'POINT', from: '2020-06-01' } }])))
  t.ok(
    m(
      f([
        {
          facetKey: 'lifecycle',
          keys: ['endOfLife'],
          dateFilter: { type: 'RANGE', from: '2029-01-01', to: '2031-01-01' },
        },
      ]),
    ),
  )
  t.ok(m(f([{ facetKey: 'lifecycle', keys: ['plan'] }])), 'no date filter: any phase the fact sheet has')
  t.ok(m(f([{ facetKey: 'lifecycle', keys: ['__missing__'] }]), { ...app, lifecycle: null }))
})

test('archived fact sheets match only with the TrashBin facet', async (t) => {
  const archived = { ...app, status: 'ARCHIVED' }
  t.notOk(m(f([{ facetKey: 'FactSheetTypes', keys: ['Application'] }]), archived))
  t.ok(m(f([{ facetKey: 'TrashBin', keys: ['archived'] }]), archived))
  t.notOk(m(f([{ facetKey: 'TrashBin', keys: ['archived'] }])))
})

test('filter forms: FilterInput, {filter}, a bare list; bad input is a clear error', async (t) => {
  const facets = [{ facetKey: 'FactSheetTypes', keys: ['Application'] }]
  t.ok(m(JSON.stringify({ filter: { facetFilters: facets } })))
  t.ok(m(JSON.stringify(facets)))
  t.ok(m(''), 'no filter matches every active fact sheet')
  t.throws(() => parseFilter('{nope'), { code: 'CW_LX_FILTER_INVALID' })
  t.throws(() => parseFilter(JSON.stringify([{ keys: ['x'] }])), { code: 'CW_LX_FILTER_INVALID', message: /facetKey/ })
  t.throws(() => parseFilter(JSON.stringify([{ facetKey: 'x', operator: 'XOR' }])), { code: 'CW_LX_FILTER_INVALID' })
})

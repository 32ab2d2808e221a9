// andFilterInputs(left, right): one LeanIX filter for what two filters both match (a custom
// connector's constraint joined to a mapping's filter), or a refusal naming the part both set.
import { test } from 'tap'
import fc from 'fast-check'
import { andFilterInputs, type FilterInput } from '../../../connectors/leanix/client/filter.ts'
import { matchesFilter } from '../../../connectors/leanix/facet-filter.ts'

test('the joined filter matches exactly the records both filters match', (t) => {
  const providers = ['aws', 'azure', 'gcp']
  const record = fc.record({
    id: fc.constantFrom('a', 'b', 'c'),
    type: fc.constant('CloudAccount'),
    status: fc.constant('ACTIVE'),
    name: fc.constantFrom('Payments AWS', 'Billing Azure', 'Archive'),
    provider: fc.constantFrom(...providers, null),
    level: fc.constantFrom(1, 2),
  })
  const facet = (facetKey: string, keys: string[]) =>
    fc.record({
      facetKey: fc.constant(facetKey),
      operator: fc.constantFrom('OR' as const, 'AND' as const, 'NOR' as const),
      keys: fc.subarray(keys, { minLength: 1 }),
    })
  // each part set by one side only, as the join requires
  const split = fc.record({
    provider: fc.constantFrom('left', 'right', 'none'),
    level: fc.constantFrom('left', 'right', 'none'),
    text: fc.constantFrom('left', 'right', 'none'),
    ids: fc.constantFrom('left', 'right', 'none'),
    providerFacet: facet('provider', [...providers, '__missing__']),
    levelFacet: facet('hierarchyLevel', ['1', '2']),
    search: fc.constantFrom('aws', 'billing', 'a'),
    idList: fc.subarray(['a', 'b', 'c'], { minLength: 1 }),
  })
  fc.assert(
    fc.property(split, fc.array(record, { maxLength: 6 }), (s, records) => {
      const sides: Record<'left' | 'right', FilterInput> = { left: {}, right: {} }
      const facetsOf = (side: 'left' | 'right') => (sides[side].facetFilters ??= [])
      if (s.provider !== 'none') facetsOf(s.provider).push(s.providerFacet)
      if (s.level !== 'none') facetsOf(s.level).push(s.levelFacet)
      if (s.text !== 'none') sides[s.text].fullTextSearch = s.search
      if (s.ids !== 'none') sides[s.ids].ids = s.idList
      const joined = andFilterInputs(sides.left, sides.right)
      for (const r of records) {
        const both = matchesFilter(sides.left, r) && matchesFilter(sides.right, r)
        if (matchesFilter(joined, r) !== both) return false
      }
      return true
    }),
  )
  t.pass('no counterexample')
  t.end()
})

test('a part both filters set is refused, naming it', (t) => {
  const provider = { facetKey: 'provider', operator: 'OR' as const, keys: ['aws'] }
  t.throws(() => andFilterInputs({ facetFilters: [provider] }, { facetFilters: [{ ...provider, keys: ['gcp'] }] }), {
    code: 'CW_LX_FILTER_INVALID',
    message: /facet provider/,
  })
  t.throws(() => andFilterInputs({ fullTextSearch: 'aws' }, { fullTextSearch: 'billing' }), {
    message: /fullTextSearch/,
  })
  t.throws(() => andFilterInputs({ ids: ['a'] }, { ids: ['a', 'b'] }), { message: /ids/ })
  t.throws(() => andFilterInputs({ externalIds: ['x/1'] }, { externalIds: ['x/2'] }), { message: /externalIds/ })
  t.same(andFilterInputs({ fullTextSearch: '' }, { fullTextSearch: 'aws' }), { fullTextSearch: 'aws' })
  t.same(
    andFilterInputs({ fullTextSearch: 'aws' }, { fullTextSearch: ' ' }),
    { fullTextSearch: 'aws' },
    'an empty search is no search',
  )
  t.same(andFilterInputs({}, {}), {}, 'nothing and nothing is nothing')
  t.end()
})

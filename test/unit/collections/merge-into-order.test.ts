// mergeIntoOrder gives what a sort of the same items gives: stale items gone, fresh ones at their
// place, whatever the mix (fast-check against a plain sort).
import { test } from 'tap'
import fc from 'fast-check'
import { mergeIntoOrder } from '../../../core/collections/merge-into-order.ts'

interface Item {
  key: number
  id: string
}
const compare = (a: Item, b: Item) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

test('the merge equals sorting the kept and fresh items together', async (t) => {
  const items = fc.uniqueArray(fc.record({ key: fc.integer({ min: 0, max: 20 }), id: fc.uuid() }), {
    selector: (i) => i.id,
    maxLength: 60,
  })
  fc.assert(
    fc.property(items, items, fc.func(fc.boolean()), (before, written, staleBy) => {
      const ordered = [...before].sort(compare)
      const stale = (i: Item) => staleBy(i.id)
      const fresh = written.filter((w) => !before.some((b) => b.id === w.id))
      const merged = mergeIntoOrder(ordered, stale, [...fresh], compare)
      const expected = [...ordered.filter((i) => !stale(i)), ...fresh].sort(compare)
      return JSON.stringify(merged) === JSON.stringify(expected)
    }),
  )
  t.pass('checked against a sort')
})

test('fresh items before, between and after the kept ones', async (t) => {
  const it = (key: number, id: string) => ({ key, id })
  const merged = mergeIntoOrder(
    [it(2, 'b'), it(4, 'd'), it(6, 'f')],
    (i) => i.id === 'd',
    [it(7, 'g'), it(1, 'a'), it(4, 'c')],
    compare,
  )
  t.same(
    merged.map((i) => i.id),
    ['a', 'b', 'c', 'f', 'g'],
  )
})

// The emulator's row store answers every position question (size, at, lowerBound, indexOf, get)
// as one sorted array of sys_ids would, whatever mix of bulk loads, creates and deletes came
// before: checked against exactly that array, across chunk splits and emptied chunks.
import fc from 'fast-check'
import { test } from 'tap'
import { TableStore } from '../../../connectors/servicenow/emulator/instance/table-store.ts'

const hexId = fc.stringMatching(/^[0-9a-f]{6}$/)

type Op = { kind: 'insert'; id: string } | { kind: 'remove'; at: number } | { kind: 'probe'; id: string }

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: hexId.map((id) => ({ kind: 'insert' as const, id })) },
  { weight: 3, arbitrary: fc.nat().map((at) => ({ kind: 'remove' as const, at })) },
  { weight: 1, arbitrary: hexId.map((id) => ({ kind: 'probe' as const, id })) },
)

/** what differs from the sorted array, or undefined */
function difference(store: TableStore, reference: string[], probes: string[]): string | undefined {
  if (store.size !== reference.length) return `size ${store.size}, expected ${reference.length}`
  for (let i = 0; i < reference.length; i++)
    if (store.at(i)?.[0] !== reference[i]) return `at(${i}) is ${store.at(i)?.[0]}, expected ${reference[i]}`
  if (store.at(reference.length) !== undefined || store.at(-1) !== undefined) return 'at() out of range'
  for (const id of probes) {
    const lower = reference.findIndex((v) => v >= id)
    const upper = reference.findIndex((v) => v > id)
    const want = [lower < 0 ? reference.length : lower, upper < 0 ? reference.length : upper, reference.indexOf(id)]
    const got = [store.lowerBound(id), store.lowerBound(id, true), store.indexOf(id)]
    if (got.join() !== want.join()) return `probe ${id}: ${got.join()} expected ${want.join()}`
    if ((store.get(id)?.[0] ?? -1) !== (reference.includes(id) ? id : -1)) return `get(${id})`
  }
  return undefined
}

test('positions match one sorted array through bulk loads, creates and deletes', async (t) => {
  fc.assert(
    fc.property(
      fc.uniqueArray(hexId, { minLength: 1000, maxLength: 5000 }),
      fc.array(op, { minLength: 500, maxLength: 3000 }),
      (seed, ops) => {
        const store = new TableStore('cmdb_rel_ci', ['parent', 'child'])
        store.bulkAppend(seed.map((id) => [id, 'p', 'c']))
        const reference = [...seed].sort()
        const probes: string[] = []
        for (const o of ops) {
          if (o.kind === 'insert') {
            if (store.get(o.id)) continue // the instance refuses a sys_id that exists
            store.insert([o.id])
            const after = reference.findIndex((v) => v > o.id)
            reference.splice(after < 0 ? reference.length : after, 0, o.id)
          } else if (o.kind === 'remove') {
            if (reference.length === 0) continue
            const at = o.at % reference.length
            store.removeAt(at)
            reference.splice(at, 1)
          } else probes.push(o.id)
        }
        probes.push(...reference.slice(0, 20), '', 'zzzzzz')
        return difference(store, reference, probes) === undefined
      },
    ),
    { numRuns: 40 },
  )
  t.pass('40 random histories matched')
})

test('many creates in random order, then every row deleted: splits and emptied chunks', async (t) => {
  const store = new TableStore('cmdb_rel_ci', [])
  const ids = Array.from({ length: 20_000 }, (_, i) => ((i * 2654435761) >>> 0).toString(16).padStart(8, '0'))
  for (const id of ids) store.insert([id])
  const reference = [...ids].sort()
  t.equal(
    difference(store, reference, ['', '8', reference[777] as string, 'g']),
    undefined,
    'sorted after 20,000 creates',
  )
  for (let k = 1; reference.length > 0; k++) {
    const at = (k * 7919) % reference.length
    store.removeAt(at)
    reference.splice(at, 1)
  }
  t.equal(store.size, 0)
  t.equal(store.lowerBound('a'), 0)
  store.insert(['abc'])
  t.equal(difference(store, ['abc'], ['abc', 'a', 'b']), undefined, 'usable again once empty')
})

test('the value index finds exactly the rows holding a value, through creates, deletes and changes', async (t) => {
  const parents = ['P1', 'p2', 'p3', 'p4']
  type IndexOp =
    | { kind: 'insert'; id: string; parent: number }
    | { kind: 'remove'; at: number }
    | { kind: 'set'; at: number; parent: number }
    | { kind: 'look' }
  const indexOp: fc.Arbitrary<IndexOp> = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), id: hexId, parent: fc.nat(4) }),
    fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), parent: fc.nat(4) }),
    fc.constant({ kind: 'look' as const }),
  )
  fc.assert(
    fc.property(fc.uniqueArray(hexId, { maxLength: 3000 }), fc.array(indexOp, { maxLength: 2000 }), (seed, ops) => {
      const store = new TableStore('cmdb_rel_ci', ['parent'])
      // index 4 stands for an empty parent
      const parentOf = new Map<string, string>(seed.map((id, i) => [id, parents[i % 5] ?? '']))
      store.bulkAppend(seed.map((id) => [id, parentOf.get(id) as string]))
      const check = () =>
        parents.every((p) => {
          const found = (store.rowsWith('parent', [p.toUpperCase()]) ?? []).map((r) => r[0]).sort()
          const want = [...parentOf].filter(([, v]) => v.toLowerCase() === p.toLowerCase()).map(([id]) => id)
          return found.join() === want.sort().join()
        })
      for (const o of ops) {
        if (o.kind === 'insert' && !parentOf.has(o.id)) {
          const parent = parents[o.parent] ?? ''
          store.insert(store.pack({ sys_id: o.id, parent }))
          parentOf.set(o.id, parent)
        } else if (o.kind === 'remove' && store.size > 0) {
          const at = o.at % store.size
          parentOf.delete((store.at(at) as string[])[0] as string)
          store.removeAt(at)
        } else if (o.kind === 'set' && store.size > 0) {
          const row = store.at(o.at % store.size) as string[]
          const parent = parents[o.parent] ?? ''
          store.set(row, 'parent', parent)
          parentOf.set(row[0] as string, parent)
        } else if (o.kind === 'look' && !check()) return false
      }
      return check() && store.rowsWith('parent', [''])?.length === 0 && store.rowsWith('nope', ['p2']) === undefined
    }),
    { numRuns: 60 },
  )
  t.pass('60 random histories: the index matched a scan each time')
})

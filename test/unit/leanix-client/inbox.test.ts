// The webhook inbox is bounded by count and by bytes: a full inbox refuses a delivery (the route
// answers 503 and LeanIX re-sends it), and taking a batch frees its room, count and bytes alike.
import { test } from 'tap'
import { LeanixEventInbox } from '../../../connectors/leanix/webhooks/inbox.ts'

async function take(inbox: LeanixEventInbox, connectionId: string): Promise<unknown[]> {
  const stop = new AbortController()
  for await (const batch of inbox.batches(connectionId, stop.signal)) {
    stop.abort()
    return batch
  }
  return []
}

test('a delivery over the count bound is refused whole and the held events are kept', async (t) => {
  const inbox = new LeanixEventInbox({ capacity: 3 })
  t.equal(inbox.deliver('c', [{ n: 1 }, { n: 2 }]), true)
  t.equal(inbox.deliver('c', [{ n: 3 }, { n: 4 }]), false, 'two more would make four')
  t.equal(inbox.pending('c'), 2)
  t.equal(inbox.deliver('c', [{ n: 3 }]), true)
  t.same(await take(inbox, 'c'), [{ n: 1 }, { n: 2 }, { n: 3 }])
})

test('a delivery over the byte bound is refused, and taking a batch frees its bytes', async (t) => {
  const big = { text: 'x'.repeat(600) }
  const inbox = new LeanixEventInbox({ capacity: 1000, maxBytes: 1000 })
  t.equal(inbox.deliver('c', [big]), true)
  t.equal(inbox.deliver('c', [big]), false, 'two of them are over 1,000 bytes as JSON')
  t.equal(inbox.pending('c'), 1)
  t.same(await take(inbox, 'c'), [big])
  t.equal(inbox.pending('c'), 0)
  t.equal(inbox.deliver('c', [big]), true, 'the taken batch no longer counts')
})

test('bytes are counted as UTF-8, not as characters', async (t) => {
  // 400 characters of three bytes each: 1,200 bytes, over a 1,000-byte bound
  const inbox = new LeanixEventInbox({ maxBytes: 1000 })
  t.equal(inbox.deliver('c', ['€'.repeat(400)]), false)
  t.equal(inbox.deliver('c', ['e'.repeat(400)]), true)
})

test('each connection has its own bounds', async (t) => {
  const inbox = new LeanixEventInbox({ capacity: 1 })
  t.equal(inbox.deliver('a', [1]), true)
  t.equal(inbox.deliver('a', [2]), false)
  t.equal(inbox.deliver('b', [3]), true, 'a full inbox of one connection does not refuse another')
  t.same(await take(inbox, 'b'), [3])
  t.equal(inbox.pending('a'), 1)
})

test('a waiting reader wakes on a delivery and ends when its signal aborts', async (t) => {
  const inbox = new LeanixEventInbox()
  const stop = new AbortController()
  const seen: unknown[][] = []
  const reading = (async () => {
    for await (const batch of inbox.batches('c', stop.signal)) seen.push(batch)
  })()
  await new Promise((r) => setImmediate(r))
  inbox.deliver('c', [{ id: 'x' }])
  await new Promise((r) => setImmediate(r))
  t.same(seen, [[{ id: 'x' }]])
  stop.abort()
  await reading
  t.pass('the reader ended')
})

// The one client cache (core/http/client-cache.ts): a changed connection gets a new client built
// before the old one goes; a rebuild that fails leaves no client behind; a client is closed once,
// and only after the operations holding it are done; a failed close is reported, not thrown.
import { test } from 'tap'
import { ClientCache } from '../../../core/http/client-cache.ts'

class FakeClient {
  closes = 0
  readonly name: string
  readonly failClose: boolean
  constructor(name: string, failClose = false) {
    this.name = name
    this.failClose = failClose
  }
  async close(): Promise<void> {
    this.closes++
    if (this.failClose) throw new Error(`${this.name} was already destroyed`)
  }
}

const entry = (fingerprint: string, build: () => FakeClient) => ({ key: 'conn-1', fingerprint, build })
const tick = () => new Promise((resolve) => setImmediate(resolve))

test('the same settings keep their client; changed ones replace it, and the old one closes once', async (t) => {
  const cache = new ClientCache<FakeClient>()
  const a = cache.get(entry('v1', () => new FakeClient('a')))
  t.equal(cache.get(entry('v1', () => new FakeClient('never built'))), a)
  const b = cache.get(entry('v2', () => new FakeClient('b')))
  t.not(b, a)
  await tick()
  t.equal(a.closes, 1)
  t.equal(b.closes, 0)
  await cache.close()
  t.equal(b.closes, 1)
  t.equal(a.closes, 1, 'never closed twice')
})

test('a rebuild that fails leaves no client: neither the old one nor a closed one', async (t) => {
  const cache = new ClientCache<FakeClient>()
  const a = cache.get(entry('v1', () => new FakeClient('a')))
  const refuse = () => {
    throw new Error('settings refused')
  }
  t.throws(() => cache.get(entry('v2', refuse)), { message: 'settings refused' })
  t.throws(() => cache.get(entry('v2', refuse)), { message: 'settings refused' }, 'again: the same answer')
  await tick()
  t.equal(a.closes, 1, 'the old client closed once, however often the rebuild fails')
  t.same(cache.all(), [])
  const c = cache.get(entry('v3', () => new FakeClient('c')))
  t.equal(c.name, 'c', 'settings that work again get a fresh client')
})

test('a replaced client is closed only when the last operation holding it is done', async (t) => {
  const cache = new ClientCache<FakeClient>()
  const read = cache.lease(entry('v1', () => new FakeClient('a')))
  const write = cache.lease(entry('v1', () => new FakeClient('never built')))
  cache.get(entry('v2', () => new FakeClient('b')))
  await tick()
  t.equal(read.client.closes, 0, 'two operations still hold it')
  read.release()
  read.release() // a second release of the same lease changes nothing
  await tick()
  t.equal(write.client.closes, 0)
  write.release()
  await tick()
  t.equal(write.client.closes, 1)

  let held: FakeClient | undefined
  const pages = cache.iterate(
    entry('v2', () => new FakeClient('never built')),
    async function* (client) {
      held = client
      yield client.name
      yield client.name
    },
  )
  const iterator = pages[Symbol.asyncIterator]()
  t.same(await iterator.next(), { value: 'b', done: false })
  cache.drop('conn-1') // the connection is deleted during a read
  await tick()
  t.same(cache.all(), [])
  t.equal(held?.closes, 0)
  t.same(await iterator.next(), { value: 'b', done: false }, 'the read goes on with its client')
  t.same(await iterator.next(), { value: undefined, done: true })
  await tick()
  t.equal(held?.closes, 1, 'closed when the read is over')
})

test('a client that fails to close is reported, and nothing is thrown at nobody', async (t) => {
  const reported: unknown[] = []
  const cache = new ClientCache<FakeClient>((error) => reported.push(error))
  cache.get(entry('v1', () => new FakeClient('a', true)))
  cache.get(entry('v2', () => new FakeClient('b')))
  await tick()
  t.match(reported, [{ message: 'a was already destroyed' }])
})

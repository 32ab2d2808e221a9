// The record journal the sandbox's emulators keep their changes in: what was committed comes
// back, a torn tail does not, many changes to one record are written once, appends are bounded,
// and compaction keeps only the last value of each record.
import { test } from 'tap'
import { appendFile, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { RecordJournal, replayJournal } from '../../../core/persist/record-journal.ts'

const replayed = async (dir: string) => {
  const state = new Map<string, unknown>()
  await replayJournal(dir, (key, value) => (value === null ? state.delete(key) : state.set(key, value)))
  return Object.fromEntries(state)
}

test('what was flushed comes back, deletions included; a torn tail is dropped and cut off', async (t) => {
  const dir = t.testdir()
  const store = new Map<string, unknown>([
    ['a', { n: 1 }],
    ['b', { n: 2 }],
  ])
  const journal = new RecordJournal({ dir, read: (k) => store.get(k) })
  journal.mark('a')
  journal.mark('b')
  await journal.flush()
  store.delete('b')
  store.set('c', { n: 3 })
  journal.mark('b')
  journal.mark('c')
  await journal.close()
  t.same(await replayed(dir), { a: { n: 1 }, c: { n: 3 } })

  // a write killed half way: its lines have no commit after them
  const whole = (await stat(join(dir, 'journal.ndjson'))).size
  await appendFile(join(dir, 'journal.ndjson'), '{"k":"a","v":{"n":99}}\n{"k":"d","v":{"n"')
  t.same(await replayed(dir), { a: { n: 1 }, c: { n: 3 } }, 'the uncommitted tail is not applied')
  t.equal((await stat(join(dir, 'journal.ndjson'))).size, whole, 'and is cut off, so later appends start clean')
})

test('a record changed many times before a flush is written once', async (t) => {
  const dir = t.testdir()
  const store = new Map<string, unknown>()
  const journal = new RecordJournal({ dir, read: (k) => store.get(k), flushDelayMs: 60_000 })
  for (let i = 0; i < 100; i++) {
    store.set('hot', { i })
    journal.mark('hot')
  }
  t.equal(journal.pending, 1)
  await journal.close()
  const lines = (await readFile(join(dir, 'journal.ndjson'), 'utf8')).trim().split('\n')
  t.same(lines, ['{"k":"hot","v":{"i":99}}', '{"commit":1}'])
})

test('appends are bounded: a large flush is split into several commits', async (t) => {
  const dir = t.testdir()
  const store = new Map<string, unknown>()
  const journal = new RecordJournal({ dir, read: (k) => store.get(k), maxAppendBytes: 200 })
  for (let i = 0; i < 20; i++) {
    store.set(`r${i}`, { text: 'x'.repeat(40) })
    journal.mark(`r${i}`)
  }
  await journal.close()
  const lines = (await readFile(join(dir, 'journal.ndjson'), 'utf8')).trim().split('\n')
  const commits = lines.filter((l) => l.startsWith('{"commit"')).length
  t.ok(commits >= 5, `${commits} commits of at most about 200 bytes each`)
  t.equal(Object.keys(await replayed(dir)).length, 20)
})

test('compaction rewrites the journal with the last value of each record', async (t) => {
  const dir = t.testdir()
  const store = new Map<string, unknown>()
  const journal = new RecordJournal({ dir, read: (k) => store.get(k), minCompactBytes: 2000 })
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 5; i++) {
      store.set(`r${i}`, { round, pad: 'y'.repeat(20) })
      journal.mark(`r${i}`)
    }
    await journal.flush()
  }
  await journal.close()
  const text = await readFile(join(dir, 'journal.ndjson'), 'utf8')
  t.ok(journal.bytes < 4000, `the journal stays bounded (${journal.bytes} bytes after 250 writes)`)
  t.equal(journal.bytes, Buffer.byteLength(text))
  t.same(await replayed(dir), Object.fromEntries(store), 'and still holds the latest state')
})

test('a journal reopened after a restart goes on where it was', async (t) => {
  const dir = t.testdir()
  const store = new Map<string, unknown>([['a', 1]])
  const first = new RecordJournal({ dir, read: (k) => store.get(k) })
  first.mark('a')
  await first.close()
  const restored = new Map<string, unknown>()
  const { bytes, records } = await replayJournal(dir, (k, v) => restored.set(k, v))
  t.equal(records, 1)
  const second = new RecordJournal({ dir, read: (k) => restored.get(k) }, bytes)
  restored.set('b', 2)
  second.mark('b')
  await second.close()
  t.same(await replayed(dir), { a: 1, b: 2 })
})

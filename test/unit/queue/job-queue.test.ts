// The job queue wrapper on the test store (PGlite in memory, or a fresh PostgreSQL database when
// CROSSWALK_TEST_DATABASE_URL is set): definitions, sending in a transaction, depth, retries
// with backoff, final failure, and one job per key at a time.
import t from 'tap'
import { testStore } from '../../helpers/store.ts'
import { until, gate } from '../../helpers/until.ts'
import { openQueue } from './open-queue.ts'
import type { JobFailedEvent } from '../../../core/queue/job-queue.ts'

const db = await testStore(t)

t.test('sending needs a defined queue, and a policy cannot change under an existing queue', async (t) => {
  const queue = await openQueue(db, t)
  await t.rejects(queue.send('never-defined', {}), { code: 'CW_QUEUE_UNKNOWN' })
  await t.rejects(
    queue.work('never-defined', async () => {}),
    { code: 'CW_QUEUE_UNKNOWN' },
  )
  await queue.define({ name: 'defined-once', policy: 'singleton' })
  // defining again (another instance starting, or a restart) is harmless
  await queue.define({ name: 'defined-once', policy: 'singleton', retryLimit: 5 })
  await t.rejects(queue.define({ name: 'defined-once', policy: 'standard' }), { code: 'CW_QUEUE_POLICY_CHANGED' })
  await t.rejects(queue.define({ name: 'bad name!' }), { code: 'CW_QUEUE_DEFINITION_INVALID' })
})

t.test('a job sent inside a transaction exists only if the transaction commits', async (t) => {
  const queue = await openQueue(db, t)
  await queue.define({ name: 'in-tx' })
  let rolledBackId: string | null = null
  await t.rejects(
    db.transaction(async (tx) => {
      rolledBackId = await queue.send('in-tx', { n: 1 }, { tx })
      throw new Error('caller fails after enqueueing')
    }),
    /caller fails/,
  )
  t.type(rolledBackId, 'string', 'the send itself succeeded inside the transaction')
  t.equal(await queue.job('in-tx', rolledBackId as unknown as string), null, 'rolled back with the transaction')

  const committedId = await db.transaction(async (tx) => queue.send('in-tx', { n: 2 }, { tx }))
  const job = await queue.job('in-tx', committedId as string)
  t.equal(job?.state, 'created')
  t.same(job?.data, { n: 2 })
  t.equal(job?.attempts, 0)
})

t.test('depth counts queued and active jobs of each defined queue, read fresh', async (t) => {
  const queue = await openQueue(db, t)
  await queue.define({ name: 'depth-a', heartbeatSeconds: null })
  await queue.define({ name: 'depth-b', heartbeatSeconds: null })
  for (let i = 0; i < 3; i++) await queue.send('depth-a', { i })
  t.same(
    (await queue.depth()).filter((d) => d.queue.startsWith('depth-')),
    [
      { queue: 'depth-a', queued: 3, active: 0 },
      { queue: 'depth-b', queued: 0, active: 0 },
    ],
  )
  const release = gate()
  let started = 0
  await queue.work('depth-a', async () => {
    started++
    await release.promise
  })
  await until(() => started === 1, 'the first job to start')
  t.same(
    (await queue.depth()).find((d) => d.queue === 'depth-a'),
    { queue: 'depth-a', queued: 2, active: 1 },
  )
  release.open()
  await until(async () => (await queue.depth()).find((d) => d.queue === 'depth-a')?.queued === 0, 'the queue to drain')
})

t.test('a failing job is retried with a growing delay, then completes', async (t) => {
  const queue = await openQueue(db, t)
  await queue.define({ name: 'retry-backoff', retryLimit: 3, retryDelaySeconds: 1, retryBackoff: true })
  const attempts: Array<{ attempt: number; maxAttempts: number; at: number }> = []
  await queue.work<{ failTimes: number }>('retry-backoff', async (job) => {
    attempts.push({ attempt: job.attempt, maxAttempts: job.maxAttempts, at: Date.now() })
    if (job.attempt <= job.data.failTimes) throw new Error(`attempt ${job.attempt} fails`)
  })
  const id = (await queue.send('retry-backoff', { failTimes: 2 })) as string
  await until(async () => (await queue.job('retry-backoff', id))?.state === 'completed', 'the job to complete')
  t.same(
    attempts.map((a) => [a.attempt, a.maxAttempts]),
    [
      [1, 4],
      [2, 4],
      [3, 4],
    ],
  )
  const [first, second, third] = attempts.map((a) => a.at) as [number, number, number]
  // the retry waits at least the configured delay (a lower bound, not a speed measurement)
  t.ok(second - first >= 900, `first retry waited ${second - first} ms (>= 1 s delay)`)
  // backoff: the second delay is drawn from [2 s, 4 s], the first from [1 s, 2 s]
  t.ok(third - second >= 1900, `second retry waited ${third - second} ms (>= 2 s with backoff)`)
  const job = await queue.job('retry-backoff', id)
  t.equal(job?.attempts, 3)
})

t.test('a job whose last attempt fails is reported once, with its error', async (t) => {
  const failed: JobFailedEvent[] = []
  const queue = await openQueue(db, t, { onJobFailed: (event) => failed.push(event) })
  await queue.define({ name: 'fails-for-good', retryLimit: 1, retryDelaySeconds: 0, retryBackoff: false })
  await queue.work('fails-for-good', async (job) => {
    throw new Error(`boom on attempt ${job.attempt}`)
  })
  const id = (await queue.send('fails-for-good', {})) as string
  await until(async () => (await queue.job('fails-for-good', id))?.state === 'failed', 'the job to fail')
  await until(() => failed.length > 0, 'the failure report')
  t.equal(failed.length, 1, 'the first, retried failure is not reported')
  t.match(failed[0], { queue: 'fails-for-good', jobId: id, error: 'boom on attempt 2' })
  const job = await queue.job('fails-for-good', id)
  t.equal(job?.attempts, 2)
  t.match(job?.output, { message: 'boom on attempt 2' })
})

t.test('singleton policy: one job per key runs at a time, other keys run alongside', async (t) => {
  const queue = await openQueue(db, t)
  await queue.define({ name: 'one-per-key', policy: 'singleton', retryLimit: 0 })
  const active = new Map<string, number>()
  const maxActive = new Map<string, number>()
  const otherKeyStarted = gate()
  let overlapped = false
  let done = 0
  await queue.work<{ mapping: string; n: number }>(
    'one-per-key',
    async (job) => {
      const key = job.data.mapping
      active.set(key, (active.get(key) ?? 0) + 1)
      maxActive.set(key, Math.max(maxActive.get(key) ?? 0, active.get(key) ?? 0))
      if (key === 'mapping-b') {
        if ((active.get('mapping-a') ?? 0) > 0) overlapped = true
        otherKeyStarted.open()
      } else if (job.data.n === 1) {
        // hold the first run of mapping-a until mapping-b has started (or give up after a while)
        await Promise.race([otherKeyStarted.promise, new Promise((r) => setTimeout(r, 15_000))])
      } else {
        await new Promise((r) => setTimeout(r, 200))
      }
      active.set(key, (active.get(key) ?? 0) - 1)
      done++
    },
    { concurrency: 3 },
  )
  await queue.send('one-per-key', { mapping: 'mapping-a', n: 1 }, { key: 'mapping-a' })
  await queue.send('one-per-key', { mapping: 'mapping-a', n: 2 }, { key: 'mapping-a' })
  await queue.send('one-per-key', { mapping: 'mapping-a', n: 3 }, { key: 'mapping-a' })
  await queue.send('one-per-key', { mapping: 'mapping-b', n: 1 }, { key: 'mapping-b' })
  await until(() => done === 4, 'all four jobs to finish')
  t.equal(maxActive.get('mapping-a'), 1, 'never two runs of one mapping at once')
  t.ok(overlapped, 'another mapping ran while mapping-a was running')
})

t.test('stately policy: a further job for a key that already waits is dropped', async (t) => {
  const queue = await openQueue(db, t)
  await queue.define({ name: 'stately-key', policy: 'stately' })
  const first = await queue.send('stately-key', {}, { key: 'm1' })
  const duplicate = await queue.send('stately-key', {}, { key: 'm1' })
  const otherKey = await queue.send('stately-key', {}, { key: 'm2' })
  t.type(first, 'string')
  t.equal(duplicate, null)
  t.type(otherKey, 'string')
})

t.test('a woken worker takes a job at once instead of at its next poll', async (t) => {
  // a poll every minute: without the wake the job would wait for it
  const queue = await openQueue(db, t, { pollingIntervalSeconds: 60 })
  await queue.define({ name: 'woken', heartbeatSeconds: null })
  const seen: number[] = []
  await queue.work<{ n: number }>('woken', async (job) => {
    seen.push(job.data.n)
  })
  // the worker's first poll finds nothing and it goes idle
  await new Promise((resolve) => setTimeout(resolve, 300))
  await db.transaction(async (tx) => queue.send('woken', { n: 1 }, { tx }))
  queue.wake('woken')
  await until(() => seen.length === 1, 'the woken worker to take the job', { timeoutMs: 20_000 })
  t.same(seen, [1])
  queue.wake('not-worked-here')
})

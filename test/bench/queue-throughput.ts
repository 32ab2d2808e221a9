// Benchmark of the job queue (run by hand: `npx node test/bench/queue-throughput.ts`).
//
// Sends N jobs with an empty handler and reports how fast one instance drains them: jobs per
// second from the first send to the last completion, and the send rate alone. This is the cost
// the queue adds per job, which is why it carries coarse work (a run, a batch) and never one job
// per record. On PGlite by default; on PostgreSQL when CROSSWALK_TEST_DATABASE_URL is set (a
// fresh database is created and dropped). Options: --jobs N (default 500), --concurrency N
// (default 4), --polling S (default 0.5).
import { createTestDatabase } from '../helpers/store.ts'
import { PgliteDb } from '../../core/store/pglite-db.ts'
import { PostgresDb } from '../../core/store/postgres-db.ts'
import { startJobQueue } from '../../core/queue/pg-boss-queue.ts'
import type { Db } from '../../core/store/db.ts'

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? Number(process.argv[at + 1]) : fallback
}

const jobs = arg('jobs', 500)
const concurrency = arg('concurrency', 4)
const polling = arg('polling', 0.5)

const database = await createTestDatabase()
const db: Db = database.url ? await PostgresDb.open({ connectionString: database.url }) : await PgliteDb.open()
const queue = await startJobQueue(db, {
  pollingIntervalSeconds: polling,
  heartbeatSeconds: 30,
  superviseIntervalSeconds: 30,
  maxConnections: concurrency + 2,
})
await queue.define({ name: 'bench', heartbeatSeconds: null })

let done = 0
let allDone: () => void = () => {}
const finished = new Promise<void>((resolve) => {
  allDone = resolve
})
const started = performance.now()
for (let i = 0; i < jobs; i++) await queue.send('bench', { i })
const sent = performance.now()
await queue.work(
  'bench',
  async () => {
    done++
    if (done === jobs) allDone()
  },
  { concurrency },
)
await finished
const ended = performance.now()

const report = {
  store: db.kind,
  jobs,
  concurrency,
  pollingSeconds: polling,
  sendPerSecond: Math.round(jobs / ((sent - started) / 1000)),
  drainPerSecond: Math.round(jobs / ((ended - sent) / 1000)),
  totalSeconds: Number(((ended - started) / 1000).toFixed(2)),
}
process.stdout.write(`${JSON.stringify(report)}\n`)

await queue.stop(5000)
await db.close()
await database.drop()

// The foundation's multi-instance acceptance: two hub processes on one PostgreSQL database share
// the job queue. Both take jobs, no job runs twice, and a job left behind by a hub killed with
// SIGKILL mid-job is finished by the other once its heartbeat lapses. Needs a PostgreSQL server.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createTestDatabase } from '../../helpers/store.ts'
import { NEEDS_POSTGRES, postgresUrl } from '../../helpers/postgres.ts'
import { until } from '../../helpers/until.ts'
import { PostgresDb } from '../../../core/store/postgres-db.ts'
import { startJobQueue } from '../../../core/queue/pg-boss-queue.ts'
import type { JobQueue } from '../../../core/queue/job-queue.ts'
import { PROOF_QUEUE, PROOF_TABLES, type ProofJob } from './proof-queue.ts'

const HUB_SCRIPT = fileURLToPath(new URL('./hub-process.ts', import.meta.url))
const JOBS = 40
/** bounds for a loaded CI machine: a hub starts in seconds, a takeover takes about 10 s */
const START_MS = 120_000
const WORK_MS = 120_000

interface Hub {
  instance: string
  child: ChildProcess
  exited: Promise<void>
  stderr: string[]
}

/** The settings both hubs share, as a deployment would give them: one database, one vault key. */
function hubEnvironment(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    CROSSWALK_MASTER_KEY: randomBytes(32).toString('base64'),
    CROSSWALK_ADMIN_TOKEN: `cw_test_admin_${randomBytes(24).toString('base64url')}`,
    CROSSWALK_SANDBOX: 'off',
    LOG_LEVEL: 'warn',
    CROSSWALK_QUEUE_POLLING_SECONDS: '0.5',
    CROSSWALK_QUEUE_SUPERVISE_SECONDS: '1',
    CROSSWALK_QUEUE_HEARTBEAT_SECONDS: '10',
  }
}

function startHub(instance: string, environment: Record<string, string>): Promise<Hub> {
  const child = spawn(process.execPath, [HUB_SCRIPT], {
    env: { ...process.env, ...environment, CROSSWALK_INSTANCE: instance },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const hub: Hub = { instance, child, exited, stderr }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${instance} did not start within ${START_MS} ms: ${stderr.join('')}`))
    }, START_MS)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`${instance} exited (${code ?? signal}) before it was ready: ${stderr.join('')}`))
    })
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"ready":true')) {
        clearTimeout(timer)
        resolve(hub)
      }
    })
  })
}

async function stopHub(hub: Hub): Promise<void> {
  if (hub.child.exitCode !== null || hub.child.signalCode !== null) return
  hub.child.kill('SIGTERM')
  const forced = setTimeout(() => hub.child.kill('SIGKILL'), 15_000)
  await hub.exited
  clearTimeout(forced)
}

t.test(
  'two hub processes on one PostgreSQL share the queue; a killed hub’s job is finished by the other',
  { skip: postgresUrl ? false : NEEDS_POSTGRES },
  async (t) => {
    const database = await createTestDatabase()
    const db = await PostgresDb.open({ connectionString: database.url as string })
    const hubs: Hub[] = []
    const opened: { producer?: JobQueue } = {}
    t.teardown(async () => {
      await Promise.all(hubs.map(stopHub))
      await opened.producer?.stop(1000)
      await db.close()
      await database.drop()
    })
    await db.exec(PROOF_TABLES)

    const environment = hubEnvironment(database.url as string)
    hubs.push(...(await Promise.all([startHub('hub-a', environment), startHub('hub-b', environment)])))
    // the test only sends and looks: it neither works jobs nor supervises, so every takeover is the hubs' doing
    const producer = await startJobQueue(db, {
      pollingIntervalSeconds: 1,
      heartbeatSeconds: 10,
      superviseIntervalSeconds: 60,
      maxConnections: 2,
      supervise: false,
      schedule: false,
    })
    opened.producer = producer
    await producer.define(PROOF_QUEUE)

    const sent = new Set<string>()
    for (let n = 1; n <= JOBS; n++) {
      sent.add((await producer.send<ProofJob>(PROOF_QUEUE.name, { n, workMs: 250 })) as string)
    }
    const completions = async () =>
      Number((await db.query<{ c: number }>('select count(*)::int as c from proof_completion')).rows[0]?.c)
    await until(async () => (await completions()) === JOBS, `${JOBS} completions`, { timeoutMs: WORK_MS })

    const executions = (
      await db.query<{ job_id: string; instance: string }>('select job_id::text, instance from proof_execution')
    ).rows
    t.equal(executions.length, JOBS, 'exactly one execution per job')
    t.same(new Set(executions.map((e) => e.job_id)), sent, 'every job sent ran')
    const perHub = new Map<string, number>()
    for (const e of executions) perHub.set(e.instance, (perHub.get(e.instance) ?? 0) + 1)
    t.ok((perHub.get('hub-a') ?? 0) > 0 && (perHub.get('hub-b') ?? 0) > 0, `both hubs took jobs: ${[...perHub]}`)

    // a job whose hub dies while running it
    const heldId = (await producer.send<ProofJob>(PROOF_QUEUE.name, { n: 0, workMs: 0, hold: true })) as string
    let holderName = ''
    await until(
      async () => {
        const { rows } = await db.query<{ instance: string }>(
          'select instance from proof_execution where job_id = $1',
          [heldId],
        )
        holderName = rows[0]?.instance ?? ''
        return holderName !== ''
      },
      'a hub to start the held job',
      { timeoutMs: WORK_MS },
    )
    const holder = hubs.find((h) => h.instance === holderName) as Hub
    const survivor = hubs.find((h) => h !== holder) as Hub
    holder.child.kill('SIGKILL')
    await holder.exited
    const killedAt = Date.now()

    await until(
      async () => (await db.query('select 1 from proof_completion where job_id = $1', [heldId])).rows.length === 1,
      'the surviving hub to finish the held job',
      { timeoutMs: WORK_MS },
    )
    t.comment(
      `jobs per hub: ${JSON.stringify(Object.fromEntries(perHub))}; takeover after SIGKILL: ${Date.now() - killedAt} ms`,
    )
    const { rows: heldRuns } = await db.query<{ instance: string; attempt: number }>(
      'select instance, attempt from proof_execution where job_id = $1 order by at',
      [heldId],
    )
    t.same(
      heldRuns,
      [
        { instance: holder.instance, attempt: 1 },
        { instance: survivor.instance, attempt: 2 },
      ],
      'started by the killed hub, taken over by the other',
    )
    const { rows: finisher } = await db.query<{ instance: string }>(
      'select instance from proof_completion where job_id = $1',
      [heldId],
    )
    t.equal(finisher[0]?.instance, survivor.instance)
    t.equal((await producer.job(PROOF_QUEUE.name, heldId))?.state, 'completed')
    t.equal(await completions(), JOBS + 1, 'no job completed twice')
  },
)

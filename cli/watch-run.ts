// Follows a run until it finishes, by asking the hub for it (GET /api/v1/runs/{id}: its phase and
// committed counts), which works whichever hub instance runs it. On a terminal a progress bar
// (cli-progress) redraws in place; elsewhere (a pipe, a log file) a plain line is written when the
// phase changes and otherwise at most every `lineEveryMs`, so logs stay short and readable.
import cliProgress from 'cli-progress'
import type { HubClient } from './hub-client.ts'
import { isFinished, type Run } from './answers.ts'

export interface WatchOptions {
  client: HubClient
  run: Run
  /** how often the hub is asked, in ms */
  intervalMs: number
  /** where progress goes (stderr: stdout keeps only the result) */
  stream: NodeJS.WriteStream
  /** source records the run is expected to read (the last such run's count), for the bar's scale */
  expectedRead?: number
  /** piped output: the longest time between two lines while the counts move, in ms */
  lineEveryMs?: number
  sleep?: (ms: number) => Promise<void>
}

const changedOf = (r: Run) =>
  (r.counts.created ?? 0) + (r.counts.updated ?? 0) + (r.counts.deleted ?? 0) + (r.counts.linked ?? 0)

export function progressLine(r: Run): string {
  const c = r.counts
  const where = r.phase && !isFinished(r.status) ? ` (${r.phase})` : ''
  return (
    `run ${r.id}: ${r.status}${where}: read ${c.read ?? 0}, created ${c.created ?? 0}, updated ${c.updated ?? 0}, ` +
    `deleted ${c.deleted ?? 0}, linked ${c.linked ?? 0}, unchanged ${c.unchanged ?? 0}, failed ${c.failed ?? 0}`
  )
}

interface Display {
  show(run: Run): void
  stop(): void
}

function barDisplay(stream: NodeJS.WriteStream, expectedRead: number | undefined): Display {
  const scaled = expectedRead !== undefined && expectedRead > 0
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: scaled
        ? '{status} {phase} |{bar}| {percentage}% | {value}/{total} read | {changed} changed | {failed} failed | ETA {eta_formatted}'
        : '{status} {phase} | {value} read | {changed} changed | {failed} failed | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 30,
    },
    cliProgress.Presets.shades_classic,
  )
  let total = scaled ? expectedRead : 0
  let started = false
  return {
    show(run) {
      const read = run.counts.read ?? 0
      const payload = {
        status: run.status,
        phase: run.phase ?? '',
        changed: changedOf(run),
        failed: run.counts.failed ?? 0,
      }
      if (!started) {
        bar.start(total, read, payload)
        started = true
      }
      // the estimate was short (the source grew): the bar's end moves with the count
      if (scaled && read > total) bar.setTotal((total = read))
      if (scaled && isFinished(run.status) && total !== read) bar.setTotal((total = read))
      bar.update(read, payload)
    },
    stop() {
      if (started) bar.stop()
    },
  }
}

function lineDisplay(stream: NodeJS.WriteStream, lineEveryMs: number): Display {
  let lastLine = ''
  let lastPhase: string | null | undefined
  let lastAt = 0
  return {
    show(run) {
      const line = progressLine(run)
      const phaseChanged = `${run.status}/${run.phase}` !== lastPhase
      const due = Date.now() - lastAt >= lineEveryMs
      if (line === lastLine || (!phaseChanged && !due && !isFinished(run.status))) return
      stream.write(`${line}\n`)
      lastLine = line
      lastPhase = `${run.status}/${run.phase}`
      lastAt = Date.now()
    },
    stop() {},
  }
}

/** Polls the run until it finished; the finished run. */
export async function watchRun(options: WatchOptions): Promise<Run> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)))
  const display = options.stream.isTTY
    ? barDisplay(options.stream, options.expectedRead)
    : lineDisplay(options.stream, options.lineEveryMs ?? 5000)
  let run = options.run
  try {
    display.show(run)
    while (!isFinished(run.status)) {
      await sleep(options.intervalMs)
      run = await options.client.run(run.id)
      display.show(run)
    }
  } finally {
    display.stop()
  }
  return run
}

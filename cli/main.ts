// `crosswalk`: a command-line client of a running hub's REST API (commander). Results go to
// stdout (tables, or JSON with --json), progress and errors to stderr; the exit code says how it
// ended (cli/exit-codes.ts, README "Command line").
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { CliErrors } from './errors.ts'
import { EXIT, exitCodeOf } from './exit-codes.ts'
import { HubAnswerError, HubClient } from './hub-client.ts'
import { FINISHED_STATUSES, isFinished, type Advice, type FlowApplied, type Mapping, type Run } from './answers.ts'
import { adviceText, appliedText, mappingsTable, planTable, runSummary, runsTable } from './tables.ts'
import { watchRun } from './watch-run.ts'

export interface CliIo {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  version: string
}

interface GlobalOptions {
  url: string
  token?: string
  timeout: number
  json?: boolean
}

const RUN_STATUSES = ['QUEUED', 'RUNNING', ...FINISHED_STATUSES]

function positiveNumber(value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number greater than 0')
  return n
}

function positiveInteger(value: string): number {
  const n = positiveNumber(value)
  if (!Number.isInteger(n)) throw new InvalidArgumentError('a whole number greater than 0')
  return n
}

/** Source records a run of this mapping and kind is expected to read: what the last one read. */
async function expectedRead(client: HubClient, mappingId: string, kind: string): Promise<number | undefined> {
  const { items } = await client.runs({ mappingId, limit: 20 })
  const last = items.find((r) => r.kind === kind && r.status !== 'CANCELLED' && isFinished(r.status))
  return last?.counts.read
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.OK
  const out = (text: string) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  const err = (text: string) => io.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
  const json = (value: unknown) => out(JSON.stringify(value, null, 2))

  const program = new Command('crosswalk')
    .description("Crosswalk's command line: mappings, plans, syncs and runs of a running hub, over its REST API")
    .version(io.version, '-V, --version')
    .addOption(new Option('--url <url>', 'the hub').env('CROSSWALK_URL').default('http://127.0.0.1:8080'))
    .addOption(
      new Option('--token <token>', 'bearer token (the variable keeps it out of the process list)').env(
        'CROSSWALK_TOKEN',
      ),
    )
    .addOption(
      new Option('--timeout <seconds>', 'how long one request to the hub may take')
        .argParser(positiveNumber)
        .default(30),
    )
    .option('--json', 'print the API answers as JSON instead of tables')
    .showHelpAfterError('(crosswalk --help lists the commands and options)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText(
      'after',
      `
Exit codes: 0 done (run OK), 1 run WARNING, 2 run ERROR, 3 run CANCELLED, 4 refused by the hub
(its CW_ code is printed) or unknown mapping, 5 hub not reachable, 64 wrong usage, 130 left a
running sync with a second Ctrl-C.`,
    )

  const globals = (): GlobalOptions => program.opts<GlobalOptions>()
  const client = () => {
    const o = globals()
    return new HubClient({ url: o.url, token: o.token ?? '', timeoutMs: o.timeout * 1000 })
  }
  const interval = new Option('--interval <seconds>', 'how often progress is asked for')
    .argParser(positiveNumber)
    .default(1)

  program
    .command('mappings')
    .description('list the mappings')
    .action(async () => {
      const mappings = await client().mappings()
      if (globals().json) json(mappings)
      else out(mappings.length ? mappingsTable(mappings) : 'No mappings yet.')
    })

  program
    .command('plan')
    .description('plan a sync of a mapping (a dry run: nothing is written) and print what it would change')
    .argument('<mapping>', 'mapping id or name')
    .option('--delta', 'plan a delta run (what changed since the last read) instead of a full one')
    .option('--without-relations', 'leave relation mappings out')
    .addOption(
      new Option('--limit <n>', 'changes to list (the counts cover all)').argParser(positiveInteger).default(50),
    )
    .addOption(interval)
    .action(
      async (ref: string, o: { delta?: boolean; withoutRelations?: boolean; limit: number; interval: number }) => {
        const hub = client()
        const mapping = await hub.mapping(ref)
        const kind = o.delta ? 'delta' : 'full'
        const expected = await expectedRead(hub, mapping.id, kind)
        const answer = await hub.request<{ run: Run }>('POST', `/mappings/${mapping.id}/plan`, {
          kind,
          wait: 0,
          ...(o.withoutRelations ? { withoutRelations: true } : {}),
        })
        const run = await follow(hub, answer.run, o.interval, expected)
        const actions = await hub.changedActions(run.id, o.limit)
        if (globals().json) json({ run, actions })
        else {
          out(runSummary(run, mapping))
          out(actions.length ? planTable(actions) : 'Nothing to change.')
          const changes = changeCount(run)
          if (actions.length >= o.limit && changes > actions.length)
            out(`First ${actions.length} changes shown; --limit for more, or GET /api/v1/runs/${run.id}/actions.`)
        }
        exitCode = isFinished(run.status) ? exitCodeOf(run.status) : EXIT.OK
      },
    )

  program
    .command('sync')
    .description('run a mapping and follow it to the end (Ctrl-C cancels it at its next page boundary)')
    .argument('<mapping>', 'mapping id or name')
    .option('--delta', 'a delta run (what changed since the last read) instead of a full one')
    .option('--without-relations', 'leave relation mappings out')
    .option('--confirm-deletions', 'let this run delete past the deletion guard (after checking its plan)')
    .option('--detach', 'start the run, print its id and return without following it')
    .addOption(interval)
    .action(
      async (
        ref: string,
        o: {
          delta?: boolean
          withoutRelations?: boolean
          confirmDeletions?: boolean
          detach?: boolean
          interval: number
        },
      ) => {
        const hub = client()
        const mapping = await hub.mapping(ref)
        const kind = o.delta ? 'delta' : 'full'
        const expected = o.detach ? undefined : await expectedRead(hub, mapping.id, kind)
        const started = await hub.request<Run>('POST', `/mappings/${mapping.id}/runs`, {
          kind,
          ...(o.withoutRelations ? { withoutRelations: true } : {}),
          ...(o.confirmDeletions ? { confirmDeletions: true } : {}),
        })
        if (o.detach) {
          if (globals().json) json(started)
          else out(started.id)
          return
        }
        err(`Run ${started.id} of mapping "${mapping.name}" started (${kind}); Ctrl-C cancels it.`)
        const run = await follow(hub, started, o.interval, expected, true)
        if (globals().json) json(run)
        else out(runSummary(run, mapping))
        exitCode = isFinished(run.status) ? exitCodeOf(run.status) : EXIT.OK
      },
    )

  program
    .command('advise')
    .description(
      'recommend where IT components come from on a ServiceNow instance (SAM Pro, SAM, legacy or none), by counting its tables',
    )
    .argument('<connection>', 'ServiceNow connection id or name')
    .option('--filter <query>', 'encoded query picking the discovery models a SAM Pro flow would sync')
    .option(
      '--apply-to <leanix>',
      'apply the recommendation: create or enable its mappings to this LeanIX connection (admin)',
    )
    .option('--prefix <prefix>', 'with --apply-to: prefix of the mapping names (default CSDM)')
    .action(async (ref: string, o: { filter?: string; applyTo?: string; prefix?: string }) => {
      const hub = client()
      const connection = await hub.connection(ref)
      const filter = o.filter ? { discoveryModelFilter: o.filter } : {}
      const advice = await hub.request<Advice>('POST', `/connections/${connection.id}/advise`, filter)
      if (!o.applyTo) {
        if (globals().json) json(advice)
        else out(adviceText(advice, connection.name))
        return
      }
      const leanix = await hub.connection(o.applyTo)
      const applied = await hub.request<FlowApplied>('POST', `/connections/${connection.id}/it-component-flow`, {
        leanixConnectionId: leanix.id,
        flow: advice.flow,
        hardware: advice.hardware,
        ...filter,
        ...(o.prefix ? { prefix: o.prefix } : {}),
      })
      if (globals().json) json({ advice, applied })
      else out(`${adviceText(advice, connection.name)}\n\n${appliedText(applied)}`)
    })

  program
    .command('runs')
    .description('list runs, newest first')
    .option('--mapping <mapping>', 'only the runs of this mapping (id or name)')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(RUN_STATUSES))
    .addOption(new Option('--limit <n>', 'how many').argParser(positiveInteger).default(20))
    .action(async (o: { mapping?: string; status?: string; limit: number }) => {
      const hub = client()
      const mappingId = o.mapping ? (await hub.mapping(o.mapping)).id : undefined
      const { items } = await hub.runs({ mappingId, status: o.status, limit: Math.min(500, o.limit) })
      if (globals().json) json(items)
      else if (items.length === 0) out('No runs.')
      else out(runsTable(items, new Map((await hub.mappings()).map((m: Mapping) => [m.id, m.name]))))
    })

  program
    .command('cancel')
    .description('cancel a run: a queued one at once, a running one at its next page boundary')
    .argument('<run>', 'run id')
    .action(async (runId: string) => {
      const run = await client().request<Run>('POST', `/runs/${encodeURIComponent(runId)}/cancel`)
      if (globals().json) json(run)
      else
        out(
          isFinished(run.status)
            ? `Run ${run.id} is ${run.status}.`
            : `Run ${run.id} (${run.status}) stops at its next page boundary; the next full run resumes it.`,
        )
    })

  /** Follows a run; with `cancelOnInterrupt`, Ctrl-C asks the hub to cancel it, twice leaves. */
  async function follow(
    hub: HubClient,
    run: Run,
    intervalSeconds: number,
    expected: number | undefined,
    cancelOnInterrupt = false,
  ): Promise<Run> {
    let interrupts = 0
    const onInterrupt = () => {
      interrupts += 1
      if (interrupts > 1) {
        err(`\nLeft run ${run.id} running; \`crosswalk cancel ${run.id}\` stops it.`)
        process.exit(EXIT.INTERRUPTED)
      }
      err(`\nCancelling run ${run.id} at its next page boundary (Ctrl-C again to leave it running)...`)
      hub.request('POST', `/runs/${run.id}/cancel`).catch((error: unknown) => {
        // it may have finished meanwhile; the watch sees how it ended
        if (!(error instanceof HubAnswerError && error.code === 'CW_RUN_FINISHED')) report(error)
      })
    }
    if (cancelOnInterrupt) process.on('SIGINT', onInterrupt)
    try {
      return await watchRun({
        client: hub,
        run,
        intervalMs: intervalSeconds * 1000,
        stream: io.stderr,
        ...(expected !== undefined ? { expectedRead: expected } : {}),
      })
    } finally {
      if (cancelOnInterrupt) process.off('SIGINT', onInterrupt)
    }
  }

  function report(error: unknown): number {
    if (error instanceof HubAnswerError) {
      err(`error ${error.code} (HTTP ${error.statusCode}): ${error.message}`)
      for (const p of error.problems) err(`  at ${p.pointer || '/'}: ${p.message}`)
      if (error.requestId && error.statusCode >= 500) err(`  request id ${error.requestId}`)
      return EXIT.REFUSED
    }
    const own = Object.values(CliErrors).find((ctor) => error instanceof ctor)
    if (!own) throw error
    err(`error ${(error as { code: string }).code}: ${(error as Error).message}`)
    if (error instanceof CliErrors.BAD_URL) return EXIT.USAGE
    if (error instanceof CliErrors.HUB_UNREACHABLE || error instanceof CliErrors.NOT_A_HUB) return EXIT.UNREACHABLE
    return EXIT.REFUSED
  }

  try {
    await program.parseAsync(argv)
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with commander's own exit code 0
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE
    }
    return report(error)
  }
}

function changeCount(run: Run): number {
  const c = run.counts
  return (
    (c.created ?? 0) +
    (c.updated ?? 0) +
    (c.deleted ?? 0) +
    (c.linked ?? 0) +
    (c.skipped ?? 0) +
    (c.failed ?? 0) +
    (c.relationsCreated ?? 0) +
    (c.relationsDeleted ?? 0)
  )
}

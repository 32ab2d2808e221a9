// What the standalone process does with signals and with errors nobody caught. SIGINT and
// SIGTERM close the hub gracefully (close-with-grace, within the shutdown delay). An uncaught
// exception does too: the process state is no longer known. An unhandled promise rejection does
// not: it is one operation that failed without anyone awaiting it (a client closed twice, a
// late timer), the hub's state is intact, and ending the process would let one bad input take
// down every integration it serves. It is logged as an error, and serving goes on.
import closeWithGrace from 'close-with-grace'

export interface ProcessEventOptions {
  /** grace period for in-flight work on SIGINT/SIGTERM */
  delayMs: number
  log: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void }
  close(): Promise<void>
}

export function handleProcessEvents(options: ProcessEventOptions): { uninstall(): void } {
  const { log } = options
  const grace = closeWithGrace(
    { delay: options.delayMs, skip: ['unhandledRejection'] },
    async ({ signal, err }: { signal?: string; err?: unknown }) => {
      if (err) log.error({ err }, 'shutting down after an uncaught exception')
      else log.info({ signal }, 'shutting down')
      await options.close()
    },
  )
  const onRejection = (reason: unknown) =>
    log.error({ err: reason }, 'unhandled promise rejection: logged, the hub keeps serving')
  process.on('unhandledRejection', onRejection)
  return {
    uninstall: () => {
      grace.uninstall()
      process.off('unhandledRejection', onRejection)
    },
  }
}

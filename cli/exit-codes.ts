// The CLI's exit codes, declared once (the README table lists the same). A run's status decides
// `sync` and `plan`; the other numbers say why a command did not get that far.
import type { FinishedStatus } from './answers.ts'

export const EXIT = {
  /** done; `sync` and `plan`: the run ended OK */
  OK: 0,
  /** the run ended WARNING (e.g. the deletion guard refused a sweep, ambiguous matches skipped) */
  WARNING: 1,
  /** the run ended ERROR */
  ERROR: 2,
  /** the run ended CANCELLED */
  CANCELLED: 3,
  /** the hub refused the request (its CW_ code is printed), or what the command names does not exist */
  REFUSED: 4,
  /** the hub could not be reached, did not answer in time, or is not a Crosswalk hub */
  UNREACHABLE: 5,
  /** wrong usage: unknown command or option, missing argument */
  USAGE: 64,
  /** interrupted twice (Ctrl-C): the CLI left, the run goes on in the hub */
  INTERRUPTED: 130,
} as const

export function exitCodeOf(status: FinishedStatus): number {
  return EXIT[status]
}

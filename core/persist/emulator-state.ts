// What an emulator started by the sandbox (a connector's `emulator` capability) keeps in its state
// folder: a profile made once (credentials, seed options) and its data. Without a folder the
// profile is made afresh and nothing is kept.
import { join } from 'node:path'
import type { EmulatorOptions } from '../connector/contract.ts'
import { readOrCreateJsonFile } from './json-file.ts'

/** The profile kept in the state folder, made by `create` at first start; a fresh one without a folder. */
export function emulatorProfile<T>(options: EmulatorOptions, create: () => T): Promise<T> {
  return options.stateDir
    ? readOrCreateJsonFile(join(options.stateDir, 'sandbox.json'), create)
    : Promise.resolve(create())
}

/** Where the emulator keeps its data, and who hears a failed write; listen options passed on. */
export function emulatorRunOptions(
  options: EmulatorOptions,
  system: string,
): { host?: string; port?: number; stateDir?: string; onStateError(error: unknown): void } {
  return {
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.stateDir === undefined ? {} : { stateDir: join(options.stateDir, 'data') }),
    onStateError: (err) =>
      options.logger?.error(
        { err },
        `the ${system} emulator's changes could not be saved in ${options.stateDir}; trying again with the next change`,
      ),
  }
}

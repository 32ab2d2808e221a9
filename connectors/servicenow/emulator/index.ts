// Public entry of the ServiceNow instance emulator: start it in-process for tests
// (`startServiceNowEmulator`) or standalone (main.ts).
import { ServiceNowEmulator, type EmulatorOptions } from './emulator.ts'
import { seedCsdm, type SeedOptions } from './seed/csdm.ts'
import { buildEmulatorServer, type ServerOptions } from './server.ts'
import { persistInstance } from './instance/persistence.ts'

export { ServiceNowEmulator, type EmulatorOptions } from './emulator.ts'
export { REL_TYPE } from './seed/out-of-box.ts'
export { ADMIN_SYS_ID } from './auth/users.ts'
export { seedCsdm, type SeedOptions, type SeedSummary } from './seed/csdm.ts'
export type { FaultSpec } from './faults/faults.ts'

export interface StartOptions extends EmulatorOptions, ServerOptions {
  /** default 127.0.0.1 */
  host?: string
  /** default 0 (any free port) */
  port?: number
  /** seed a CSDM instance after start */
  seed?: SeedOptions
  /**
   * Keep the changes made after the seed in this folder and put them back at start (the same
   * seed options are needed each time: the seed itself is not stored, it is made again)
   */
  stateDir?: string
  /** hears a write to the state folder that failed (it is tried again with the next change) */
  onStateError?(error: unknown): void
}

export interface RunningEmulator {
  url: string
  instance: ServiceNowEmulator
  close(): Promise<void>
}

export async function startServiceNowEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const instance = new ServiceNowEmulator(options)
  if (options.seed) seedCsdm(instance, options.seed)
  const journal = options.stateDir
    ? await persistInstance(instance.data, options.stateDir, options.onStateError)
    : undefined
  const app = buildEmulatorServer(instance, options)
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const host = options.host ?? '127.0.0.1'
  const url = `${options.https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`
  if (!options.baseUrl) instance.baseUrl = url
  return {
    url,
    instance,
    close: async () => {
      instance.close()
      await app.close()
      await journal?.close()
    },
  }
}

// What the sandbox remembers between starts, in <dataDir>/sandbox: the port of each emulator (so
// that the connections made against them, and what a person bookmarked, keep working) beside each
// emulator's own folder of data and credentials. An in-memory hub (dataDir ":memory:") remembers
// nothing: its emulators start afresh on free ports.
import { join, resolve } from 'node:path'
import { readJsonFile, writeJsonFile } from '../../core/persist/json-file.ts'

interface SandboxState {
  version: 1
  /** port by connector name */
  ports: Record<string, number>
}

export class SandboxStateDir {
  /** undefined: nothing is kept */
  readonly root: string | undefined

  constructor(dataDir: string) {
    this.root = dataDir === ':memory:' ? undefined : resolve(dataDir, 'sandbox')
  }

  /** the folder an emulator keeps its data and credentials in */
  emulatorDir(connector: string): string | undefined {
    return this.root === undefined ? undefined : join(this.root, connector)
  }

  async port(connector: string): Promise<number> {
    if (this.root === undefined) return 0
    const state = await readJsonFile<SandboxState>(join(this.root, 'ports.json'))
    return state?.ports[connector] ?? 0
  }

  async rememberPorts(ports: Record<string, number>): Promise<void> {
    if (this.root === undefined) return
    await writeJsonFile(join(this.root, 'ports.json'), { version: 1, ports } satisfies SandboxState)
  }
}

// The LeanIX workspace the hub's sandbox runs (the connector's `emulator` capability): a seeded v4
// workspace. Given a state folder, its technical users (ids and API tokens) and seed options are
// made once and kept there with the workspace's changes, so that a connection made against it
// works after a restart.
import { randomBytes, randomUUID } from 'node:crypto'
import type { EmulatorHandle, EmulatorOptions } from '../../../core/connector/contract.ts'
import { emulatorProfile, emulatorRunOptions } from '../../../core/persist/emulator-state.ts'
import { startLeanixEmulator, type TechnicalUserSpec } from './index.ts'

interface SandboxProfile {
  version: 1
  /** the seed is made again at each start from these: they must not change under kept data */
  seed: { seed: number; factSheets: number }
  technicalUsers: Array<Required<Pick<TechnicalUserSpec, 'id' | 'userName' | 'role' | 'apiToken'>>>
}

export const SANDBOX_SEED = { seed: 1, factSheets: 400 }

const newProfile = (): SandboxProfile => ({
  version: 1,
  seed: SANDBOX_SEED,
  technicalUsers: (['ADMIN', 'MEMBER', 'VIEWER'] as const).map((role) => ({
    id: randomUUID(),
    userName: role === 'ADMIN' ? 'crosswalk-hub' : `crosswalk-${role.toLowerCase()}`,
    role,
    apiToken: randomBytes(30).toString('base64url'),
  })),
})

export type LeanixSandboxHandle = EmulatorHandle & { apiToken: string }

export async function startSandboxWorkspace(options: EmulatorOptions = {}): Promise<LeanixSandboxHandle> {
  const profile = await emulatorProfile(options, newProfile)
  const running = await startLeanixEmulator({
    seed: profile.seed,
    technicalUsers: profile.technicalUsers,
    ...emulatorRunOptions(options, 'LeanIX'),
  })
  return {
    url: running.url,
    apiToken: running.apiToken,
    connectionSettings: { instanceUrl: running.url, allowHttp: true, apiToken: running.apiToken },
    // a person's changes must not come with the hub's own token: the hub takes those for echoes
    // of its own writes and leaves them out, so the person gets the MEMBER user's
    credentials: { apiToken: running.apiTokens.MEMBER ?? running.apiToken, workspaceId: running.workspace.id },
    people: [...running.runtime.store.users.values()]
      .filter((u) => !u.technicalUser && u.email)
      .map((u) => ({ email: u.email, firstName: u.firstName ?? '', lastName: u.lastName ?? '' })),
    close: () => running.close(),
  }
}

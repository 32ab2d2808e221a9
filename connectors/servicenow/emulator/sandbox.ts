// The ServiceNow instance the hub's sandbox runs (the connector's `emulator` capability): a seeded
// CSDM instance. Given a state folder, its admin password and seed options are made once and kept
// there with the instance's changes, so that a connection made against it works after a restart.
import { createHash, randomBytes } from 'node:crypto'
import type { EmulatorHandle, EmulatorOptions } from '../../../core/connector/contract.ts'
import { emulatorProfile, emulatorRunOptions } from '../../../core/persist/emulator-state.ts'
import { startServiceNowEmulator } from './index.ts'
import type { SeedOptions } from './seed/csdm.ts'

interface SandboxProfile {
  version: 1
  adminPassword: string
  /** the seed is made again at each start from these: they must not change under kept data */
  seed: SeedOptions
}

/** About as many applications and capabilities as the LeanIX sandbox workspace holds. */
export const SANDBOX_SEED: SeedOptions = { seed: 1, relations: 2_000 }

const newProfile = (): SandboxProfile => ({
  version: 1,
  adminPassword: randomBytes(12).toString('base64url'),
  seed: SANDBOX_SEED,
})

export async function startSandboxInstance(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const profile = await emulatorProfile(options, newProfile)
  const running = await startServiceNowEmulator({
    adminPassword: profile.adminPassword,
    // the same sys_id at every start (from the email), so kept changes find them again; they
    // own records, they do not sign in
    users: (options.people ?? []).map((p) => ({
      userName: p.email.split('@')[0] as string,
      email: p.email,
      firstName: p.firstName,
      lastName: p.lastName,
      sysId: createHash('md5').update(p.email.toLowerCase()).digest('hex'),
      password: randomBytes(12).toString('base64url'),
    })),
    seed: profile.seed,
    ...emulatorRunOptions(options, 'ServiceNow'),
  })
  return {
    url: running.url,
    connectionSettings: {
      instanceUrl: running.url,
      allowHttp: true,
      authKind: 'basic',
      username: 'admin',
      password: profile.adminPassword,
    },
    credentials: { username: 'admin', password: profile.adminPassword },
    people: running.instance.data
      .sample('sys_user', 100_000)
      .filter((u) => u.email && u.user_name !== 'admin')
      .map((u) => ({ email: u.email as string, firstName: u.first_name ?? '', lastName: u.last_name ?? '' })),
    close: () => running.close(),
  }
}

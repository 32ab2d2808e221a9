// The ServiceNow instance the hub's sandbox runs (the connector's `emulator` capability): a seeded
// CSDM instance. Given a state folder, its admin password and seed options are made once and kept
// there with the instance's changes, so that a connection made against it works after a restart.
// The hub signs in as a user of its own, as the README asks of a real instance: the newcomer's
// edits as admin are theirs, not taken for the hub's own writes (which deltas and change
// events leave out).
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

/** The user the hub's sandbox connection signs in as. */
export const SANDBOX_HUB_USER = 'crosswalk.hub'

/**
 * Its password, derived from the kept admin password: a profile kept by an earlier version
 * (without it) gets the same one at every start, with nothing to migrate.
 */
function hubPasswordOf(profile: SandboxProfile): string {
  return createHash('sha256').update(`${SANDBOX_HUB_USER}:${profile.adminPassword}`).digest('base64url').slice(0, 16)
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
  const hubPassword = hubPasswordOf(profile)
  const hubEmail = `${SANDBOX_HUB_USER}@example.invalid`
  const running = await startServiceNowEmulator({
    adminPassword: profile.adminPassword,
    // the same sys_id at every start (from the email), so kept changes find them again; people
    // own records, they do not sign in
    users: [
      {
        userName: SANDBOX_HUB_USER,
        email: hubEmail,
        firstName: 'Crosswalk',
        lastName: 'Hub',
        sysId: createHash('md5').update(hubEmail).digest('hex'),
        password: hubPassword,
        roles: ['admin'],
      },
      ...(options.people ?? []).map((p) => ({
        userName: p.email.split('@')[0] as string,
        email: p.email,
        firstName: p.firstName,
        lastName: p.lastName,
        sysId: createHash('md5').update(p.email.toLowerCase()).digest('hex'),
        password: randomBytes(12).toString('base64url'),
      })),
    ],
    seed: profile.seed,
    ...emulatorRunOptions(options, 'ServiceNow'),
  })
  return {
    url: running.url,
    connectionSettings: {
      instanceUrl: running.url,
      allowHttp: true,
      authKind: 'basic',
      username: SANDBOX_HUB_USER,
      password: hubPassword,
    },
    credentials: { username: 'admin', password: profile.adminPassword },
    people: running.instance.data
      .sample('sys_user', 100_000)
      .filter((u) => u.email && u.user_name !== 'admin' && u.user_name !== SANDBOX_HUB_USER)
      .map((u) => ({ email: u.email as string, firstName: u.first_name ?? '', lastName: u.last_name ?? '' })),
    close: () => running.close(),
  }
}

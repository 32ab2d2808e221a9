// Versioned configuration upgrades: a file written for an older release keeps working. Each
// step takes version N to N+1; a file newer than this release is refused rather than guessed at.
import { CONFIG_VERSION } from './schema.ts'
import { CoreErrors } from '../errors.ts'

type RawConfig = Record<string, unknown>

/** upgrades[N] turns a version-N file into a version-(N+1) file */
const upgrades: Record<number, (config: RawConfig) => RawConfig> = {}

export function migrateConfig(raw: RawConfig, source = 'config'): RawConfig {
  let version = raw.configVersion === undefined ? CONFIG_VERSION : Number(raw.configVersion)
  if (!Number.isInteger(version) || version < 1) {
    throw new CoreErrors.CONFIG_INVALID(
      `${source}: configVersion must be a whole number from 1 (got ${JSON.stringify(raw.configVersion)})`,
    )
  }
  if (version > CONFIG_VERSION) {
    throw new CoreErrors.CONFIG_INVALID(
      `${source}: configVersion ${version} is newer than this release understands (${CONFIG_VERSION}); upgrade Crosswalk`,
    )
  }
  let config = raw
  while (version < CONFIG_VERSION) {
    const step = upgrades[version]
    if (!step) throw new CoreErrors.CONFIG_INVALID(`${source}: no upgrade from configVersion ${version}`)
    config = { ...step(config), configVersion: version + 1 }
    version += 1
  }
  return config
}

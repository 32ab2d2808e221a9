// The modules built into the hub and what they contribute to the kernel: their configuration
// sections and store migrations, composed here into the hub's one configuration schema and one
// ordered list of migration folders. app.ts registers their plugins.
import type { HubModule } from './core/module/hub-module.ts'
import { composeConfigSchema, type Config } from './core/config/schema.ts'
import * as configLoader from './core/config/load.ts'
import { MIGRATIONS_DIR } from './core/store/migrations.ts'
import { identityNowModule } from './connectors/identitynow/module.ts'
import { serviceNowSamModule } from './connectors/servicenow-sam/module.ts'

export const BUILT_IN_MODULES: readonly HubModule[] = [identityNowModule, serviceNowSamModule]

/** The hub's configuration schema: the source of validation, defaults, environment names and the README table. */
export const ConfigSchema = composeConfigSchema(BUILT_IN_MODULES)

/** Every migration folder of the hub: the kernel's, then each module's (applied in version order across all). */
export const HUB_MIGRATIONS: readonly string[] = [
  MIGRATIONS_DIR,
  ...BUILT_IN_MODULES.flatMap((module) => (module.migrations ? [module.migrations] : [])),
]

export function loadConfig(options?: configLoader.LoadConfigOptions): Config {
  return configLoader.loadConfig(ConfigSchema, options)
}

export function validateConfig(input: unknown, source?: string): Config {
  return configLoader.validateConfig(ConfigSchema, input, source)
}

export function envBindings(): ReturnType<typeof configLoader.envBindings> {
  return configLoader.envBindings(ConfigSchema)
}

// What a connector or feature module contributes to the kernel before the hub starts: a section
// of the configuration and its store migrations. The kernel composes them (one configuration
// schema, one ordered list of migrations) without knowing any vendor; the list of built-in
// modules is in modules.ts at the top of the repository.
import type { TObject } from 'typebox'

export interface HubModule {
  /** stable identifier: the key of its configuration section, e.g. "identitynow" */
  name: string
  /**
   * its settings, read from the `<name>` section of the config file (and the environment names
   * its schema declares with `env`); give the object a `default` so the section may be left out.
   * Type them for `app.config` by augmenting `ModuleSettings` in core/config/schema.ts.
   */
  settings?: TObject
  /**
   * absolute path of its folder of numbered SQL migrations. Versions are one sequence across the
   * hub (schema_migrations is keyed by version), so a module keeps to its own range.
   */
  migrations?: string
}

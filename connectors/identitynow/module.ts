// What IdentityNow contributes to the kernel: its configuration section and its store migrations
// (versions 030-039). IdentityNow is a feature module, not a connector: it holds no connections
// the kernel reads or writes; it serves SailPoint's configuration API, turns provisioning plans
// into ServiceNow tickets and follows them (plugin.ts).
import { fileURLToPath } from 'node:url'
import type { HubModule } from '../../core/module/hub-module.ts'
import { IdentityNowSettingsSchema } from './config.ts'

export const identityNowModule: HubModule = {
  name: 'identitynow',
  settings: IdentityNowSettingsSchema,
  migrations: fileURLToPath(new URL('./migrations/', import.meta.url)),
}

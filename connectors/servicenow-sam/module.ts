// What the ServiceNow SAM connector contributes to the kernel: the store migrations of its
// graph-rule stage (versions 100-119; the kernel keeps 001-029 and 040-099, IdentityNow 030-039).
import { fileURLToPath } from 'node:url'
import type { HubModule } from '../../core/module/hub-module.ts'

export const serviceNowSamModule: HubModule = {
  name: 'servicenow-sam',
  migrations: fileURLToPath(new URL('./migrations/', import.meta.url)),
}

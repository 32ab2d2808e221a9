// The configuration of a hub that scripts build only to read what it declares (routes, OpenAPI
// documents): in memory, no sandbox, silent, with throwaway keys.
import { randomBytes } from 'node:crypto'
import { validateConfig } from '../modules.ts'

export function offlineHubConfig(): ReturnType<typeof validateConfig> {
  return validateConfig({
    dataDir: ':memory:',
    masterKey: randomBytes(32).toString('base64'),
    adminToken: randomBytes(32).toString('hex'),
    sandbox: 'off',
    logLevel: 'silent',
  })
}

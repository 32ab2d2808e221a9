// Runs the LeanIX emulator standalone: `npm run emulator:leanix -- --port 8443 --cert c.pem --key k.pem`.
// Prints the URL, the workspace and the technical users' API tokens, then serves until stopped.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import closeWithGrace from 'close-with-grace'
import { startLeanixEmulator } from './index.ts'

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8443' },
    cert: { type: 'string' },
    key: { type: 'string' },
    'meta-model': { type: 'string', default: 'v4' },
    seed: { type: 'string', default: '1' },
    'fact-sheets': { type: 'string', default: '400' },
    'token-lifetime': { type: 'string', default: '3600' },
    'api-token': { type: 'string' },
  },
})

if ((values.cert === undefined) !== (values.key === undefined)) {
  console.error('give both --cert and --key for https, or neither for http')
  process.exit(2)
}
const metaModel = values['meta-model'] === 'v3' ? 'v3' : 'v4'
const emulator = await startLeanixEmulator({
  host: values.host,
  port: Number(values.port),
  metaModel,
  seed: { seed: Number(values.seed), factSheets: Number(values['fact-sheets']) },
  tokenLifetimeSeconds: Number(values['token-lifetime']),
  ...(values['api-token'] === undefined
    ? {}
    : {
        technicalUsers: [
          { userName: 'crosswalk-hub', role: 'ADMIN' as const, apiToken: values['api-token'] },
          { userName: 'crosswalk-member', role: 'MEMBER' as const },
          { userName: 'crosswalk-viewer', role: 'VIEWER' as const },
        ],
      }),
  ...(values.cert !== undefined && values.key !== undefined
    ? { https: { cert: readFileSync(values.cert), key: readFileSync(values.key) } }
    : {}),
  logger: { level: 'info' },
})

console.log(
  JSON.stringify(
    {
      url: emulator.url,
      host: emulator.host,
      workspace: emulator.workspace,
      metaModel,
      seed: emulator.seed,
      technicalUsers: emulator.technicalUsers,
    },
    null,
    2,
  ),
)

closeWithGrace({ delay: 5000 }, async () => {
  await emulator.close()
})

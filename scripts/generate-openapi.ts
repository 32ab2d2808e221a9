// Writes the OpenAPI document generated from the route schemas to openapi/openapi.json.
// With --check it writes nothing and fails when the checked-in document differs from what the
// routes now describe (CI runs this, so the document cannot drift from the code).
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import Fastify from 'fastify'
import crosswalk from '../app.ts'
import { validateConfig } from '../modules.ts'

const TARGET = new URL('../openapi/openapi.json', import.meta.url)

const check = process.argv.includes('--check')
const app = Fastify({ logger: false, pluginTimeout: 120_000 })
await app.register(crosswalk, {
  config: validateConfig({
    dataDir: ':memory:',
    masterKey: randomBytes(32).toString('base64'),
    adminToken: randomBytes(32).toString('hex'),
    sandbox: 'off',
    logLevel: 'silent',
  }),
})
await app.ready()
const document = `${JSON.stringify(app.swagger(), null, 2)}\n`
await app.close()

if (check) {
  const current = await readFile(TARGET, 'utf8').catch(() => '')
  if (current !== document) {
    process.stderr.write(
      'openapi/openapi.json is out of date with the routes: run `npm run openapi` and commit the result\n',
    )
    process.exit(1)
  }
  process.stdout.write('openapi/openapi.json matches the routes\n')
} else {
  await mkdir(new URL('../openapi/', import.meta.url), { recursive: true })
  await writeFile(TARGET, document)
  process.stdout.write(`wrote ${TARGET.pathname}\n`)
}

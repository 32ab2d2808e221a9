// Builds GraphiQL's browser bundle (plugins/graphql/graphiql-web, with vite) into the git-ignored
// folder the hub serves /graphiql/assets/ from, and says what it weighs: every file, as built and
// gzipped (the README quotes it). The root package's prepare script runs it, so `npm ci` and
// `npm install` build it; offline, from the installed packages only.
//
// An install without devDependencies has no vite: it says so and leaves GraphiQL unbuilt (the
// hub then answers /graphiql with this command) instead of failing the install.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { GRAPHIQL_BUILD_DIR } from '../plugins/graphql/graphiql.ts'

const started = performance.now()
const vite = await import('vite').catch(() => undefined)
if (!vite) {
  console.log('GraphiQL not built: vite (a devDependency) is not installed')
  process.exit(0)
}
await vite.build({ configFile: join(import.meta.dirname, '../plugins/graphql/graphiql-web/vite.config.ts') })

const assets = join(GRAPHIQL_BUILD_DIR, 'assets')
let raw = 0
let gzipped = 0
let largest = { name: '', bytes: 0 }
const names = await readdir(assets)
for (const name of names) {
  const bytes = await readFile(join(assets, name))
  raw += bytes.length
  gzipped += gzipSync(bytes).length
  if (bytes.length > largest.bytes) largest = { name, bytes: bytes.length }
}
const kB = (bytes: number) => `${Math.round(bytes / 1000)} kB`
console.log(
  `GraphiQL built in ${((performance.now() - started) / 1000).toFixed(1)} s: ${names.length} files, ` +
    `${kB(raw)} (${kB(gzipped)} gzipped); largest ${largest.name} ${kB(largest.bytes)}`,
)

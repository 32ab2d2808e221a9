#!/usr/bin/env node
// The `crosswalk` command (package.json "bin"). Node 24 runs the TypeScript source of cli/ as it
// is, but refuses to strip types from files under node_modules: an installed copy of the package
// runs the compiled CLI in dist/cli, which `npm pack` builds (package.json "prepack").
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const [major] = process.versions.node.split('.').map(Number)
if (major < 24) {
  process.stderr.write(
    `crosswalk needs Node.js 24 or later; this is ${process.version}. In the repository, run it as \`npx crosswalk\`.\n`,
  )
  process.exit(64)
}

const installed = fileURLToPath(import.meta.url)
  .split(/[\\/]/)
  .includes('node_modules')
const compiled = new URL('../dist/cli/main.js', import.meta.url)
if (installed && !existsSync(compiled)) {
  process.stderr.write('This copy of crosswalk lacks its compiled CLI (dist/cli); it is built by `npm pack`.\n')
  process.exit(70)
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const { main } = await import(installed ? compiled.href : new URL('../cli/main.ts', import.meta.url).href)
process.exitCode = await main(process.argv, { stdout: process.stdout, stderr: process.stderr, version })

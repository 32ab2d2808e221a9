// npm run new:connector -- <name>: writes a working connector in connectors/<name>/ (settings,
// errors, client, connector, a tiny emulator, plugin), its conformance test in
// test/conformance/<name>.test.ts, registers its plugin in the hub (scaffolded-connectors.ts) and
// brings the README's error catalogue up to date. connectors/README.md says what to change next.
// With --root <dir> it writes into that tree instead, and leaves the README alone (the scaffold's
// own test, test/unit/scaffold/new-connector.test.ts, writes into a temporary one).
import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { ROOT, ScaffoldRefusal, checkName, scaffoldFiles } from './connector-scaffold.ts'

const args = process.argv.slice(2)
const rootAt = args.indexOf('--root')
const root = rootAt >= 0 ? (args[rootAt + 1] ?? ROOT) : ROOT
const name = rootAt >= 0 ? args.filter((_, i) => i !== rootAt && i !== rootAt + 1)[0] : args[0]

try {
  const names = checkName(name, root)
  const files = await scaffoldFiles(names, root)
  for (const [path, content] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), content)
    process.stdout.write(`wrote ${path}\n`)
  }
  if (root === ROOT) {
    // the README lists every error code; the new errors.ts adds some
    execFileSync(process.execPath, [join(ROOT, 'scripts/generate-error-docs.ts')], { stdio: 'inherit' })
  }
  const next: Array<[string, string]> = [
    [`npx tap --disable-coverage test/conformance/${names.name}.test.ts`, 'the conformance suite against its emulator'],
    [`connectors/${names.name}/client.ts, emulator.ts`, "speak the real system's API"],
    ['connectors/README.md', 'what each method must do'],
  ]
  const width = Math.max(...next.map(([what]) => what.length)) + 2
  process.stdout.write(
    `\nConnector ${names.name} is registered in the hub. Next:\n${next.map(([what, why]) => `  ${what.padEnd(width)}${why}\n`).join('')}`,
  )
} catch (error) {
  if (!(error instanceof ScaffoldRefusal)) throw error
  process.stderr.write(`new:connector: ${error.message}\n`)
  process.exitCode = 1
}

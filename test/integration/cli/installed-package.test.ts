// The `crosswalk` bin works from an installed package, where Node refuses to strip TypeScript
// types (files under node_modules): `npm pack` must carry the compiled CLI, and the bin must run it.
import { test } from 'tap'
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { buildTestApp } from '../../helpers/app.ts'
import { listen, runCli } from './run-cli.ts'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

test('the bin of a packed and installed crosswalk runs the compiled CLI', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'crosswalk-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, timeout: 240_000 })
  const [tarball] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{
    filename: string
    files: Array<{ path: string }>
  }>
  if (!tarball) throw new Error('npm pack made no tarball')
  t.ok(
    tarball.files.some((f) => f.path === 'dist/cli/main.js'),
    'the tarball carries the compiled CLI',
  )
  t.notOk(existsSync(join(ROOT, 'dist')), 'packing leaves no build output in the work tree')

  // installed as npm would: the package under node_modules, its dependencies beside it
  const installed = join(dir, 'node_modules', 'crosswalk')
  mkdirSync(installed, { recursive: true })
  await run('tar', ['-xzf', join(dir, tarball.filename), '-C', installed, '--strip-components=1'])
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
    version: string
    bin: Record<string, string>
    dependencies: Record<string, string>
  }
  for (const dependency of Object.keys(pkg.dependencies)) {
    const link = join(dir, 'node_modules', dependency)
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(join(ROOT, 'node_modules', dependency), link)
  }
  const bin = join(installed, pkg.bin.crosswalk as string)

  const version = await runCli(['--version'], {}, bin)
  t.equal(version.code, 0, 'exit 0', { stderr: version.stderr })
  t.equal(version.stdout.trim(), pkg.version)

  const hub = await buildTestApp(t)
  const url = await listen(hub.app)
  const mappings = await runCli(['mappings'], { CROSSWALK_URL: url, CROSSWALK_TOKEN: hub.adminToken }, bin)
  t.equal(mappings.code, 0, 'exit 0', { stderr: mappings.stderr })
  t.match(mappings.stdout, /No mappings yet/)
  const runs = await runCli(['runs'], { CROSSWALK_URL: url, CROSSWALK_TOKEN: 'cw_wrong' }, bin)
  t.equal(runs.code, 4)
  t.match(runs.stderr, /^error CW_AUTH_REQUIRED \(HTTP 401\)/m)
})

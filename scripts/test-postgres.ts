// The second pass of the suite, on a PostgreSQL server: runs when CROSSWALK_TEST_DATABASE_URL
// names one (.ci/run starts one and sets it), and says plainly that it was skipped otherwise.
import { spawnSync } from 'node:child_process'

const url = process.env.CROSSWALK_TEST_DATABASE_URL
if (!url) {
  process.stdout.write(
    'PostgreSQL pass skipped: set CROSSWALK_TEST_DATABASE_URL=postgres://user:pass@host:port/db (a role with CREATEDB) to run it; .ci/run does.\n',
  )
  process.exit(0)
}
process.stdout.write(`PostgreSQL pass on ${new URL(url).host}\n`)
// tap applies the package.json plugin list (no @tapjs/typescript: Node runs .ts itself) only
// once it is built; a fresh install carries tap's default build
const build = spawnSync('tap', ['build'], { stdio: 'inherit', env: process.env, shell: false })
if (build.status !== 0) process.exit(build.status ?? 1)
const result = spawnSync('tap', ['--coverage-report=text-summary', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: process.env,
  shell: false,
})
process.exit(result.status ?? 1)

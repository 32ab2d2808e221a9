// The connector scaffold (npm run new:connector, scripts/new-connector.ts): a scaffold written by
// the script into a temporary tree type-checks with the project's settings and passes the
// conformance suite; bad names are refused with a message and nothing written.
import t from 'tap'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ROOT, ScaffoldRefusal, checkName, namesOf } from '../../../scripts/connector-scaffold.ts'

const run = promisify(execFile)
const SCRIPT = join(ROOT, 'scripts/new-connector.ts')
// the child runs on its own, not as one of this runner's tests
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('TAP') && !k.startsWith('_TAP') && k !== 'NODE_OPTIONS'),
)

t.test('names', async (t) => {
  t.same(namesOf('acme-cmdb-2'), {
    name: 'acme-cmdb-2',
    camel: 'acmeCmdb2',
    Pascal: 'AcmeCmdb2',
    CODE: 'ACME_CMDB_2',
    title: 'Acme Cmdb 2',
  })
  const refused: Array<[string | undefined, RegExp]> = [
    [undefined, /name the connector/],
    ['../outside', /not a folder name/],
    ['connectors/x', /not a folder name/],
    ['a\\b', /not a folder name/],
    ['.hidden', /not a folder name/],
    ['AcmeCmdb', /not kebab-case/],
    ['acme_cmdb', /not kebab-case/],
    ['acme--cmdb', /not kebab-case/],
    ['-acme', /not kebab-case/],
    ['acme-', /not kebab-case/],
    ['2acme', /not kebab-case/],
    ['a'.repeat(41), /longer than 40/],
    ['servicenow', /taken by the hub/],
    ['servicenow-sam', /taken by the hub|exists already/],
  ]
  for (const [name, message] of refused) {
    let error: unknown
    try {
      checkName(name)
    } catch (e) {
      error = e
    }
    t.type(error, ScaffoldRefusal, String(name))
    t.match((error as Error | undefined)?.message, message, String(name))
  }
  t.equal(checkName('acme-cmdb').name, 'acme-cmdb')
})

t.test('a scaffold under another name type-checks and passes the conformance suite', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'crosswalk-scaffold-'))
  t.teardown(() => rm(root, { recursive: true, force: true }))
  const written = await run(process.execPath, [SCRIPT, '--root', root, 'acme-cmdb'], { env })
  t.match(written.stdout, /wrote connectors\/acme-cmdb\/connector\.ts/)
  t.match(written.stdout, /wrote scaffolded-connectors\.ts/)
  t.match(await readFile(join(root, 'scaffolded-connectors.ts'), 'utf8'), /acmeCmdbConnectorPlugin/)

  // the tree the generated files expect around them, borrowed from this repository
  for (const shared of ['core', 'node_modules', 'package.json']) await symlink(join(ROOT, shared), join(root, shared))
  await symlink(join(ROOT, 'test/conformance/suite.ts'), join(root, 'test/conformance/suite.ts'))
  await writeFile(
    join(root, 'tsconfig.json'),
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      // plugins/config.ts declares app.config, which the plugin reads
      files: [join(ROOT, 'plugins/config.ts')],
      include: ['connectors', 'test', 'scaffolded-connectors.ts'],
    }),
  )
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
  await t.resolves(run(process.execPath, [tsc, '--noEmit', '-p', join(root, 'tsconfig.json')], { env }), 'tsc')

  const suite = await run(process.execPath, [join(root, 'test/conformance/acme-cmdb.test.ts')], { env })
  t.notMatch(suite.stdout, /not ok/)
  t.match(suite.stdout, /# \{ total: 9, pass: 9 \}/, 'every check of the suite ran and passed')

  const again = await run(process.execPath, [SCRIPT, '--root', root, 'acme-cmdb'], { env }).catch((e: unknown) => e)
  t.match(again, { code: 1, stderr: /connectors\/acme-cmdb exists already/ }, 'a second time is refused')
  const outside = await run(process.execPath, [SCRIPT, '--root', root, '../outside'], { env }).catch((e: unknown) => e)
  t.match(outside, { code: 1, stderr: /not a folder name/ })
  t.notOk(existsSync(join(root, '../outside')), 'nothing written outside')
})

// A client generated from the hub's OpenAPI document with well-known generators (issue 12):
// openapi-typescript's types for the document this hub serves, and openapi-fetch. The ops script
// must type-check against them (a required `offset`, a missing operation or an untyped error
// would fail here) and then do its work against a running hub.
import { test } from 'tap'
import { mkdtemp, mkdir, copyFile, writeFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import openapiTS, { astToString } from 'openapi-typescript'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'
import { opsScript } from './ops-script.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))

/** The diagnostics of the ops script compiled against `types`, laid out as in the repository. */
async function typeCheck(types: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'crosswalk-client-'))
  try {
    await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
    await mkdir(join(dir, 'openapi'))
    await mkdir(join(dir, 'test/integration/openapi'), { recursive: true })
    await writeFile(join(dir, 'openapi/crosswalk-api.ts'), types)
    const script = join(dir, 'test/integration/openapi/ops-script.ts')
    await copyFile(join(root, 'test/integration/openapi/ops-script.ts'), script)
    const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path))
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, dir)
    const program = ts.createProgram([script], { ...options, noEmit: true })
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

test('a client generated from the served document type-checks and runs the ops script', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  await hub.app.connections.create({
    name: 'first',
    connector: 'memo',
    settings: { url: 'https://memo.example.test', username: 'ops', password: 'generated-client-pw' },
  })
  await hub.app.connections.create({
    name: 'second',
    connector: 'memo',
    settings: { url: 'https://memo.example.test', username: 'ops', password: 'generated-client-pw' },
  })

  const document = (await hub.inject({ url: '/docs/json' }, null)).json() as Parameters<typeof openapiTS>[0]
  const types = astToString(await openapiTS(document))
  t.same(await typeCheck(types), [], 'the script type-checks against the generated client')

  await hub.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = hub.app.server.address() as { port: number }
  const report = await opsScript(`http://127.0.0.1:${port}`, await hub.token('operator'))
  t.equal(report.total, 2)
  t.equal(report.listed.length, 1, 'limit alone was taken')
  t.same(report.checked, { ok: true, message: 'reached https://memo.example.test as ops' })
  t.equal(report.missingCode, 'CW_CONNECTION_NOT_FOUND', "the error's code, typed")
})

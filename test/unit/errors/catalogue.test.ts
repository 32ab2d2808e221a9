// One error catalogue: every error is declared once, in a file named errors.ts, with a code of
// its own; every code the source sends is declared; every declaration is used. The catalogue is
// read from the tree (scripts/error-catalogue.ts), so an errors.ts added by anyone is checked
// here without being registered anywhere.
import t from 'tap'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, errorFiles, isErrorFile, loadCatalogue, sourceFiles } from '../../../scripts/error-catalogue.ts'

const catalogue = await loadCatalogue()
const files = await sourceFiles()
const shipped = files.filter((file) => !file.startsWith('test/'))
const texts = new Map<string, string>()
for (const file of files) texts.set(file, await readFile(join(ROOT, file), 'utf8'))

t.test('the catalogue is found in the tree, including files nobody registered', async (t) => {
  const found = await errorFiles()
  for (const known of ['core/errors.ts', 'core/connections/errors.ts', 'core/answer/errors.ts'])
    t.ok(found.includes(known), `${known} is found`)
  t.ok(catalogue.length > 50, `${catalogue.length} declarations read from ${found.length} files`)

  // a new area's errors.ts, anywhere, is found; dependencies and hidden folders are not searched
  const root = await mkdtemp(join(tmpdir(), 'cw-catalogue-'))
  t.teardown(() => rm(root, { recursive: true, force: true }))
  for (const dir of ['core/mapping', 'connectors/newcomer/client', 'node_modules/lib', '.tap/x'])
    await mkdir(join(root, dir), { recursive: true })
  for (const file of ['core/mapping/errors.ts', 'connectors/newcomer/client/errors.ts', 'node_modules/lib/errors.ts'])
    await writeFile(join(root, file), 'export {}\n')
  await writeFile(join(root, '.tap/x/errors.ts'), 'export {}\n')
  t.same(await errorFiles(root), ['connectors/newcomer/client/errors.ts', 'core/mapping/errors.ts'])
})

t.test('every code is declared once, well formed, with an HTTP error status', async (t) => {
  const byCode = new Map<string, string[]>()
  for (const entry of catalogue)
    byCode.set(entry.code, [...(byCode.get(entry.code) ?? []), `${entry.file} ${entry.name}`])
  const duplicates = [...byCode]
    .filter(([, where]) => where.length > 1)
    .map(([code, where]) => `${code}: ${where.join(', ')}`)
  t.same(duplicates, [], 'no code is declared twice')
  const malformed = catalogue
    .filter((e) => !/^CW_[A-Z0-9]+(_[A-Z0-9]+)*$/.test(e.code) || e.statusCode < 400 || e.statusCode > 599)
    .map((e) => `${e.file} ${e.name}: ${e.code} ${e.statusCode}`)
  t.same(malformed, [], 'every code is CW_ and upper case, every status 4xx or 5xx')
})

t.test('errors are declared in errors.ts files only', async (t) => {
  const declaration = /from '@fastify\/error'|createError(<[^(]*>)?\(\s*['"`]/
  const elsewhere = shipped.filter((file) => !isErrorFile(file) && declaration.test(texts.get(file) ?? ''))
  t.same(elsewhere, [], 'no @fastify/error declaration outside an errors.ts')
})

t.test('every code the source sends or compares is declared', async (t) => {
  const declared = new Set(catalogue.map((entry) => entry.code))
  const undeclared: string[] = []
  for (const file of shipped) {
    if (isErrorFile(file)) continue
    const text = texts.get(file) ?? ''
    for (const match of text.matchAll(/(startsWith\(\s*)?['"`](CW_[A-Z0-9_]*)(\$\{)?/g)) {
      const [, prefixTest, code, interpolated] = match as unknown as [
        string,
        string | undefined,
        string,
        string | undefined,
      ]
      if (interpolated) undeclared.push(`${file}: a code built at run time (${code}\${...})`)
      else if (prefixTest) {
        if (![...declared].some((c) => c.startsWith(code))) undeclared.push(`${file}: no code starts with ${code}`)
      } else if (!declared.has(code)) undeclared.push(`${file}: ${code}`)
    }
  }
  t.same(undeclared, [], 'no bare-string code')
})

t.test('every declared error is raised or tested for somewhere', async (t) => {
  const unused = catalogue.filter((entry) => {
    const [owner, key] = entry.name.split('.')
    const use = key ? new RegExp(`\\b${owner}\\.${key}\\b`) : new RegExp(`\\b${owner}\\b`)
    return !shipped.some((file) => file !== entry.file && use.test(texts.get(file) ?? ''))
  })
  t.same(
    unused.map((entry) => `${entry.code} (${entry.file} ${entry.name})`),
    [],
    'declared codes nothing raises: use them or delete them',
  )
})

// The kernel (core/) imports no surface, no vendor and no web framework: everything it needs from
// a connector or feature module comes in through a contract (HubModule, Connector). Checked over
// every file, so a file added later is covered too.
import { test } from 'tap'
import { readFile, readdir } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MIGRATIONS_DIR } from '../../../core/store/migrations.ts'
import { BUILT_IN_MODULES } from '../../../modules.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const core = join(root, 'core')
// @fastify/error only declares error classes (code, message, status); it brings no framework
const ALLOWED_PACKAGES_WITH_FASTIFY_IN_NAME = new Set(['@fastify/error'])

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

function specifiers(source: string): string[] {
  const found: string[] = []
  const statement = /(?:^|\n)\s*(?:import|export)(?:\s+type)?\s+(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g
  for (const match of source.matchAll(statement)) found.push(match[1]!)
  for (const match of source.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1]!)
  return found
}

test('no file in core/ imports from outside core/ or a web framework', async (t) => {
  const files = (await filesUnder(core)).filter((f) => f.endsWith('.ts'))
  t.ok(files.length > 30, `read ${files.length} kernel files`)
  for (const file of files) {
    const name = relative(root, file)
    for (const spec of specifiers(await readFile(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec)
        t.ok(target.startsWith(`${core}/`), `${name} imports ${spec}, which is outside core/`)
      } else {
        const web = /(^|\/)(fastify|mercurius)/.test(spec) && !ALLOWED_PACKAGES_WITH_FASTIFY_IN_NAME.has(spec)
        t.notOk(web, `${name} imports ${spec}`)
      }
    }
  }
})

test("the kernel's migration folder holds no module's migration", async (t) => {
  const kernelFiles = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql'))
  for (const module of BUILT_IN_MODULES) {
    const strays = kernelFiles.filter((f) => f.includes(`_${module.name}_`))
    t.same(strays, [], `no ${module.name} migration among the kernel's`)
  }
})

// What the operator console weighs: every file a browser loads for it (the console's own files,
// and each library module the import map names with the modules they import in turn), as served
// and gzipped. The README's console section quotes this (`npm run console:size`).
import { readFile, readdir } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { VENDOR, WEB_DIR, asServed } from '../plugins/console/index.ts'

const files = new Set<string>()
// a library module's replacements (VENDOR's define): it is counted as served
const defines = new Map<string, Record<string, string>>()
for (const entry of await readdir(WEB_DIR, { recursive: true })) {
  if (/\.(js|css|svg)$/.test(entry)) files.add(join(WEB_DIR, entry))
}
// a library module and the relative imports it makes (graphql-ws' shared chunk)
async function addModule(file: string, define?: Record<string, string>): Promise<void> {
  if (files.has(file)) return
  files.add(file)
  if (define) defines.set(file, define)
  const text = await readFile(file, 'utf8')
  for (const match of text.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    await addModule(resolve(dirname(file), match[1] ?? ''), define)
  }
}
for (const { dir, specifiers, define } of Object.values(VENDOR)) {
  for (const file of Object.values(specifiers)) await addModule(join(dir, file), define)
}

let raw = 0
let gzipped = 0
const rows: string[] = []
for (const file of [...files].sort()) {
  const define = defines.get(file)
  const bytes = define ? Buffer.from(asServed(await readFile(file, 'utf8'), define), 'utf8') : await readFile(file)
  const zipped = gzipSync(bytes, { level: 9 }).length
  raw += bytes.length
  gzipped += zipped
  rows.push(`${String(bytes.length).padStart(8)} ${String(zipped).padStart(8)}  ${relative(process.cwd(), file)}`)
}
process.stdout.write(`   bytes     gzip  file\n${rows.join('\n')}\n`)
process.stdout.write(`${String(raw).padStart(8)} ${String(gzipped).padStart(8)}  total (${files.size} files)\n`)

// Writes the configuration reference into README.md (between the config-reference markers),
// generated from the hub's configuration schema (the kernel's settings and the modules' sections), so the docs cannot drift from the code.
// With --check it writes nothing and fails when the README is out of date.
import { readFile, writeFile } from 'node:fs/promises'
import type { TObject, TSchema } from '@sinclair/typebox'
import { ConfigSchema } from '../modules.ts'

const README = new URL('../README.md', import.meta.url)
const START = '<!-- config-reference:start -->'
const END = '<!-- config-reference:end -->'

function typeOf(schema: TSchema): string {
  if (schema.anyOf) return (schema.anyOf as TSchema[]).map((s) => JSON.stringify(s.const)).join(' \\| ')
  return String(schema.type ?? 'string')
}

function rows(schema: TObject, prefix = ''): string[] {
  const out: string[] = []
  for (const [key, child] of Object.entries(schema.properties) as Array<[string, TSchema]>) {
    const name = `${prefix}${key}`
    if (child.type === 'object' && child.properties) {
      out.push(...rows(child as TObject, `${name}.`))
      continue
    }
    const env = typeof child.env === 'string' ? `\`${child.env}\`` : ''
    const fallback = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``
    out.push(`| \`${name}\` | ${env} | ${typeOf(child)} | ${fallback} | ${String(child.description ?? '')} |`)
  }
  return out
}

const table = [
  '| setting (file) | environment | type | default | what it does |',
  '| --- | --- | --- | --- | --- |',
  ...rows(ConfigSchema),
].join('\n')

const readme = await readFile(README, 'utf8')
const start = readme.indexOf(START)
const end = readme.indexOf(END)
if (start < 0 || end < start) {
  process.stderr.write(`README.md lacks the ${START} / ${END} markers\n`)
  process.exit(1)
}
const next = `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`
if (process.argv.includes('--check')) {
  if (next !== readme) {
    process.stderr.write('README.md configuration reference is out of date: run `npm run docs:config` and commit\n')
    process.exit(1)
  }
  process.stdout.write('README.md configuration reference matches the schema\n')
} else {
  await writeFile(README, next)
  process.stdout.write('wrote the configuration reference into README.md\n')
}

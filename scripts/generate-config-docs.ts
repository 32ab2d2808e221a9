// Writes the configuration reference into README.md (between the config-reference markers),
// generated from the hub's configuration schema (the kernel's settings and the modules' sections), so the docs cannot drift from the code.
// With --check it writes nothing and fails when the README is out of date.
import type { JsonSchema } from '../core/schema/json-schema.ts'
import { ConfigSchema } from '../modules.ts'
import { writeReadmeSection } from './readme-section.ts'

function typeOf(schema: JsonSchema): string {
  if (schema.anyOf)
    return schema.anyOf.map((s) => (s.const === undefined ? String(s.type) : JSON.stringify(s.const))).join(' \\| ')
  return String(schema.type ?? 'string')
}

function rows(schema: JsonSchema, prefix = ''): string[] {
  const out: string[] = []
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const name = `${prefix}${key}`
    if (child.type === 'object' && child.properties) {
      out.push(...rows(child, `${name}.`))
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

await writeReadmeSection({
  marker: 'config-reference',
  content: table,
  what: 'configuration reference',
  script: 'docs:config',
})

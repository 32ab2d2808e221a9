// What `npm run new:connector -- <name>` writes (scripts/new-connector.ts): a connector folder
// from the templates in scripts/connector-template/ (settings, errors, client, connector,
// emulator, plugin), its conformance test, and the list of scaffolded connectors that app.ts
// registers. Pure functions of the name and the tree, formatted as the repository's prettier
// settings say, so that test/unit/scaffold/new-connector.test.ts can check what it writes: in a
// temporary tree, type-checked and run through the conformance suite. No scaffolded connector is
// committed: the hub a user runs lists only connectors that talk to a real system.
import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import * as prettier from 'prettier'

export const ROOT = new URL('..', import.meta.url).pathname
const TEMPLATES = new URL('./connector-template/', import.meta.url).pathname
/** the file that lists the scaffolded connectors, at the repository root */
export const REGISTRY = 'scaffolded-connectors.ts'
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/
const MAX_LENGTH = 40
/** names the hub uses for other things: its built-in connectors and modules, and test connectors */
const RESERVED = new Set(['servicenow', 'leanix', 'identitynow', 'servicenow-sam', 'memo', 'core', 'conformance'])

/** A name the scaffold will not take, with what to do instead. */
export class ScaffoldRefusal extends Error {
  override name = 'ScaffoldRefusal'
}

export interface ConnectorNames {
  /** kebab-case: the folder, the connector's `name` and its plugin's */
  name: string
  camel: string
  Pascal: string
  /** the infix of its error codes: CW_<CODE>_... */
  CODE: string
  title: string
}

export function namesOf(name: string): ConnectorNames {
  const words = name.split('-')
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1)
  return {
    name,
    camel: (words[0] ?? '') + words.slice(1).map(cap).join(''),
    Pascal: words.map(cap).join(''),
    CODE: words.join('_').toUpperCase(),
    title: words.map(cap).join(' '),
  }
}

/** Refuses a name that is not one kebab-case folder name, or that is taken; `root` is the repository. */
export function checkName(name: string | undefined, root = ROOT): ConnectorNames {
  if (!name) throw new ScaffoldRefusal('name the connector: npm run new:connector -- <name>, e.g. acme-cmdb')
  if (name.includes('/') || name.includes('\\') || name.includes('..') || name.startsWith('.'))
    throw new ScaffoldRefusal(`"${name}" is not a folder name: a connector is one folder under connectors/`)
  if (!KEBAB.test(name))
    throw new ScaffoldRefusal(
      `"${name}" is not kebab-case: lowercase letters and digits, words joined by single hyphens, starting with a letter (e.g. acme-cmdb)`,
    )
  if (name.length > MAX_LENGTH) throw new ScaffoldRefusal(`"${name}" is longer than ${MAX_LENGTH} characters`)
  if (RESERVED.has(name)) throw new ScaffoldRefusal(`"${name}" is taken by the hub; choose another name`)
  if (existsSync(join(root, 'connectors', name)))
    throw new ScaffoldRefusal(`connectors/${name} exists already; choose another name or remove that folder`)
  if (existsSync(join(root, 'test', 'conformance', `${name}.test.ts`)))
    throw new ScaffoldRefusal(`test/conformance/${name}.test.ts exists already; choose another name`)
  return namesOf(name)
}

/** The connectors the registry lists now, from its import lines. */
export async function scaffoldedNames(root = ROOT): Promise<string[]> {
  let source: string
  try {
    source = await readFile(join(root, REGISTRY), 'utf8')
  } catch {
    return []
  }
  return [...source.matchAll(/from '\.\/connectors\/([a-z0-9-]+)\/plugin\.ts'/g)].map((m) => m[1] as string)
}

/** The registry listing `names` (sorted): app.ts registers each plugin after the built-in connectors. */
export function registrySource(names: readonly string[]): string {
  const sorted = [...new Set(names)].sort()
  const all = sorted.map(namesOf)
  return [
    '// The connectors made with `npm run new:connector` (scripts/new-connector.ts): app.ts registers',
    '// each plugin after the built-in connectors. The script writes this file; it keeps the lists sorted.',
    "import type { FastifyPluginAsync } from 'fastify'",
    ...all.map((n) => `import ${n.camel}ConnectorPlugin from './connectors/${n.name}/plugin.ts'`),
    '',
    `export const SCAFFOLDED_CONNECTORS: readonly FastifyPluginAsync[] = [${all.map((n) => `${n.camel}ConnectorPlugin`).join(', ')}]`,
    '',
  ].join('\n')
}

function fill(template: string, names: ConnectorNames): string {
  return template.replace(/\{\{(name|camel|Pascal|CODE|title)\}\}/g, (_, key: keyof ConnectorNames) => names[key])
}

/** Formatted with this repository's prettier settings, wherever the files go. */
async function format(path: string, source: string): Promise<string> {
  const options = (await prettier.resolveConfig(join(ROOT, path))) ?? {}
  return prettier.format(source, { ...options, filepath: join(ROOT, path) })
}

/** Every file the scaffold writes for `names`, by path from the repository root, formatted. */
export async function scaffoldFiles(names: ConnectorNames, root = ROOT): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const file of (await readdir(TEMPLATES)).sort()) {
    if (!file.endsWith('.tmpl')) continue
    const base = file.slice(0, -'.tmpl'.length)
    const path =
      base === 'conformance.test.ts' ? `test/conformance/${names.name}.test.ts` : `connectors/${names.name}/${base}`
    out.set(path, await format(path, fill(await readFile(join(TEMPLATES, file), 'utf8'), names)))
  }
  const listed = await scaffoldedNames(root)
  out.set(REGISTRY, await format(REGISTRY, registrySource([...listed, names.name])))
  return out
}

// The error catalogue, read from the code: every file named `errors.ts` in the tree is found
// (nobody registers a new one), imported, and every @fastify/error constructor it exports is
// listed with its code, status, message template and retryability. The uniqueness test
// (test/unit/errors/catalogue.test.ts) and the README table (scripts/generate-error-docs.ts)
// both read it, so an area that adds its own errors.ts is checked and documented from then on.
import { readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isRetryable } from '../core/retryable.ts'

export const ROOT = new URL('..', import.meta.url).pathname

// Folders that hold no source of ours: dependencies, tool output, hidden folders.
const SKIP = new Set(['node_modules', 'coverage', 'openapi'])

export interface CatalogueEntry {
  code: string
  statusCode: number
  /** the message template, placeholders (%s, %d) kept */
  message: string
  retryable: boolean
  /** the errors.ts it is declared in, relative to the repository root */
  file: string
  /** how it is exported: `ConnectionErrors.IN_USE`, or the export name of a lone constructor */
  name: string
}

type Constructor = (new (...args: unknown[]) => Error) & { prototype: object }

const FASTIFY_ERROR = Symbol.for('fastify-error-generic')

function isErrorConstructor(value: unknown): value is Constructor {
  return (
    typeof value === 'function' &&
    typeof value.prototype === 'object' &&
    value.prototype !== null &&
    (value.prototype as Record<symbol, unknown>)[FASTIFY_ERROR] === true
  )
}

/** The constructor @fastify/error made, below any class that extends it (its arguments differ). */
function declaredBase(ctor: Constructor): Constructor {
  let base = ctor
  for (;;) {
    const parent: unknown = Object.getPrototypeOf(base)
    if (!isErrorConstructor(parent)) return base
    base = parent
  }
}

/** Every TypeScript file of ours under `root`, sorted, relative to it. */
export async function sourceFiles(root = ROOT): Promise<string[]> {
  const found: string[] = []
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || SKIP.has(entry.name)) continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
        found.push(relative(root, path))
    }
  }
  await walk(root)
  return found.sort()
}

export function isErrorFile(file: string): boolean {
  return file === 'errors.ts' || file.endsWith('/errors.ts')
}

/** Every `errors.ts` under `root`, sorted, relative to it. */
export async function errorFiles(root = ROOT): Promise<string[]> {
  return (await sourceFiles(root)).filter(isErrorFile)
}

/** Every declaration, duplicates kept (the test reports them), in file then export order. */
export async function loadCatalogue(root = ROOT): Promise<CatalogueEntry[]> {
  const entries: CatalogueEntry[] = []
  for (const file of await errorFiles(root)) {
    const module = (await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>
    const seen = new Set<Constructor>()
    const add = (name: string, ctor: Constructor) => {
      if (seen.has(ctor)) return // the same constructor exported twice is one declaration
      seen.add(ctor)
      const sample = new (declaredBase(ctor))() as Error & { code: string; statusCode?: number }
      entries.push({
        code: sample.code,
        statusCode: sample.statusCode ?? 500,
        message: sample.message,
        retryable: isRetryable(sample),
        file,
        name,
      })
    }
    for (const [exported, value] of Object.entries(module)) {
      if (isErrorConstructor(value)) add(exported, value)
      else if (value && typeof value === 'object') {
        for (const [key, member] of Object.entries(value))
          if (isErrorConstructor(member)) add(`${exported}.${key}`, member)
      }
    }
  }
  return entries
}

// A small JSON document kept in a file that only its owner reads (it may hold credentials),
// written whole to a temporary file renamed over the old one, so it is never seen half written.
import { mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import writeFileAtomic from 'write-file-atomic'

/** The parsed document, or undefined when the file does not exist. */
export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, fsync: true })
}

/** The document at `path`; made by `create` and written first when there is none. */
export async function readOrCreateJsonFile<T>(path: string, create: () => T): Promise<T> {
  const existing = await readJsonFile<T>(path)
  if (existing !== undefined) return existing
  const made = create()
  await writeJsonFile(path, made)
  return made
}

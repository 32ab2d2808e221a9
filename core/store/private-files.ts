// The embedded store's files are the hub's alone: its folder 0700, every file in it 0600.
// PGlite writes the initial database through Emscripten's NODEFS, which gives files mode 0666
// whatever the umask, and PostgreSQL itself writes a few files 0644 (pg_internal.init); so the
// folder is closed to others first (nobody else can reach what is inside, whatever its mode),
// and the tree is made private after PGlite opened it and again when it closes it.
import { chmod, mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'

/** chmod that lets a file go that PostgreSQL removed meanwhile (a temporary file, an old segment) */
async function chmodIfThere(path: string, mode: number): Promise<void> {
  try {
    await chmod(path, mode)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/** Creates `dir` (and missing parents) 0700, and closes it to others when it already exists. */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  await chmod(dir, PRIVATE_DIR_MODE)
}

/** Every folder under `dir` 0700, every file 0600; symbolic links are neither followed nor changed. */
export async function makeTreePrivate(dir: string): Promise<void> {
  await chmodIfThere(dir, PRIVATE_DIR_MODE)
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) await makeTreePrivate(path)
    else if (entry.isFile()) await chmodIfThere(path, PRIVATE_FILE_MODE)
  }
}

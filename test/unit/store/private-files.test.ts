// The embedded store's folder is the hub's alone: 0700, every file in it 0600, whatever PGlite
// (which writes its files 0666) and the umask would make of them; a store written by an older
// release is made private when it is opened.
import t from 'tap'
import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../../core/store/open.ts'

/** "path mode" of every folder and file under `dir` that others could read, write or enter */
async function openToOthers(dir: string): Promise<string[]> {
  const found: string[] = []
  const mode = (await stat(dir)).mode & 0o777
  if (mode & 0o077) found.push(`${dir} ${mode.toString(8)}`)
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...(await openToOthers(path)))
    else if (entry.isFile()) {
      const fileMode = (await stat(path)).mode & 0o777
      if (fileMode !== 0o600) found.push(`${path} ${fileMode.toString(8)}`)
    }
  }
  return found
}

async function count(dir: string): Promise<number> {
  let n = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) n++
  return n
}

t.test('a new store: the data folder 0700, its files 0600, open and at rest', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'cw-private-'))
  t.teardown(() => rm(root, { recursive: true, force: true }))
  await chmod(root, 0o755)
  const dataDir = join(root, 'data')
  const db = await openStore({ dataDir })
  t.ok((await count(dataDir)) > 100, 'PGlite wrote its files')
  t.same(await openToOthers(dataDir), [], 'nothing open to others once opened')
  await db.exec('create table written_later (x int); insert into written_later select generate_series(1, 1000)')
  await db.close()
  t.same(await openToOthers(dataDir), [], 'nothing open to others at rest')
})

t.test('a store an older release left open to others is made private when opened', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cw-private-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  await (await openStore({ dataDir })).close()
  await writeFile(join(dataDir, 'pgdata', 'left-open'), 'x', { mode: 0o666 })
  await chmod(join(dataDir, 'pgdata', 'left-open'), 0o666)
  await chmod(join(dataDir, 'pgdata'), 0o777)
  await chmod(dataDir, 0o755)
  const db = await openStore({ dataDir })
  t.same(await openToOthers(dataDir), [])
  await db.close()
})

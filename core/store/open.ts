// Opens the store the configuration asks for: a PostgreSQL server when a URL is given, the
// embedded PGlite otherwise.
import { join } from 'node:path'
import type { Db } from './db.ts'
import { PgliteDb } from './pglite-db.ts'
import { PostgresDb } from './postgres-db.ts'
import { makePrivateDir } from './private-files.ts'
import { CoreErrors } from '../errors.ts'

export interface StoreOptions {
  databaseUrl?: string | undefined
  /** embedded store folder; `:memory:` keeps it in memory */
  dataDir: string
}

export async function openStore(options: StoreOptions): Promise<Db> {
  try {
    if (options.databaseUrl) return await PostgresDb.open({ connectionString: options.databaseUrl })
    if (options.dataDir === ':memory:') return await PgliteDb.open()
    // the folder holds the store and the vault's key file: the hub's user's alone, when it is
    // the hub's to change (a mount point may not be; pgdata inside it always is)
    await makePrivateDir(options.dataDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPERM') throw error
    })
    return await PgliteDb.open(join(options.dataDir, 'pgdata'))
  } catch (error) {
    throw new CoreErrors.STORE_UNAVAILABLE((error as Error).message)
  }
}

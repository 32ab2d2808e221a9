// The store as a plugin: opened and migrated before anything else, closed last.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Db } from '../core/store/db.ts'
import { openStore } from '../core/store/open.ts'
import { migrate, migrationStatus, type MigrationStatus } from '../core/store/migrations.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    /** which of the hub's migrations are applied and which are pending */
    migrationStatus(): Promise<MigrationStatus>
  }
}

export interface StorePluginOptions {
  /** use this store instead of opening one (tests); it is not closed with the app */
  db?: Db
  /** the migration folders to apply (the kernel's and the modules'); default: the kernel's */
  migrations?: readonly string[]
}

export default fp<StorePluginOptions>(
  async function store(app: FastifyInstance, options) {
    const db = options.db ?? (await openStore({ databaseUrl: app.config.databaseUrl, dataDir: app.config.dataDir }))
    const applied = await migrate(db, options.migrations)
    if (applied.length > 0) app.log.info({ applied, store: db.kind }, 'store migrations applied')
    app.decorate('db', db)
    app.decorate('migrationStatus', () => migrationStatus(db, options.migrations))
    if (!options.db) app.addHook('onClose', async () => db.close())
  },
  { name: 'crosswalk-store', dependencies: ['crosswalk-config'] },
)

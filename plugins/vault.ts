// The vault as `app.vault`: the master key resolved at start (see core/vault/key-source.ts) and
// checked against the key the store's secrets are sealed with, before anything can use it.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { SecretStore } from '../core/vault/types.ts'
import { resolveMasterKey } from '../core/vault/key-source.ts'
import { SqlSecretStore } from '../core/vault/sql-secret-store.ts'

declare module 'fastify' {
  interface FastifyInstance {
    vault: SecretStore
  }
}

export default fp(
  async function vault(app: FastifyInstance) {
    const resolved = resolveMasterKey(app.config, { create: true })
    const keyId = resolved.key.id
    switch (resolved.origin) {
      case 'setting':
        app.log.info({ keyId }, 'vault key from CROSSWALK_MASTER_KEY')
        break
      case 'file':
        app.log.info({ keyId, path: resolved.path }, 'vault key from its key file')
        break
      case 'created-file':
        app.log.warn(
          { keyId, path: resolved.path },
          'created the vault key file (mode 0600); back it up apart from the data: without it no secret can be opened',
        )
        break
      case 'ephemeral':
        app.log.warn({ keyId }, 'vault key held in memory only, like the in-memory store')
        break
    }
    if ('warning' in resolved && resolved.warning) app.log.warn(resolved.warning)
    app.decorate('vault', await SqlSecretStore.open(app.db, resolved.key))
  },
  { name: 'crosswalk-vault', dependencies: ['crosswalk-config', 'crosswalk-store'] },
)

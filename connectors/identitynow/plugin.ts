// The IdentityNow connector as a hub plugin: the IdentityNow-compatible configuration API,
// POST /oauth/token, provisioning intake and ticket tracking. Needs the store (app.db) and the
// vault (app.vault, or `vault` given in options by tests).
import fp from 'fastify-plugin'
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { SecretStore } from '../../core/vault/types.ts'
import compatibleApi from './api/index.ts'
import type { BearerVerifier } from './api/access.ts'
import { IntegrationRepository } from './integrations/repository.ts'
import { ApiClientRepository } from './oauth/clients.ts'
import { TokenIssuer } from './oauth/jwt.ts'
import tokenRoute from './oauth/token-route.ts'

export interface IdentityNowPluginOptions {
  /** the vault to use instead of app.vault (tests) */
  vault?: SecretStore
  /** lifetime of tokens from /oauth/token, seconds */
  tokenLifetimeS?: number
  /** extra verifiers of bearer tokens on the compatible API (e.g. the hub's own tokens) */
  verifiers?: BearerVerifier[]
}

export interface IdentityNowServices {
  integrations: IntegrationRepository
  clients: ApiClientRepository
  tokens: TokenIssuer
}

declare module 'fastify' {
  interface FastifyInstance {
    identitynow: IdentityNowServices
  }
}

const VAULT_OWNER = 'identitynow'
const SIGNING_KEY = 'oauth-signing-key'

async function signingKey(vault: SecretStore): Promise<Uint8Array> {
  const stored = await vault.get(VAULT_OWNER, SIGNING_KEY)
  if (stored) return Buffer.from(stored, 'base64')
  const key = randomBytes(32)
  await vault.put(VAULT_OWNER, SIGNING_KEY, key.toString('base64'))
  return key
}

export default fp<IdentityNowPluginOptions>(
  async function identitynow(app: FastifyInstance, options) {
    const vault = options.vault ?? (app.hasDecorator('vault') ? app.vault : undefined)
    if (!vault) throw new Error('the IdentityNow connector needs the vault plugin (app.vault)')
    const integrations = new IntegrationRepository(app.db, vault)
    const clients = new ApiClientRepository(app.db)
    const tokens = new TokenIssuer(await signingKey(vault), { lifetimeS: options.tokenLifetimeS })
    app.decorate('identitynow', { integrations, clients, tokens })

    const ours: BearerVerifier = async (token) => {
      const subject = await tokens.verify(token)
      return subject ? { role: subject.role, subject: subject.clientId } : undefined
    }
    // With the hub's auth plugin, our tokens become hub principals (so they also work on the admin
    // API) and the hub enforces each route's role; without it (embedded use) we check ourselves.
    const hubAuth = app.hasDecorator('auth')
    if (hubAuth) {
      app.auth.addVerifier(async (bearer) => {
        const subject = await tokens.verify(bearer).catch(() => undefined)
        return subject
          ? { tokenId: subject.clientId, name: subject.name, role: subject.role, kind: 'oauth-client' }
          : undefined
      })
    }
    const verifiers = () => [ours, ...(options.verifiers ?? [])]
    await app.register(tokenRoute, { clients, issuer: tokens })
    await app.register(compatibleApi, { db: app.db, integrations, verifiers: hubAuth ? undefined : verifiers })
  },
  { name: 'crosswalk-identitynow', dependencies: ['crosswalk-store', 'crosswalk-kernel'] },
)

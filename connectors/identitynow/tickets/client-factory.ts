// One ServiceNow client per integration, built from its attributes (url, authType, username,
// clientId, tokenUrl grant) and its sealed secrets, kept while they stay the same
// (core/http/client-cache.ts): a changed integration gets a new client, the old one is closed
// when the calls holding it are done, and an integration whose new attributes are refused keeps
// no client at all.
import { createHash } from 'node:crypto'
import { ClientCache, type CacheEntry } from '../../../core/http/client-cache.ts'
import type { EgressPolicy } from '../../../core/http/egress.ts'
import { ServiceNowClient, type AuthOptions, type ServiceNowClientOptions } from '../../servicenow/index.ts'
import { IdnErrors } from '../errors.ts'
import type { ServiceDeskIntegrationDto } from '../integrations/model.ts'

function authOf(dto: ServiceDeskIntegrationDto, secrets: Record<string, string>): AuthOptions {
  const a = dto.attributes
  const kind = String(a.authType ?? a.authenticationType ?? 'Basic')
  if (kind === 'OAuth2') {
    const grant = String(a.grantType ?? (secrets.refreshToken ? 'refresh_token' : 'client_credentials')).toLowerCase()
    return {
      kind: 'oauth',
      grant: grant === 'password' ? 'password' : grant === 'refresh_token' ? 'refresh_token' : 'client_credentials',
      clientId: String(a.clientId ?? ''),
      clientSecret: secrets.clientSecret ?? secrets.client_secret ?? '',
      ...(a.username ? { username: String(a.username) } : {}),
      ...(secrets.password ? { password: secrets.password } : {}),
      ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : {}),
    }
  }
  return { kind: 'basic', username: String(a.username ?? ''), password: secrets.password ?? '' }
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
}

export interface ClientFactoryOptions {
  /** the hub's egress settings, given to every client */
  egress?: EgressPolicy
  /** hears a replaced client that failed to close */
  log?: { warn(obj: object, msg?: string): void }
}

export class ClientFactory {
  readonly #clients: ClientCache<ServiceNowClient>
  readonly #secrets: (id: string) => Promise<Record<string, string>>
  readonly #options: ClientFactoryOptions

  constructor(secrets: (id: string) => Promise<Record<string, string>>, options: ClientFactoryOptions = {}) {
    this.#secrets = secrets
    this.#options = options
    this.#clients = new ClientCache((err) => options.log?.warn({ err }, 'a replaced ServiceNow client did not close'))
  }

  /** The integration's client; for more than one call, prefer withClient, which holds it meanwhile. */
  async clientFor(dto: ServiceDeskIntegrationDto): Promise<ServiceNowClient> {
    return this.#clients.get(await this.#entryOf(dto))
  }

  /** Runs `fn` with the integration's client held: a change of the integration meanwhile does not close it under it. */
  async withClient<T>(dto: ServiceDeskIntegrationDto, fn: (client: ServiceNowClient) => Promise<T>): Promise<T> {
    return this.#clients.use(await this.#entryOf(dto), fn)
  }

  async #entryOf(dto: ServiceDeskIntegrationDto): Promise<CacheEntry<ServiceNowClient>> {
    const refused = (why: string) => {
      this.#clients.drop(dto.id)
      return new IdnErrors.TICKET_CONFIG_MISSING(dto.name, why)
    }
    if (typeof dto.attributes.url !== 'string') throw refused('attributes.url is not set')
    let url: URL
    try {
      url = new URL(dto.attributes.url)
    } catch {
      throw refused('attributes.url is not a URL')
    }
    const options: ServiceNowClientOptions = {
      instanceUrl: dto.attributes.url,
      auth: authOf(dto, await this.#secrets(dto.id)),
      // plain http only for an instance on this machine (the emulator) or when asked for explicitly
      allowHttp: isLoopback(url) || dto.attributes.allowHttp === true,
      concurrency: typeof dto.attributes.concurrency === 'number' ? dto.attributes.concurrency : 4,
      ...(this.#options.egress ? { egress: this.#options.egress } : {}),
    }
    const fingerprint = createHash('sha256').update(JSON.stringify(options)).digest('hex')
    return { key: dto.id, fingerprint, build: () => new ServiceNowClient(options) }
  }

  /** ServiceNow requests sent so far by every client (benchmarks count them). */
  get requestsSent(): number {
    return this.#clients.all().reduce((n, client) => n + client.requestsSent, 0)
  }

  close(): Promise<void> {
    return this.#clients.close()
  }
}

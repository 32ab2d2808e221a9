// One ServiceNow client per integration, built from its attributes (url, authType, username,
// clientId, tokenUrl grant) and its sealed secrets, rebuilt when the integration changes.
import { ServiceNowClient, type AuthOptions } from '../../servicenow/index.ts'
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

export class ClientFactory {
  readonly #clients = new Map<string, { modified: string; client: ServiceNowClient }>()
  readonly #secrets: (id: string) => Promise<Record<string, string>>

  constructor(secrets: (id: string) => Promise<Record<string, string>>) {
    this.#secrets = secrets
  }

  async clientFor(dto: ServiceDeskIntegrationDto): Promise<ServiceNowClient> {
    const cached = this.#clients.get(dto.id)
    if (cached && cached.modified === dto.modified) return cached.client
    if (cached) await cached.client.close()
    if (typeof dto.attributes.url !== 'string')
      throw new IdnErrors.TICKET_CONFIG_MISSING(dto.name, 'attributes.url is not set')
    const url = new URL(dto.attributes.url)
    const client = new ServiceNowClient({
      instanceUrl: dto.attributes.url,
      auth: authOf(dto, await this.#secrets(dto.id)),
      // plain http only for an instance on this machine (the emulator) or when asked for explicitly
      allowHttp: isLoopback(url) || dto.attributes.allowHttp === true,
      concurrency: typeof dto.attributes.concurrency === 'number' ? dto.attributes.concurrency : 4,
    })
    this.#clients.set(dto.id, { modified: dto.modified, client })
    return client
  }

  /** ServiceNow requests sent so far by every client (benchmarks count them). */
  get requestsSent(): number {
    let n = 0
    for (const { client } of this.#clients.values()) n += client.requestsSent
    return n
  }

  async close(): Promise<void> {
    for (const { client } of this.#clients.values()) await client.close()
    this.#clients.clear()
  }
}

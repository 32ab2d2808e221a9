// Secret attributes of an integration (ServiceNow passwords, OAuth client secrets, refresh
// tokens) are sealed in the vault and removed from the stored DTO, so no GET ever returns them
// (as on a real tenant, the keys are simply absent).

const SECRET_KEYS = new Set([
  'password',
  'clientsecret',
  'client_secret',
  'refreshtoken',
  'refresh_token',
  'accesstoken',
  'access_token',
  'apikey',
  'api_key',
  'privatekey',
  'private_key',
  'secret',
])

export function isSecretAttribute(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase())
}

/** An audit secret rule: `attributes.<a secret attribute>` of an integration, however it was sent. */
export function isSecretAttributePath(path: readonly string[]): boolean {
  const at = path.lastIndexOf('attributes')
  const key = path[at + 1]
  return at >= 0 && path.length === at + 2 && key !== undefined && isSecretAttribute(key)
}

export interface SplitAttributes {
  /** safe to store and return */
  plain: Record<string, unknown>
  /** to seal; a null value means "remove the stored secret" */
  secrets: Record<string, string | null>
}

export function splitSecrets(attributes: Record<string, unknown>): SplitAttributes {
  const plain: Record<string, unknown> = {}
  const secrets: Record<string, string | null> = {}
  for (const [key, value] of Object.entries(attributes)) {
    if (!isSecretAttribute(key)) plain[key] = value
    else if (value === null) secrets[key] = null
    else if (value !== undefined) secrets[key] = typeof value === 'string' ? value : JSON.stringify(value)
  }
  return { plain, secrets }
}

export function vaultOwner(integrationId: string): string {
  return `identitynow:${integrationId}`
}

/** Attributes that say where requests go (url, proxyUrl...): the stored secrets follow their origin. */
export function urlAttributes(...attributes: Array<Record<string, unknown>>): string[] {
  const keys = new Set<string>()
  for (const set of attributes) for (const key of Object.keys(set)) if (/url$/i.test(key)) keys.add(key)
  return [...keys].sort()
}

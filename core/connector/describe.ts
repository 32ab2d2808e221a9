// A connector as the admin surface shows it (REST and GraphQL): what it offers and the JSON
// Schema of its settings.
import type { Connector, EntityDescription } from './contract.ts'

export interface ConnectorDescription {
  name: string
  title: string
  version: string
  capabilities: string[]
  secretFields: string[]
  configSchema: Record<string, unknown>
  /** a custom connector: the table of a connection it serves, with its discovered schema */
  custom?: {
    id: string
    connectionId: string
    baseConnector: string
    keyField: string
    displayField: string
    filter: string | null
    entity: EntityDescription
    discoveredAt: string
  }
}

export function describeConnector(connector: Connector): ConnectorDescription {
  return {
    name: connector.name,
    title: connector.title,
    version: connector.version,
    capabilities: [...connector.capabilities],
    secretFields: [...connector.secretFields],
    // TypeBox schemas carry symbol keys; the JSON round trip leaves the plain JSON Schema
    configSchema: JSON.parse(JSON.stringify(connector.configSchema)) as Record<string, unknown>,
  }
}

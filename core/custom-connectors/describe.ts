// A custom connector as GET /api/v1/connectors and GraphQL `connectors` show it, beside the
// built-in ones: its base's capabilities (it reads and writes through the base's client), no
// settings of its own (it has no connections: mappings name its base connection and its entity),
// and the entity with the field schema discovered for it.
import type { Capability, Connector } from '../connector/contract.ts'
import type { ConnectorDescription } from '../connector/describe.ts'
import type { CustomConnectorRecord } from './repository.ts'

/** What a custom connector does of its base's: records of its one entity, nothing system-wide. */
const OFFERED: readonly Capability[] = ['discover', 'read', 'write', 'lookup', 'matches']

export function describeCustomConnector(
  record: CustomConnectorRecord,
  base: Connector | undefined,
): ConnectorDescription {
  return {
    name: record.name,
    title: `${record.schema.label ?? record.entity} (${base?.title ?? record.baseConnector}: ${record.entity})`,
    version: base?.version ?? '0.0.0',
    capabilities: (base?.capabilities ?? []).filter((c) => OFFERED.includes(c)),
    secretFields: [],
    configSchema: { type: 'object', properties: {}, additionalProperties: false },
    custom: {
      id: record.id,
      connectionId: record.connectionId,
      baseConnector: record.baseConnector,
      keyField: record.keyField,
      displayField: record.displayField,
      filter: record.filter,
      entity: record.schema,
      discoveredAt: record.discoveredAt,
    },
  }
}

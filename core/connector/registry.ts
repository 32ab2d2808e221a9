// The kernel's list of installed connectors. Connector plugins register here at boot.
import type { Capability, Connector } from './contract.ts'
import { CoreErrors } from '../errors.ts'

export class ConnectorRegistry {
  readonly #connectors = new Map<string, Connector>()

  /** Takes a connector with typed settings: the kernel hands it settings it validated against
   * the connector's own configSchema, so the settings type is the connector's business. */
  register<Settings>(connector: Connector<Settings>): void {
    if (this.#connectors.has(connector.name)) throw new CoreErrors.CONNECTOR_DUPLICATE(connector.name)
    this.#connectors.set(connector.name, connector as unknown as Connector)
  }

  get(name: string): Connector {
    const connector = this.#connectors.get(name)
    if (!connector) throw new CoreErrors.CONNECTOR_NOT_FOUND(name)
    return connector
  }

  has(name: string): boolean {
    return this.#connectors.has(name)
  }

  list(): Connector[] {
    return [...this.#connectors.values()]
  }

  require(name: string, capability: Capability): Connector {
    const connector = this.get(name)
    if (!connector.capabilities.includes(capability)) {
      throw new CoreErrors.CONNECTOR_CAPABILITY(name, capability)
    }
    return connector
  }
}

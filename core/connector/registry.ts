// The kernel's list of installed connectors. Connector plugins register here at boot.
import type { Capability, Connector } from './contract.ts'
import { CoreErrors } from '../errors.ts'

export class ConnectorRegistry {
  readonly #connectors = new Map<string, Connector>()

  register(connector: Connector): void {
    if (this.#connectors.has(connector.name)) throw new CoreErrors.CONNECTOR_DUPLICATE(connector.name)
    this.#connectors.set(connector.name, connector)
  }

  get(name: string): Connector {
    const connector = this.#connectors.get(name)
    if (!connector) throw new CoreErrors.CONNECTOR_UNKNOWN(name)
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

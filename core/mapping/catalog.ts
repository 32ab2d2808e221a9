// Discovered schemas of connections, cached for a few minutes: validating a mapping on save and
// compiling it at the start of every run would otherwise ask the system each time. A change of
// the connection drops its entries.
import type { Connector, ConnectionContext, EntityDescription } from '../connector/contract.ts'
import { SchemaView } from './schema-view.ts'

export interface ResolvedConnection {
  connector: Connector
  context: ConnectionContext
}

interface Entry {
  at: number
  entities: Map<string, EntityDescription>
  /** the connector returned every entity (LeanIX's data model): a missing one does not exist */
  complete: boolean
}

export class SchemaCatalog {
  readonly #ttlMs: number
  readonly #now: () => number
  readonly #entries = new Map<string, Entry>()

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 300_000
    this.#now = options.now ?? Date.now
  }

  forget(connectionId: string): void {
    this.#entries.delete(connectionId)
  }

  async #describe(conn: ResolvedConnection, names: string[]): Promise<Entry> {
    const key = conn.context.id
    let entry = this.#entries.get(key)
    if (!entry || this.#now() - entry.at > this.#ttlMs) {
      entry = { at: this.#now(), entities: new Map(), complete: false }
      this.#entries.set(key, entry)
    }
    const missing = names.filter((n) => !entry.entities.has(n))
    if (missing.length > 0 && !entry.complete) {
      if (!conn.connector.discover) throw new Error(`connector ${conn.connector.name} cannot discover entities`)
      const found = await conn.connector.discover(conn.context, missing)
      const askedFor = new Set(missing)
      // a connector that ignores the names returns its whole model
      if (found.some((e) => !askedFor.has(e.name)) || found.length > missing.length) entry.complete = true
      for (const e of found) entry.entities.set(e.name, e)
    }
    return entry
  }

  /** The entity and, as far as `paths` dot-walk, the entities their references point to. */
  async view(conn: ResolvedConnection, entity: string, paths: readonly string[]): Promise<SchemaView | undefined> {
    const entry = await this.#describe(conn, [entity])
    const described = entry.entities.get(entity)
    if (!described) return undefined
    let view = new SchemaView(described, entry.entities.values())
    for (let depth = 0; depth < 4; depth++) {
      const missing = view.missingReferences(paths)
      if (missing.length === 0) break
      const more = await this.#describe(conn, missing)
      view = view.with(missing.map((m) => more.entities.get(m)).filter((e): e is EntityDescription => !!e))
    }
    return view
  }

  async entityNames(conn: ResolvedConnection, names: string[]): Promise<Set<string>> {
    const entry = await this.#describe(conn, names)
    return new Set(entry.entities.keys())
  }
}

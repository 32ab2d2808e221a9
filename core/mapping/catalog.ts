// Discovered schemas of connections, cached for a few minutes: validating a mapping on save,
// compiling it at the start of every run and showing a connection's entities (GET
// /api/v1/connections/{id}/entities) would otherwise ask the system each time. A change of the
// connection drops its entries.
import type { Connector, ConnectionContext, EntityDescription } from '../connector/contract.ts'
import { SchemaView } from './schema-view.ts'

export interface ResolvedConnection {
  connector: Connector
  context: ConnectionContext
  /**
   * Tells apart what one connection discovers through different connectors (its own, or with the
   * custom connectors of the moment laid over it); the connection id by default
   */
  schemaKey?: string
}

interface Entry {
  at: number
  entities: Map<string, EntityDescription>
  /** the connector returned every entity (LeanIX's data model): a missing one does not exist */
  complete: boolean
  /** the names the connector lists when asked for none (the connection's tables, the data model) */
  listed?: string[]
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
    for (const key of [...this.#entries.keys()])
      if (key === connectionId || key.startsWith(`${connectionId}|`)) this.#entries.delete(key)
  }

  #entry(conn: ResolvedConnection): Entry {
    const key = conn.schemaKey ? `${conn.context.id}|${conn.schemaKey}` : conn.context.id
    let entry = this.#entries.get(key)
    if (!entry || this.#now() - entry.at > this.#ttlMs) {
      // entries of a key no longer asked for (custom connectors since changed) go when stale
      for (const [other, old] of this.#entries) if (this.#now() - old.at > this.#ttlMs) this.#entries.delete(other)
      entry = { at: this.#now(), entities: new Map(), complete: false }
      this.#entries.set(key, entry)
    }
    return entry
  }

  #discoverer(conn: ResolvedConnection): NonNullable<Connector['discover']> {
    if (!conn.connector.discover) throw new Error(`connector ${conn.connector.name} cannot discover entities`)
    return conn.connector.discover.bind(conn.connector)
  }

  async #describe(conn: ResolvedConnection, names: string[]): Promise<Entry> {
    const entry = this.#entry(conn)
    const missing = names.filter((n) => !entry.entities.has(n))
    if (missing.length > 0 && !entry.complete) {
      const found = await this.#discoverer(conn)(conn.context, missing)
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

  /**
   * What the connector lists when asked for no names: LeanIX's whole data model, the ServiceNow
   * tables of the connection's settings (or the CSDM defaults). Other entities may still be
   * described by name (`describe`).
   */
  async list(conn: ResolvedConnection): Promise<EntityDescription[]> {
    const entry = this.#entry(conn)
    if (!entry.listed) {
      const found = await this.#discoverer(conn)(conn.context)
      for (const e of found) entry.entities.set(e.name, e)
      entry.listed = found.map((e) => e.name)
    }
    return entry.listed.map((name) => entry.entities.get(name)).filter((e): e is EntityDescription => !!e)
  }

  /** One entity as the connector describes it; undefined when the system has none of that name. */
  async describe(conn: ResolvedConnection, name: string): Promise<EntityDescription | undefined> {
    return (await this.#describe(conn, [name])).entities.get(name)
  }

  async entityNames(conn: ResolvedConnection, names: string[]): Promise<Set<string>> {
    const entry = await this.#describe(conn, names)
    return new Set(entry.entities.keys())
  }
}

// What a connection holds, for people: its entities (ServiceNow tables, LeanIX fact sheet types)
// with their fields, as the connector's schema discovery gives them (the same discovery, and the
// same cache, that mapping validation uses), and a bounded preview of a few records of one.
// A preview never carries a credential: fields the connector marks secret (ServiceNow password
// types) and fields whose name looks like one (password, token, api_key...) are not asked for,
// and whatever the system sends back anyway is dropped, key by key, nested keys included.
import type { EntityDescription, FieldDescription, GraphRuleDescription, SourceRecord } from '../connector/contract.ts'
import type { ResolvedConnection, SchemaCatalog } from '../mapping/catalog.ts'
import { REDACTED, hideUrlCredentials, looksSecret } from '../audit/redact.ts'
import { CoreErrors } from '../errors.ts'
import { ConnectionErrors } from './errors.ts'

/** The most records one preview shows. */
export const PREVIEW_MAX = 20
/** Pages a preview reads at most: short pages (ServiceNow applies ACLs after the limit) end it too. */
const PREVIEW_PAGES = 5
/** Nesting kept in a previewed value; deeper levels are summarised. */
const MAX_DEPTH = 6

export interface EntityPreview {
  entity: string
  /** the fields shown, in the entity's order */
  fields: string[]
  /** fields the entity has that a preview never shows: credentials */
  redacted: string[]
  items: SourceRecord[]
}

export interface PreviewRequest {
  limit: number
  /** in the system's own language (a ServiceNow encoded query, a LeanIX facet filter) */
  filter?: string
}

/** A credential, by what the connector says of it or by its name. */
export function isSecretField(field: Pick<FieldDescription, 'name' | 'secret'>): boolean {
  return field.secret === true || looksSecret(field.name)
}

/** The entity as people see it: secret fields say so, whatever made them secret. */
function shown(entity: EntityDescription): EntityDescription {
  return { ...entity, fields: entity.fields.map((f) => (isSecretField(f) ? { ...f, secret: true } : f)) }
}

/** A value without credentials: nested keys that look secret are hidden, and URLs' user:password@. */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return hideUrlCredentials(value)
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_DEPTH) return '[nested]'
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value as Record<string, unknown>))
    out[key] = looksSecret(key) ? REDACTED : scrub(child, depth + 1)
  return out
}

/** An entity as people see it, with the graph rules a mapping's source side may name for it. */
export type DescribedEntity = EntityDescription & { graphRules?: GraphRuleDescription[] }

function withRules(conn: ResolvedConnection, entity: EntityDescription): DescribedEntity {
  const rules = conn.connector.graphRules?.(entity.name) ?? []
  return rules.length > 0 ? { ...entity, graphRules: [...rules] } : entity
}

export class EntityBrowser {
  readonly #catalog: SchemaCatalog

  constructor(catalog: SchemaCatalog) {
    this.#catalog = catalog
  }

  /** The entities the connection lists, with their fields. */
  async list(conn: ResolvedConnection): Promise<DescribedEntity[]> {
    this.#require(conn, 'discover')
    const entities = await this.#system(conn, 'discover its entities', () => this.#catalog.list(conn))
    return entities.map((e) => withRules(conn, shown(e)))
  }

  /** One entity, which need not be among the listed ones (any table the user can see). */
  async describe(conn: ResolvedConnection, name: string): Promise<DescribedEntity> {
    return withRules(conn, shown(await this.#described(conn, name)))
  }

  /** At most `limit` records of the entity (capped at PREVIEW_MAX), without credentials. */
  async preview(conn: ResolvedConnection, name: string, request: PreviewRequest): Promise<EntityPreview> {
    const { connector, context } = conn
    this.#require(conn, 'read')
    if (request.filter !== undefined) {
      const problem = connector.filterError?.(request.filter)
      if (problem !== undefined) throw new ConnectionErrors.FILTER_INVALID(connector.name, problem)
    }
    const entity = await this.#described(conn, name)
    // relations are lists of other records: a preview of records does not fan out into them
    const fields = entity.fields.filter((f) => !isSecretField(f) && f.type !== 'relation').map((f) => f.name)
    const allowed = new Set(['id', ...fields])
    const limit = Math.max(1, Math.min(Math.floor(request.limit), PREVIEW_MAX))
    const items: SourceRecord[] = []
    const read = connector.read!.bind(connector)
    await this.#system(conn, `read ${name}`, async () => {
      let pages = 0
      for await (const page of read(context, name, {
        fields,
        limit,
        ...(request.filter !== undefined ? { filter: request.filter } : {}),
      })) {
        for (const record of page.records) {
          if (items.length >= limit) break
          const kept: Record<string, unknown> = {}
          for (const [key, value] of Object.entries(record))
            if (allowed.has(key) && !looksSecret(key)) kept[key] = scrub(value)
          items.push({ ...kept, id: String(record.id) })
        }
        pages += 1
        // leaving the loop ends the connector's read (its generator returns, its requests stop)
        if (items.length >= limit || page.cursor === null || pages >= PREVIEW_PAGES) break
      }
    })
    return { entity: name, fields, redacted: entity.fields.filter(isSecretField).map((f) => f.name), items }
  }

  async #described(conn: ResolvedConnection, name: string): Promise<EntityDescription> {
    this.#require(conn, 'discover')
    const entity = await this.#system(conn, `describe ${name}`, () => this.#catalog.describe(conn, name))
    if (!entity) throw new ConnectionErrors.ENTITY_NOT_FOUND(conn.context.name, name, conn.context.id)
    return entity
  }

  #require(conn: ResolvedConnection, capability: 'discover' | 'read'): void {
    const { connector } = conn
    if (!connector.capabilities.includes(capability) || !connector[capability])
      throw new CoreErrors.CONNECTOR_CAPABILITY(connector.name, capability)
  }

  /**
   * `fn`, with a declared error of the connector (its messages say what to fix and carry no
   * secret) answered in its words rather than as a hidden 5xx, and a timeout said as one.
   * Anything else (a bug) stays what it is: an internal error, logged, its text not answered.
   */
  async #system<T>(conn: ResolvedConnection, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown }
      let cause: string
      if (typeof code === 'string' && code.startsWith('CW_')) cause = `${code}: ${String(message)}`
      else if (name === 'TimeoutError' || name === 'AbortError') cause = 'the system did not answer in time'
      else throw error
      throw new ConnectionErrors.SYSTEM_FAILED(conn.context.name, what, cause, conn.context.id)
    }
  }
}

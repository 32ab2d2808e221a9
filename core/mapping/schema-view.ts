// The discovered schema of one side of a mapping: its entity and the entities its references
// point to, so that a dot-walked path (business_unit.name) resolves to the field it ends on.
import type { EntityDescription, FieldDescription } from '../connector/contract.ts'

export class SchemaView {
  readonly entity: EntityDescription
  readonly #entities: Map<string, EntityDescription>
  readonly #fields = new Map<string, Map<string, FieldDescription>>()

  constructor(entity: EntityDescription, related: Iterable<EntityDescription> = []) {
    this.entity = entity
    this.#entities = new Map([[entity.name, entity]])
    for (const e of related) if (!this.#entities.has(e.name)) this.#entities.set(e.name, e)
  }

  #fieldsOf(entity: string): Map<string, FieldDescription> | undefined {
    let map = this.#fields.get(entity)
    if (!map) {
      const e = this.#entities.get(entity)
      if (!e) return undefined
      map = new Map(e.fields.map((f) => [f.name, f]))
      this.#fields.set(entity, map)
    }
    return map
  }

  /** The field a path ends on; undefined with the reason when it does not resolve. */
  resolve(path: string): { field: FieldDescription } | { error: string } {
    const parts = path.split('.')
    let entity = this.entity.name
    for (const [i, part] of parts.entries()) {
      const fields = this.#fieldsOf(entity)
      if (!fields)
        return { error: `the entity ${entity} (reached through ${parts.slice(0, i).join('.')}) is not known` }
      const field = fields.get(part)
      if (!field) {
        const where = i === 0 ? this.entity.name : `${entity} (reached through ${parts.slice(0, i).join('.')})`
        return { error: `${where} has no field "${part}"` }
      }
      if (i === parts.length - 1) return { field }
      if (field.type !== 'reference' || !field.reference) {
        return { error: `"${parts.slice(0, i + 1).join('.')}" is not a reference, so it cannot be dot-walked` }
      }
      entity = field.reference
    }
    return { error: 'empty path' }
  }

  field(path: string): FieldDescription | undefined {
    const r = this.resolve(path)
    return 'field' in r ? r.field : undefined
  }

  /** Fields of a kind on the entity itself (e.g. the one 'tags' field). */
  fieldOfType(type: FieldDescription['type']): FieldDescription | undefined {
    return this.entity.fields.find((f) => f.type === type)
  }

  /** Entities named by reference prefixes of `paths` that are not loaded yet. */
  missingReferences(paths: readonly string[]): string[] {
    const missing = new Set<string>()
    for (const path of paths) {
      const parts = path.split('.')
      let entity = this.entity.name
      for (const part of parts.slice(0, -1)) {
        const field = this.#fieldsOf(entity)?.get(part)
        if (!field || field.type !== 'reference' || !field.reference) break
        if (!this.#entities.has(field.reference)) {
          missing.add(field.reference)
          break
        }
        entity = field.reference
      }
    }
    return [...missing]
  }

  /**
   * A view whose entity also has `fields` (those a graph rule adds to the records it lets
   * through); the related entities stay as they are
   */
  withFields(fields: readonly FieldDescription[]): SchemaView {
    if (fields.length === 0) return this
    const entity = { ...this.entity, fields: [...this.entity.fields, ...fields] }
    return new SchemaView(
      entity,
      [...this.#entities.values()].filter((e) => e.name !== entity.name),
    )
  }

  with(more: Iterable<EntityDescription>): SchemaView {
    return new SchemaView(this.entity, [...this.#entities.values(), ...more])
  }
}

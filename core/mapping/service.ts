// Saving mappings: every save is prepared against what it maps (connections, discovered schemas,
// the mappings its relations name) and refused with every problem at its JSON pointer; a saved
// mapping keeps its previous versions, which can be listed, compared and restored.
import type { EventBus } from '../bus/event-bus.ts'
import type { Db } from '../store/db.ts'
import { csdmDefaults, type CsdmConnections } from './defaults/csdm.ts'
import { diffDefinitions, type DefinitionChange } from './diff.ts'
import { MappingErrors, type MappingProblem } from './errors.ts'
import { prepareMapping, type MappingEnvironment } from './prepare.ts'
import type { MappingRecord, MappingRepository, MappingVersion } from './repository.ts'
import type { MappingDefinitionInput, MappingSpec } from './schema.ts'

export interface MappingServiceDeps {
  db: Db
  mappings: MappingRepository
  env: MappingEnvironment
  bus: EventBus
  /** a running run blocks deleting its mapping */
  isRunning(mappingId: string): Promise<boolean>
}

export type MappingPatch = Partial<MappingDefinitionInput>

export class MappingService {
  readonly #deps: MappingServiceDeps

  constructor(deps: MappingServiceDeps) {
    this.#deps = deps
  }

  /** Every problem of a definition, or none; nothing is saved. */
  async validate(
    input: unknown,
    selfId?: string,
  ): Promise<{ valid: boolean; problems: MappingProblem[]; spec?: MappingSpec }> {
    const result = await prepareMapping(input, this.#deps.env, selfId ? { selfId } : {})
    return result.ok
      ? { valid: true, problems: [], spec: result.prepared.spec }
      : { valid: false, problems: result.problems, ...(result.spec ? { spec: result.spec } : {}) }
  }

  async #prepared(input: unknown, selfId?: string): Promise<MappingSpec> {
    const result = await prepareMapping(input, this.#deps.env, selfId ? { selfId } : {})
    if (!result.ok) throw mappingInvalid(result.problems)
    return result.prepared.spec
  }

  #changed(mappingId: string, action: 'created' | 'updated' | 'deleted'): void {
    this.#deps.bus.publish('mapping.changed', { mappingId, action, at: new Date().toISOString() })
  }

  async create(input: unknown, by: string | null): Promise<MappingRecord> {
    const spec = await this.#prepared(input)
    const created = await this.#deps.mappings.create(spec, by)
    this.#changed(created.id, 'created')
    return created
  }

  /** Replaces the definition (a new version). */
  async replace(id: string, input: unknown, by: string | null, expectedVersion?: number): Promise<MappingRecord> {
    await this.#deps.mappings.get(id)
    const spec = await this.#prepared(input, id)
    const updated = await this.#deps.mappings.update(
      id,
      spec,
      by,
      expectedVersion === undefined ? {} : { expectedVersion },
    )
    this.#changed(id, 'updated')
    return updated
  }

  /** Merges top-level members over the current definition (a new version). */
  async patch(id: string, patch: MappingPatch, by: string | null, expectedVersion?: number): Promise<MappingRecord> {
    const current = await this.#deps.mappings.get(id)
    return this.replace(id, { ...current.definition, ...patch }, by, expectedVersion ?? current.version)
  }

  async delete(id: string): Promise<void> {
    const mapping = await this.#deps.mappings.get(id)
    const referencing = await this.#deps.mappings.referencing(mapping)
    if (referencing.length > 0) throw new MappingErrors.IN_USE(mapping.name, referencing.map((m) => m.name).join(', '))
    if (await this.#deps.isRunning(id)) {
      throw new MappingErrors.IN_USE(mapping.name, 'a running run (cancel it first: POST /api/v1/runs/{id}/cancel)')
    }
    await this.#deps.mappings.delete(id)
    this.#changed(id, 'deleted')
  }

  versions(id: string): Promise<MappingVersion[]> {
    return this.#deps.mappings.versions(id)
  }

  version(id: string, version: number): Promise<MappingVersion> {
    return this.#deps.mappings.version(id, version)
  }

  /** Field-by-field changes from version `from` to version `to` (default: the current one). */
  async diff(
    id: string,
    from: number,
    to?: number,
  ): Promise<{ from: number; to: number; changes: DefinitionChange[] }> {
    const mapping = await this.#deps.mappings.get(id)
    const a = await this.#deps.mappings.version(id, from)
    const b =
      to === undefined
        ? { version: mapping.version, definition: mapping.definition }
        : await this.#deps.mappings.version(id, to)
    return { from: a.version, to: b.version, changes: diffDefinitions(a.definition, b.definition) }
  }

  /** Saves an earlier version's definition as the newest version. */
  async restore(id: string, version: number, by: string | null): Promise<MappingRecord> {
    const old = await this.#deps.mappings.version(id, version)
    const spec = await this.#prepared(old.definition, id)
    const restored = await this.#deps.mappings.update(id, spec, by, { note: `restored version ${version}` })
    this.#changed(id, 'updated')
    return restored
  }

  /** The CSDM default mappings for a LeanIX and a ServiceNow connection, created together. */
  async createDefaults(connections: CsdmConnections, by: string | null): Promise<MappingRecord[]> {
    const { env } = this.#deps
    const leanix = await env.resolve(connections.leanixConnectionId)
    const servicenow = await env.resolve(connections.servicenowConnectionId)
    const problems: string[] = []
    if (leanix?.connector.name !== 'leanix')
      problems.push(`${connections.leanixConnectionId} is not a LeanIX connection`)
    if (servicenow?.connector.name !== 'servicenow')
      problems.push(`${connections.servicenowConnectionId} is not a ServiceNow connection`)
    if (problems.length > 0) throw new MappingErrors.DEFAULTS_CONNECTIONS(problems.join('; '))
    const created: MappingRecord[] = []
    try {
      // in order: a mapping's relations name mappings created before it
      for (const definition of csdmDefaults(connections)) created.push(await this.create(definition, by))
    } catch (error) {
      // all or nothing: the ones already made go again
      for (const m of created.reverse()) await this.#deps.mappings.delete(m.id).catch(() => {})
      throw error
    }
    return created
  }
}

type InvalidMapping = InstanceType<typeof MappingErrors.INVALID> & { problems: MappingProblem[] }

/** CW_MAPPING_INVALID carrying every problem found, each at its JSON pointer. */
export function mappingInvalid(problems: MappingProblem[]): InvalidMapping {
  const shown = problems.slice(0, 5).map((p) => `${p.pointer || '/'}: ${p.message}`)
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''
  const error = new MappingErrors.INVALID(`${shown.join('; ')}${more}`) as InvalidMapping
  error.problems = problems
  return error
}

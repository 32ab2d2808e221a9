// Switching a ServiceNow connection to an IT component flow: the chosen flow's mappings are
// created (or enabled again), the other flows' software mappings of the same prefix disabled.
// Nothing is deleted, so links and versions stay and switching back is one more call. All or
// nothing: when a step fails, what this call created is deleted and what it toggled is toggled back.
import type { ConnectionRepository } from '../../../core/connections/repository.ts'
import type { MappingDefinitionInput } from '../../../core/mapping/schema.ts'
import type { MappingRecord } from '../../../core/mapping/repository.ts'
import type { MappingService } from '../../../core/mapping/service.ts'
import type { SoftwareFlow } from '../advisor/recommend.ts'
import { SamErrors } from '../errors.ts'
import {
  SOFTWARE_FLOWS,
  flowMappingNames,
  hardwareMapping,
  softwareMapping,
  techCategoryMapping,
  type FlowConnections,
} from './defaults.ts'

export interface FlowChoice {
  flow: SoftwareFlow
  hardware: boolean
  /** the SAM Pro flow's discovery model filter */
  discoveryModelFilter: string
}

export interface MappingRef {
  id: string
  name: string
}

export interface AppliedFlow extends FlowChoice {
  /** the CSDM applications mapping the IT components' application relations go through; null when there is none */
  applicationsMapping: string | null
  created: MappingRef[]
  enabled: MappingRef[]
  disabled: MappingRef[]
  /** already there and enabled */
  unchanged: MappingRef[]
}

export interface FlowSwitchDeps {
  connections: Pick<ConnectionRepository, 'get'>
  /** finds a mapping by name */
  findMapping(name: string): Promise<MappingRecord | undefined>
  mappings: Pick<MappingService, 'create' | 'patch' | 'delete'>
}

const ref = (m: MappingRecord): MappingRef => ({ id: m.id, name: m.name })

export class FlowSwitch {
  readonly #deps: FlowSwitchDeps

  constructor(deps: FlowSwitchDeps) {
    this.#deps = deps
  }

  async apply(connections: FlowConnections, choice: FlowChoice, by: string | null): Promise<AppliedFlow> {
    const { servicenowConnectionId, leanixConnectionId } = connections
    const servicenow = await this.#deps.connections.get(servicenowConnectionId)
    if (servicenow.connector !== 'servicenow') throw new SamErrors.NOT_SERVICENOW(servicenow.name, servicenow.connector)
    const leanix = await this.#deps.connections.get(leanixConnectionId)
    if (leanix.connector !== 'leanix') throw new SamErrors.NOT_LEANIX(leanix.name, leanix.connector)

    const names = flowMappingNames(connections.prefix)
    // the CSDM defaults' applications mapping (LeanIX to ServiceNow) of the same prefix, when there is one
    const apps = await this.#deps.findMapping(`${connections.prefix ?? 'CSDM'}: Applications`)
    const applicationsMapping =
      apps && apps.sourceConnectionId === leanixConnectionId && apps.targetConnectionId === servicenowConnectionId
        ? apps.name
        : null
    const c: FlowConnections = applicationsMapping ? { ...connections, applicationsMapping } : connections
    const wanted: MappingDefinitionInput[] = []
    const unwanted: string[] = []
    // the tech categories first: the product models' relations name them
    if (choice.flow === 'sam' || choice.hardware) wanted.push(techCategoryMapping(c))
    for (const flow of SOFTWARE_FLOWS) {
      if (flow === choice.flow) wanted.push(softwareMapping(c, flow, choice.discoveryModelFilter))
      else unwanted.push(names.software(flow))
    }
    if (choice.hardware) wanted.push(hardwareMapping(c))
    else unwanted.push(names.hardware)

    const applied: AppliedFlow = {
      ...choice,
      applicationsMapping,
      created: [],
      enabled: [],
      disabled: [],
      unchanged: [],
    }
    try {
      for (const definition of wanted) {
        const existing = await this.#existing(definition.name, connections)
        if (!existing) applied.created.push(ref(await this.#deps.mappings.create(definition, by)))
        else if (!existing.enabled)
          applied.enabled.push(ref(await this.#deps.mappings.patch(existing.id, { enabled: true }, by)))
        else applied.unchanged.push(ref(existing))
      }
      for (const name of unwanted) {
        const existing = await this.#existing(name, connections)
        if (existing?.enabled)
          applied.disabled.push(ref(await this.#deps.mappings.patch(existing.id, { enabled: false }, by)))
      }
    } catch (error) {
      await this.#undo(applied, by)
      throw error
    }
    return applied
  }

  /** The flow mapping of that name, when it is one of these two connections'. */
  async #existing(name: string, c: FlowConnections): Promise<MappingRecord | undefined> {
    const found = await this.#deps.findMapping(name)
    if (!found || found.name !== name) return undefined
    if (found.sourceConnectionId !== c.servicenowConnectionId || found.targetConnectionId !== c.leanixConnectionId)
      throw new SamErrors.FLOW_NAME_TAKEN(name)
    return found
  }

  async #undo(applied: AppliedFlow, by: string | null): Promise<void> {
    // best effort, newest first: the error that brought us here is the one to report
    for (const m of [...applied.disabled].reverse())
      await this.#deps.mappings.patch(m.id, { enabled: true }, by).catch(() => {})
    for (const m of [...applied.enabled].reverse())
      await this.#deps.mappings.patch(m.id, { enabled: false }, by).catch(() => {})
    for (const m of [...applied.created].reverse()) await this.#deps.mappings.delete(m.id).catch(() => {})
  }
}

// A mapping checked against what it maps: its connections, their connectors' capabilities, the
// discovered entities and fields, filters in each system's language, the mappings its relations
// point to. The same preparation runs when a mapping is saved (problems refuse the save, each at
// its JSON pointer) and when a run starts (a field removed since then fails the run, naming it).
import type { Capability, EntityDescription, FieldDescription } from '../connector/contract.ts'
import type { ResolvedConnection, SchemaCatalog } from './catalog.ts'
import type { SchemaView } from './schema-view.ts'
import { compileMapping, type CompiledMapping, type SideName } from './compile.ts'
import type { MappingProblem } from './errors.ts'
import type { MappingRecord } from './repository.ts'
import type { MappingDefinitionInput, MappingSpec, RelationSideInput } from './schema.ts'
import { specProblems, structuralProblems, toSpec } from './spec.ts'

export interface MappingEnvironment {
  catalog: SchemaCatalog
  /** the connection and its connector, or undefined when there is no such connection */
  resolve(connectionId: string): Promise<ResolvedConnection | undefined>
  /** a mapping by id or name */
  findMapping(nameOrId: string): Promise<MappingRecord | undefined>
}

export interface PreparedMapping {
  spec: MappingSpec
  compiled: CompiledMapping
  connections: Record<SideName, ResolvedConnection>
  schemas: Record<SideName, SchemaView>
  /** the mappings relation mappings point to, by their otherMapping text */
  others: Map<string, MappingRecord>
}

const NEEDED: Record<SideName, Capability[]> = {
  source: ['read', 'write', 'lookup'],
  target: ['read', 'write', 'lookup'],
}

export type PrepareResult =
  { ok: true; prepared: PreparedMapping; problems: [] } | { ok: false; problems: MappingProblem[]; spec?: MappingSpec }

export async function prepareMapping(
  input: unknown,
  env: MappingEnvironment,
  options: { selfId?: string } = {},
): Promise<PrepareResult> {
  const structural = structuralProblems(input)
  if (structural.length > 0) return { ok: false, problems: structural }
  const spec = toSpec(input as MappingDefinitionInput)
  const problems: MappingProblem[] = specProblems(spec)

  const connections: Partial<Record<SideName, ResolvedConnection>> = {}
  for (const side of ['source', 'target'] as const) {
    const resolved = await env.resolve(spec[side].connectionId)
    if (!resolved) {
      problems.push({
        pointer: `/${side}/connectionId`,
        message: `no connection ${spec[side].connectionId}; GET /api/v1/connections lists them`,
      })
      continue
    }
    const lacking = NEEDED[side].filter(
      (c) => !resolved.connector.capabilities.includes(c) || !resolved.connector[c as 'read'],
    )
    if (lacking.length > 0) {
      problems.push({
        pointer: `/${side}/connectionId`,
        message: `connector ${resolved.connector.name} cannot ${lacking.join(', ')}, which a mapping's ${side} needs`,
      })
      continue
    }
    connections[side] = resolved
    const filter = spec[side].filter
    if (filter) {
      const why = resolved.connector.filterError?.(filter, spec[side].entity)
      if (why)
        problems.push({ pointer: `/${side}/filter`, message: `not a valid ${resolved.connector.title} filter: ${why}` })
    }
    problems.push(...graphRuleProblems(side, spec, resolved))
  }
  if (!connections.source || !connections.target) return { ok: false, problems, spec }

  // every path either side reads, so dot-walked references are discovered along with the entity
  const paths: Record<SideName, string[]> = { source: [], target: [] }
  for (const f of spec.fields) {
    for (const key of ['source', 'target', 'field'] as const) {
      const value = (f as Record<string, unknown>)[key]
      if (typeof value !== 'string') continue
      paths.source.push(value)
      paths.target.push(value)
      // a user reference is compared by the user's email, read by dot-walking
      if (f.type === 'subscription') {
        paths.source.push(`${value}.email`)
        paths.target.push(`${value}.email`)
      }
    }
  }
  for (const rule of spec.matching.rules) {
    paths.source.push(...rule.source)
    paths.target.push(...rule.target)
  }
  const resolvedConnections = { source: connections.source, target: connections.target }
  const views: Partial<Record<SideName, Awaited<ReturnType<SchemaCatalog['view']>>>> = {}
  for (const side of ['source', 'target'] as const) {
    const conn = resolvedConnections[side]
    try {
      views[side] = await env.catalog.view(conn, spec[side].entity, paths[side])
    } catch (error) {
      problems.push({
        pointer: `/${side}/entity`,
        message: `could not discover ${spec[side].entity} through connection ${conn.context.name}: ${(error as Error).message}`,
      })
      continue
    }
    const ruleFields = graphRuleFields(spec[side].graphRules, conn, spec[side].entity)
    if (views[side] && ruleFields.length > 0) {
      const real = new Set(views[side].entity.fields.map((f) => f.name))
      const shadowed = ruleFields.filter(({ field }) => real.has(field.name))
      for (const { field, index } of shadowed) {
        problems.push({
          pointer: `/${side}/graphRules/${index}/rule`,
          message: `graph rule ${spec[side].graphRules?.[index]?.rule} adds the field "${field.name}", but ${spec[side].entity} already has a field of that name; ${conn.connector.title} must name its rule fields apart`,
        })
      }
      let view = views[side].withFields(ruleFields.filter((f) => !real.has(f.field.name)).map((f) => f.field))
      // a rule field that is a reference may be dot-walked like any other
      const missing = view.missingReferences(paths[side])
      if (missing.length > 0) {
        const more = await Promise.all(missing.map((m) => env.catalog.describe(conn, m).catch(() => undefined)))
        view = view.with(more.filter((e): e is EntityDescription => !!e))
      }
      views[side] = view
    }
    if (!views[side]) {
      problems.push({
        pointer: `/${side}/entity`,
        message: `${conn.connector.title} connection ${conn.context.name} has no entity "${spec[side].entity}"`,
      })
    } else if (spec[side].category) {
      const categories = views[side].entity.fields.find((f) => f.name === 'category')?.choices?.map((c) => c.value)
      const known = views[side].entity.categories ?? categories
      if (known && known.length > 0 && !known.includes(spec[side].category as string)) {
        problems.push({
          pointer: `/${side}/category`,
          message: `"${spec[side].category}" is not a subtype of ${spec[side].entity} (${known.join(', ')})`,
        })
      }
    }
  }
  const sourceView = views.source
  const targetView = views.target
  if (!sourceView || !targetView) return { ok: false, problems, spec }

  const identityField =
    spec.target.identityField ??
    connections.target.connector.identityField?.(connections.target.context, spec.target.entity)
  if (identityField && !targetView.field(identityField)) {
    problems.push({
      pointer: '/target/identityField',
      message: `target ${spec.target.entity} has no field "${identityField}" to record the source id in; set target.identityField to a writable text or external id field`,
    })
  }
  const display = {
    source: connections.source.connector.displayField?.(spec.source.entity) ?? 'name',
    target: connections.target.connector.displayField?.(spec.target.entity) ?? 'name',
  }
  const { compiled, problems: compileProblems } = compileMapping({
    spec,
    schemas: { source: sourceView, target: targetView },
    identityField: identityField && targetView.field(identityField) ? identityField : undefined,
    display,
  })
  problems.push(...compileProblems)

  // a record the mapping creates must get every mandatory field
  const writtenOnTarget = new Set(compiled.fields.filter((f) => f.writeSide === 'target').map((f) => f.writeField))
  if (identityField) writtenOnTarget.add(identityField)
  for (const f of targetView.entity.fields) {
    if (f.mandatory && !f.readOnly && !writtenOnTarget.has(f.name)) {
      problems.push({
        pointer: '/fields',
        message: `target field "${f.name}" is mandatory: a record the mapping creates needs it; map a value to it`,
      })
    }
  }

  const others = new Map<string, MappingRecord>()
  for (const r of compiled.relations) {
    const isSelf = r.otherMapping === spec.name || (options.selfId !== undefined && r.otherMapping === options.selfId)
    const other: MappingRecord | undefined = isSelf
      ? selfRecord(spec, options.selfId)
      : await env.findMapping(r.otherMapping)
    if (!other) {
      problems.push({
        pointer: `${r.pointer}/otherMapping`,
        message: `no mapping "${r.otherMapping}": create the mapping of the related records first`,
      })
      continue
    }
    const o = other.definition as unknown as MappingSpec
    const same =
      o.source.connectionId === spec.source.connectionId && o.target.connectionId === spec.target.connectionId
    const reversed =
      o.source.connectionId === spec.target.connectionId && o.target.connectionId === spec.source.connectionId
    if (!same && !reversed) {
      problems.push({
        pointer: `${r.pointer}/otherMapping`,
        message: `mapping "${other.name}" connects other connections; the related records must be linked between the same two connections`,
      })
      continue
    }
    others.set(r.otherMapping, other)
    for (const side of ['source', 'target'] as const) {
      const rs: RelationSideInput = r[side]
      if (rs.kind === 'field') continue
      const conn = resolvedConnections[side]
      const table = rs.kind === 'cmdbRelCi' ? (rs.table ?? 'cmdb_rel_ci') : rs.table
      const view = await env.catalog.view(conn, table, []).catch(() => undefined)
      if (!view) {
        problems.push({
          pointer: `${r.pointer}/${side}`,
          message: `${side} connection ${conn.context.name} has no table ${table}`,
        })
        continue
      }
      const columns = rs.kind === 'cmdbRelCi' ? ['parent', 'child', 'type'] : [rs.selfField, rs.otherField]
      for (const column of columns) {
        if (!view.field(column))
          problems.push({ pointer: `${r.pointer}/${side}`, message: `${table} has no field "${column}"` })
      }
      if (rs.kind === 'cmdbRelCi') {
        const types = await conn.connector
          .lookup?.(conn.context, 'cmdb_rel_type', { field: 'name', values: [rs.relType], fields: ['sys_id', 'name'] })
          .catch(() => undefined)
        if (types && !types.some((t) => String(t.name).toLowerCase() === rs.relType.toLowerCase())) {
          problems.push({
            pointer: `${r.pointer}/${side}/relType`,
            message: `no cmdb_rel_type named "${rs.relType}" on ${conn.context.name}`,
          })
        }
      }
    }
  }

  if (problems.length > 0) return { ok: false, problems, spec }
  return {
    ok: true,
    problems: [],
    prepared: {
      spec,
      compiled,
      connections: { source: connections.source, target: connections.target },
      schemas: { source: sourceView, target: targetView },
      others,
    },
  }
}

/** The side's graph rules checked against what its connector computes for the entity. */
function graphRuleProblems(side: SideName, spec: MappingSpec, conn: ResolvedConnection): MappingProblem[] {
  const rules = spec[side].graphRules ?? []
  const problems: MappingProblem[] = []
  if (rules.length === 0) return problems
  if (side === 'target') {
    // linked targets are looked up by id without constraints; a rule there would hide them and
    // the run would create them again
    problems.push({
      pointer: '/target/graphRules',
      message:
        'graph rules pick the records a mapping reads from its source; on the target they would hide linked records. Put them on the source side, or narrow the target with its filter',
    })
    return problems
  }
  const { connector } = conn
  const known = connector.graphRules?.(spec[side].entity) ?? []
  rules.forEach((r, i) => {
    const described = known.find((k) => k.name === r.rule)
    if (!described) {
      problems.push({
        pointer: `/${side}/graphRules/${i}/rule`,
        message:
          known.length > 0
            ? `${connector.title} computes no graph rule ${r.rule} for ${spec[side].entity}; it knows ${known.map((k) => k.name).join(', ')}`
            : `${connector.title} computes no graph rules for ${spec[side].entity}; remove graphRules or use filter`,
      })
      return
    }
    if (r.hops !== undefined && !described.hops) {
      problems.push({
        pointer: `/${side}/graphRules/${i}/hops`,
        message: `graph rule ${r.rule} walks no relations, so it takes no hops; remove them`,
      })
    } else if (r.hops !== undefined && described.hops && r.hops > described.hops.max) {
      problems.push({
        pointer: `/${side}/graphRules/${i}/hops`,
        message: `graph rule ${r.rule} follows at most ${described.hops.max} hops (${described.hops.default} unless told); lower hops`,
      })
    }
    if (r.filter === undefined) return
    if (!described.filterApplies) {
      problems.push({
        pointer: `/${side}/graphRules/${i}/filter`,
        message: `graph rule ${r.rule} takes no filter; remove it`,
      })
      return
    }
    const why = connector.filterError?.(r.filter)
    if (why) {
      problems.push({
        pointer: `/${side}/graphRules/${i}/filter`,
        message: `not a valid ${connector.title} filter of ${described.filterApplies}: ${why}`,
      })
    }
  })
  return problems
}

/** The fields the side's graph rules add to its records, once each by name (with the first rule that adds it); read-only, as computed. */
function graphRuleFields(
  rules: readonly { rule: string }[] | undefined,
  conn: ResolvedConnection,
  entity: string,
): Array<{ field: FieldDescription; index: number }> {
  if (!rules || rules.length === 0) return []
  const known = conn.connector.graphRules?.(entity) ?? []
  const out = new Map<string, { field: FieldDescription; index: number }>()
  rules.forEach((r, index) => {
    for (const f of known.find((k) => k.name === r.rule)?.fields ?? []) {
      if (!out.has(f.name)) out.set(f.name, { field: { ...f, readOnly: true }, index })
    }
  })
  return [...out.values()]
}

/** A relation within one mapping's records (a hierarchy) names the mapping itself. */
function selfRecord(spec: MappingSpec, id: string | undefined): MappingRecord {
  const now = new Date().toISOString()
  return {
    id: id ?? '00000000-0000-0000-0000-000000000000',
    name: spec.name,
    version: 0,
    sourceConnectionId: spec.source.connectionId,
    targetConnectionId: spec.target.connectionId,
    sourceEntity: spec.source.entity,
    targetEntity: spec.target.entity,
    mode: spec.mode,
    enabled: spec.enabled,
    definition: spec,
    createdAt: now,
    updatedAt: now,
    updatedBy: null,
  }
}

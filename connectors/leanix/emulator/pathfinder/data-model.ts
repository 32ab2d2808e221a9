// GET /services/pathfinder/v1/models/dataModel from the same meta model the schema is built from
// (docs/reference/leanix.md §2: factSheets{<Type>{fields,relations}}, relations{<name>{from,to,fields}},
// externalIdFields{...}; field types STRING, SINGLE_SELECT{values}, LIFECYCLE{values}, ...).
// Self relations (relToParent, ...) exist on every type; they are keyed `<Type>:<name>` here
// because the public sources do not show LeanIX's key for them.
import type { FieldDefinition, MetaModel } from '../meta-model.ts'

function dataType(definition: FieldDefinition): Record<string, unknown> {
  return definition.values === undefined
    ? { type: definition.type }
    : { type: definition.type, values: [...definition.values] }
}

function fieldMap(fields: Readonly<Record<string, FieldDefinition>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([name, def]) => [name, dataType(def)]))
}

export function dataModelDocument(model: MetaModel): Record<string, unknown> {
  const relationNamesByType = new Map<string, string[]>()
  const relations: Record<string, unknown> = {}
  for (const definition of model.relations) {
    const self = definition.from.factSheetType === definition.to.factSheetType && definition.key.includes(':')
    relations[self ? definition.key : definition.from.name] = {
      from: { ...definition.from },
      to: { ...definition.to },
      fields: fieldMap(definition.fields),
      constraints: [...definition.constraints],
      constrainingRelations: [...definition.constrainingRelations],
    }
    for (const end of [definition.from, definition.to]) {
      const list = relationNamesByType.get(end.factSheetType) ?? []
      if (!list.includes(end.name)) list.push(end.name)
      relationNamesByType.set(end.factSheetType, list)
    }
  }
  const factSheets = Object.fromEntries(
    Object.entries(model.factSheets).map(([type, def]) => [
      type,
      {
        fields: {
          name: { type: 'STRING' },
          description: { type: 'STRING' },
          lxState: { type: 'SINGLE_SELECT', values: ['DRAFT', 'BROKEN_QUALITY_SEAL', 'APPROVED', 'REJECTED'] },
          ...(def.categories.length > 0 ? { category: { type: 'SINGLE_SELECT', values: [...def.categories] } } : {}),
          ...fieldMap(def.fields),
        },
        relations: relationNamesByType.get(type) ?? [],
        subtypes: [...def.categories],
      },
    ]),
  )
  const externalIdFields = Object.fromEntries(
    Object.entries(model.externalIdFields).map(([name, def]) => [
      name,
      {
        uniqueFactSheet: def.uniqueFactSheet,
        autoIncrement: false,
        readOnly: def.readOnly,
        forFactSheets: [...def.forFactSheets],
        ...(def.urlTemplate === undefined ? {} : { urlTemplate: def.urlTemplate }),
      },
    ]),
  )
  return { status: 'OK', type: 'DataModel', errors: [], data: { factSheets, relations, externalIdFields } }
}

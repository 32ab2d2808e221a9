// The other model documents custom reports and the UI read from Pathfinder, all derived from the
// workspace's meta model like GET /models/dataModel (data-model.ts):
// - GET /models/dataModel/enriched: the data model plus `relationMapping` (relation name ->
//   {direction, reverseName, persistedName}) and each type's relation names, the shape
//   @leanix/reporting 0.4.136 types as EnrichedDataModel and reads through
//   `lx.dataModelHelpers.getRelationDefinition()` / `isConstrainingRelation()`;
// - GET /models/viewModel: {layouts, factSheets: [{type, bgColor, color, fieldMetaData}]}, the
//   colors reports read (@leanix/reporting ViewModel, FactSheetViewModel, ViewModelSingleFieldMetaData);
// - GET /settings: the workspace's admin settings (leanix-sdk-java SettingsApi `GET /settings`); the
//   fields are our reading of what a report sees (@leanix/reporting ReportSetupSettings: currency,
//   language, workspace).
import type { MetaModel } from '../meta-model.ts'
import type { WorkspaceIdentity } from '../workspace/store.ts'
import { dataModelDocument } from './data-model.ts'

interface Envelope {
  status: 'OK'
  type: string
  errors: []
  data: Record<string, unknown>
}

function envelope(type: string, data: Record<string, unknown>): Envelope {
  return { status: 'OK', type, errors: [], data }
}

export function enrichedDataModelDocument(model: MetaModel): Envelope {
  const base = dataModelDocument(model).data as Record<string, Record<string, unknown>>
  const relationMapping: Record<string, { direction: 'FROM' | 'TO'; reverseName: string; persistedName: string }> = {}
  for (const definition of model.relations) {
    const self = definition.from.factSheetType === definition.to.factSheetType && definition.key.includes(':')
    const persistedName = self ? definition.key : definition.from.name
    const key = (name: string) => (self ? `${definition.from.factSheetType}:${name}` : name)
    relationMapping[key(definition.from.name)] = {
      direction: 'FROM',
      reverseName: definition.to.name,
      persistedName,
    }
    relationMapping[key(definition.to.name)] = {
      direction: 'TO',
      reverseName: definition.from.name,
      persistedName,
    }
  }
  const factSheets = Object.fromEntries(
    Object.entries(base.factSheets ?? {}).map(([type, def]) => [
      type,
      {
        ...(def as object),
        config: {
          qualitySeal: { enabled: true, value: 0, unit: 'DAYS' },
          maxHierarchyLevel: 3,
          milestonesActive: false,
        },
      },
    ]),
  )
  return envelope('EnrichedDataModel', { ...base, factSheets, relationMapping, rules: [], validators: {} })
}

// A fixed palette: the same type always gets the same color, like a configured workspace.
const PALETTE = ['#2889ff', '#02afa4', '#ff9300', '#8b58cc', '#d29270', '#fe6690', '#48a23f', '#497db0', '#7b1e3c']
const STATUS_COLORS = ['#c8e6c9', '#81c784', '#fff176', '#ffb74d', '#e57373', '#90a4ae']

export function viewModelDocument(model: MetaModel): Envelope {
  const factSheets = Object.entries(model.factSheets).map(([type, def], i) => {
    const fieldMetaData: Record<string, unknown> = {}
    for (const [name, field] of Object.entries(def.fields)) {
      if (field.values === undefined) continue
      fieldMetaData[name] = {
        values: Object.fromEntries(
          field.values.map((value, v) => [
            value,
            { bgColor: STATUS_COLORS[v % STATUS_COLORS.length] as string, color: '#000000' },
          ]),
        ),
      }
    }
    return {
      type,
      bgColor: PALETTE[i % PALETTE.length] as string,
      color: '#ffffff',
      fieldMetaData,
      sections: [],
    }
  })
  return envelope('ViewModel', { layouts: {}, factSheets })
}

export function settingsDocument(identity: WorkspaceIdentity, baseUrl: string): Envelope {
  return envelope('WorkspaceSettings', {
    workspaceId: identity.id,
    workspaceName: identity.name,
    baseUrl: `${baseUrl}/${identity.name}`,
    currency: { code: 'EUR', symbol: '€' },
    language: 'en',
    qualitySeal: { enabled: true, draftEnabled: true },
  })
}

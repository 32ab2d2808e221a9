// What a workspace admin does to add a fact sheet type or a field: read the data model
// (GET /models/dataModel), change it, and put it back (PUT /models/dataModel?force=).
import { exchangeToken } from './emulator-client.ts'

export interface DataModelBody {
  factSheets: Record<string, { fields: Record<string, { type: string; values?: string[] }>; subtypes?: string[] }>
  relations: Record<string, unknown>
  externalIdFields: Record<string, { forFactSheets: string[] } & Record<string, unknown>>
}

export interface DataModelAnswer {
  status: number
  body: {
    status: string
    data: Array<{ deletionType: string; count: number; name: string; info1?: string }>
    errorMessage?: string
  }
}

/** Reads the data model as the admin `apiToken`, lets `edit` change it, and puts it back. */
export async function editDataModel(
  url: string,
  apiToken: string,
  edit: (model: DataModelBody) => void,
  options: { force?: boolean } = {},
): Promise<DataModelAnswer> {
  const token = await exchangeToken(url, apiToken)
  const path = `${url}/services/pathfinder/v1/models/dataModel`
  const read = await fetch(path, { headers: { authorization: `Bearer ${token}` } })
  const model = ((await read.json()) as { data: DataModelBody }).data
  edit(model)
  const answer = await fetch(`${path}${options.force ? '?force=true' : ''}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(model),
  })
  return { status: answer.status, body: (await answer.json()) as DataModelAnswer['body'] }
}

/**
 * A CloudAccount type as an admin adds it: an account id, a provider, a cost, notes, and the
 * external id every type of the workspace has (where an integration records its own id).
 */
export function addCloudAccountType(model: DataModelBody): void {
  model.externalIdFields.externalId?.forFactSheets.push('CloudAccount')
  model.factSheets.CloudAccount = {
    fields: {
      externalId: { type: 'EXTERNAL_ID' },
      accountId: { type: 'STRING' },
      provider: { type: 'SINGLE_SELECT', values: ['aws', 'azure', 'gcp'] },
      monthlyCost: { type: 'DOUBLE' },
      notes: { type: 'STRING' },
    },
  }
}

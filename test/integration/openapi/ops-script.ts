// What ops automation writes against a client generated from the hub's OpenAPI document with
// openapi-typescript (types: openapi/crosswalk-api.ts, `npm run openapi`) and openapi-fetch:
// list connections with one parameter, check one, read an error's code. generated-client.test.ts
// type-checks it against freshly generated types and runs it against a hub.
import createClient from 'openapi-fetch'
import type { paths } from '../../../openapi/crosswalk-api.ts'

export interface OpsReport {
  total: number
  listed: string[]
  checked: { ok: boolean; message: string }
  missingCode: string
}

export async function opsScript(baseUrl: string, token: string): Promise<OpsReport> {
  const hub = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } })

  // one parameter: the others have defaults
  const page = await hub.GET('/api/v1/connections', { params: { query: { limit: 1 } } })
  if (!page.data) throw new Error(`listing failed: ${page.error.code} ${page.error.message}`)
  const first = page.data.items[0]
  if (!first) throw new Error('no connection to check')

  const check = await hub.POST('/api/v1/connections/{id}/check', { params: { path: { id: first.id } } })
  if (!check.data) throw new Error(`the check failed: ${check.error.code}`)

  const missing = await hub.GET('/api/v1/connections/{id}', {
    params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
  })
  if (!missing.error) throw new Error('a connection that does not exist was found')

  return {
    total: page.data.total,
    listed: page.data.items.map((connection) => connection.name),
    checked: { ok: check.data.ok, message: check.data.message },
    missingCode: missing.error.code,
  }
}
